"""`/user/repos`, `/orgs/{org}/repos`, `/users/{username}/repos`, `/repos/{owner}/{repo}`.

A new repository starts as GitHub's does with `auto_init`: a default branch (`main`) holding
one commit (with a README when `auto_init` is set, else an empty tree), and GitHub's default
labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.github import git, labels, repos, state
from twins.catalog.github.errors import GitHubError, invalid, not_found
from twins.catalog.github.reply import no_content, ok, paginated
from twins.catalog.github.routes import routes
from twins.catalog.github.users import Account, account, viewer

DEFAULT_BRANCH = "main"
CHILDREN = (
    state.ISSUES,
    state.PULLS,
    state.LABELS,
    state.REFS,
    state.COMMITS,
    state.BLOBS,
    state.HOOKS,
)


@routes("POST /user/repos")
def create_for_user(call: Call) -> Reply:
    return ok(call, repos.render(call, _create(call, viewer(call))), 201)


@routes("POST /orgs/{org}/repos")
def create_in_org(call: Call) -> Reply:
    org = _organisation(call, call.path_params["org"])
    state.put(call, state.ORGS, org.key, "", {"login": org.login, "id": org.id})
    return ok(call, repos.render(call, _create(call, org)), 201)


def _organisation(call: Call, login: str) -> Account:
    found = account(call, login)
    if found is None or found.key == viewer(call).key:
        raise not_found()  # a user is not an organisation
    return found


def _create(call: Call, owner: Account) -> state.Record:
    body = call.body if isinstance(call.body, dict) else {}
    name = _valid_name(body.get("name"))
    if repos.find(call, owner.login, name) is not None:
        raise GitHubError(
            422,
            "Repository creation failed.",
            [
                {
                    "resource": "Repository",
                    "code": "custom",
                    "field": "name",
                    "message": "name already exists on this account",
                }
            ],
        )
    now = state.iso(call.now)
    repo: state.Record = {
        "id": state.next_id(call, "repository"),
        "name": name,
        "owner": owner.login,
    }
    repo.update({field: body.get(field, default) for field, default in repos.SETTINGS.items()})
    if body.get("visibility") in ("public", "private"):
        repo["private"] = body["visibility"] == "private"
    repo.update(
        {
            "default_branch": DEFAULT_BRANCH,
            "topics": [],
            "created_at": now,
            "updated_at": now,
            "pushed_at": now,
        }
    )
    repos.save(call, repo)
    _first_commit(call, repo, bool(body.get("auto_init")))
    labels.add_defaults(call, repo)
    return repo


def _valid_name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise invalid("Repository", "name", "missing_field")
    name = repos.normalised_name(value.strip())
    if len(name) > repos.MAX_NAME:
        raise invalid(
            "Repository", "name", "custom", "name is too long (maximum is 100 characters)"
        )
    if set(name) == {"."}:
        raise invalid("Repository", "name", "custom", "name is reserved")
    return name


def _first_commit(call: Call, repo: state.Record, readme: bool) -> None:
    repo_id = int(repo["id"])
    tree: git.Tree = {}
    if readme:
        text = f"# {repo['name']}\n" + (f"\n{repo['description']}\n" if repo["description"] else "")
        tree["README.md"] = git.put_blob(call, repo_id, text.encode())
    me = git.signature(viewer(call), call.now)
    first = git.write_commit(call, repo_id, tree, [], "Initial commit", me, me, salt=str(repo_id))
    git.set_ref(call, repo_id, f"refs/heads/{DEFAULT_BRANCH}", first["sha"])


@routes("GET /repos/{owner}/{repo}")
def get_repo(call: Call) -> Reply:
    return ok(call, repos.render(call, repos.load(call)))


@routes("PATCH /repos/{owner}/{repo}")
def update_repo(call: Call) -> Reply:
    repo = repos.load(call)
    body = call.body if isinstance(call.body, dict) else {}
    old_key = repos.key_of(str(repo["owner"]), str(repo["name"]))
    if body.get("name") is not None:
        name = _valid_name(body["name"])
        clash = repos.find(call, str(repo["owner"]), name)
        if clash is not None and clash["id"] != repo["id"]:
            raise invalid("Repository", "name", "custom", "name already exists on this account")
        repo["name"] = name
    repo.update({field: body[field] for field in repos.SETTINGS if field in body})
    if body.get("visibility") in ("public", "private"):
        repo["private"] = body["visibility"] == "private"
    branch = body.get("default_branch")
    if branch is not None:
        if git.branch_sha(call, int(repo["id"]), str(branch)) is None:
            raise invalid(
                "Repository", "default_branch", "invalid", f"The branch {branch} was not found."
            )
        repo["default_branch"] = branch
    repo["updated_at"] = state.iso(call.now)
    state.delete(call, state.REPOS, old_key)
    repos.save(call, repo)
    return ok(call, repos.render(call, repo))


@routes("DELETE /repos/{owner}/{repo}")
def delete_repo(call: Call) -> Reply:
    repo = repos.load(call)
    parent = str(repo["id"])
    for issue in state.rows(call, state.ISSUES, parent):
        for comment in state.rows(call, state.COMMENTS, f"{parent}/{issue['number']}"):
            state.delete(call, state.COMMENTS, f"{parent}/{comment['id']}")
    for collection in CHILDREN:
        for child in call.store.list(call.session, call.twin.name, collection, parent):
            _delete_child(call, collection, parent, child[1])
    state.delete(call, state.REPOS, repos.key_of(str(repo["owner"]), str(repo["name"])))
    return no_content()


def _delete_child(call: Call, collection: str, parent: str, record: state.Record) -> None:
    if collection in (state.ISSUES, state.PULLS):
        name = str(record["number"])
    elif collection == state.LABELS:
        name = str(record["name"]).lower()
    elif collection == state.REFS:
        name = str(record["ref"])
    elif collection in (state.COMMITS, state.BLOBS):
        name = str(record["sha"])
    else:
        name = str(record["id"])
    state.delete(call, collection, f"{parent}/{name}")


# -- lists --------------------------------------------------------------------------------

_SORT_KEYS: dict[str, Callable[[state.Record], Any]] = {
    "created": lambda r: (r["created_at"], r["id"]),
    "updated": lambda r: (r["updated_at"], r["id"]),
    "pushed": lambda r: (r["pushed_at"], r["id"]),
    "full_name": lambda r: repos.full_name(r).lower(),
}


def _sorted(call: Call, found: list[state.Record], default: str) -> list[state.Record]:
    sort = str(call.query.get("sort") or default)
    direction = call.query.get("direction") or ("asc" if sort == "full_name" else "desc")
    return sorted(found, key=_SORT_KEYS.get(sort, _SORT_KEYS[default]), reverse=direction == "desc")


def _page(call: Call, found: list[state.Record], default_sort: str) -> Reply:
    return paginated(call, _sorted(call, found, default_sort), lambda r: repos.render(call, r))


@routes("GET /user/repos")
def list_for_user(call: Call) -> Reply:
    me = viewer(call).key
    kind = call.query.get("type")
    visibility = call.query.get("visibility") or "all"
    affiliation = str(call.query.get("affiliation") or "owner,collaborator,organization_member")
    if kind is not None and ("visibility" in call.query or "affiliation" in call.query):
        raise GitHubError(422, "If you specify visibility or affiliation, you cannot specify type.")
    found = [
        repo
        for repo in state.rows(call, state.REPOS, None)
        if _visible(repo, str(repo["owner"]).lower() == me, kind, visibility, affiliation)
    ]
    return _page(call, _between(call, found), "full_name")


def _visible(repo: state.Record, mine: bool, kind: Any, visibility: Any, affiliation: str) -> bool:
    """Whether `GET /user/repos` lists a repository: by `type` when given (owner, member,
    public, private), else by `visibility` and `affiliation` (owner: the user's own,
    organization_member: its organisations')."""
    private = bool(repo["private"])
    if kind is not None:
        return {
            "owner": mine,
            "member": not mine,
            "public": not private,
            "private": private,
        }.get(str(kind), True)
    if visibility != "all" and private != (visibility == "private"):
        return False
    return ("owner" if mine else "organization_member") in affiliation


def _between(call: Call, found: list[state.Record]) -> list[state.Record]:
    since, before = call.query.get("since"), call.query.get("before")
    stamp = state.parse_iso
    if isinstance(since, str) and (at := stamp(since)) is not None:
        found = [r for r in found if (stamp(r["updated_at"]) or 0) >= at]
    if isinstance(before, str) and (at := stamp(before)) is not None:
        found = [r for r in found if (stamp(r["updated_at"]) or 0) <= at]
    return found


@routes("GET /users/{username}/repos")
def list_for_username(call: Call) -> Reply:
    who = account(call, call.path_params["username"])
    if who is None:
        raise not_found()
    found = [r for r in state.rows(call, state.REPOS, who.key) if not r["private"]]
    return _page(call, found, "full_name")


@routes("GET /orgs/{org}/repos")
def list_for_org(call: Call) -> Reply:
    org = _organisation(call, call.path_params["org"])
    kind = call.query.get("type") or "all"
    found = [
        r
        for r in state.rows(call, state.REPOS, org.key)
        if kind in ("all", "sources", "member") or r["private"] == (kind == "private")
    ]
    return _page(call, [] if kind == "forks" else found, "created")
