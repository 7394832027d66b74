"""Pull requests: `/repos/{owner}/{repo}/pulls[/{pull_number}[/merge]]`.

A pull request is an issue (title, body, state, labels live on its issue record, numbered with
the issues) plus what is its own: the head and base branches, and the merge. While open, it
follows its head branch; once closed or merged its head sha and numbers are kept as they were.
Merging is `merges.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.github import diffs, git, hooks, labels, repos, state
from twins.catalog.github import issue_model as issues
from twins.catalog.github.errors import GitHubError, invalid, not_found
from twins.catalog.github.reply import ok, paginated
from twins.catalog.github.routes import API, routes
from twins.catalog.github.users import simple


def _custom(message: str) -> GitHubError:
    return GitHubError(
        422,
        "Validation Failed",
        [{"resource": "PullRequest", "code": "custom", "message": message}],
    )


def load(call: Call, repo: state.Record, number: int | str) -> state.Record:
    found = state.get(call, state.PULLS, issues.key(repo, number))
    if found is None:
        raise not_found()
    return found


def save(call: Call, repo: state.Record, pull: state.Record) -> None:
    state.put(call, state.PULLS, issues.key(repo, pull["number"]), str(repo["id"]), pull)


def tips(
    call: Call, repo: state.Record, issue: state.Record, pull: state.Record
) -> tuple[str, str]:
    """(head sha, base sha): the branches' own while open, as kept once closed."""
    repo_id = int(repo["id"])
    if issue["state"] == "open":
        head = git.branch_sha(call, repo_id, pull["head_ref"]) or pull["head_sha"]
        base = git.branch_sha(call, repo_id, pull["base_ref"]) or pull["base_sha"]
        return head, base
    return pull["head_sha"], pull["base_sha"]


def render(
    call: Call,
    repo: state.Record,
    issue: state.Record,
    pull: state.Record,
    known: dict[int, state.Record] | None = None,
) -> dict[str, Any]:
    """GitHub's `pull-request`."""
    name = repos.full_name(repo)
    base_url = f"{API}/repos/{name}"
    number = issue["number"]
    url = f"{base_url}/pulls/{number}"
    web = f"{API}/{name}/pull/{number}"
    view = issues.render(call, repo, issue, known, pull["merged_at"])
    head_sha, base_sha = tips(call, repo, issue, pull)
    if issue["state"] == "open":
        numbers = diffs.stats(call, int(repo["id"]), base_sha, head_sha).as_dict()
        mergeable: bool | None = not _conflicts(call, repo, head_sha, base_sha)
        mergeable_state = "clean" if mergeable else "dirty"
    else:
        numbers, mergeable, mergeable_state = pull["stats"], None, "unknown"
    links = {
        "self": url,
        "html": web,
        "issue": view["url"],
        "comments": view["comments_url"],
        "review_comments": f"{url}/comments",
        "review_comment": f"{base_url}/pulls/comments{{/number}}",
        "commits": f"{url}/commits",
        "statuses": f"{base_url}/statuses/{head_sha}",
    }
    return {
        "url": url,
        "id": pull["id"],
        "node_id": state.node_id("PullRequest", int(pull["id"])),
        "html_url": web,
        "diff_url": f"{web}.diff",
        "patch_url": f"{web}.patch",
        "issue_url": view["url"],
        "commits_url": links["commits"],
        "review_comments_url": links["review_comments"],
        "review_comment_url": links["review_comment"],
        "comments_url": view["comments_url"],
        "statuses_url": links["statuses"],
        **{k: view[k] for k in ("number", "state", "locked", "title", "user", "body", "labels")},
        **{k: view[k] for k in ("milestone", "active_lock_reason", "created_at", "updated_at")},
        **{k: view[k] for k in ("closed_at", "assignee", "assignees", "author_association")},
        "merged_at": pull["merged_at"],
        "merge_commit_sha": pull["merge_commit_sha"],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": _side(call, repo, pull["head_ref"], head_sha),
        "base": _side(call, repo, pull["base_ref"], base_sha),
        "_links": {rel: {"href": href} for rel, href in links.items()},
        "auto_merge": None,
        "draft": bool(issue.get("draft", False)),
        "merged": pull["merged"],
        "mergeable": mergeable,
        "rebaseable": mergeable,
        "mergeable_state": mergeable_state,
        "merged_by": issues.person(call, pull["merged_by"]),
        "comments": view["comments"],
        "review_comments": 0,
        "maintainer_can_modify": pull["maintainer_can_modify"],
        **numbers,
    }


def _side(call: Call, repo: state.Record, ref: str, sha: str) -> dict[str, Any]:
    owner = repos.owner_of(call, repo)
    return {
        "label": f"{owner.login}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": simple(owner),
        "repo": repos.render(call, repo),
    }


def _conflicts(call: Call, repo: state.Record, head: str, base: str) -> list[str]:
    repo_id = int(repo["id"])
    ancestor = git.merge_base(call, repo_id, base, head)
    old = git.tree_of(call, repo_id, ancestor) if ancestor else {}
    trees = git.tree_of(call, repo_id, base), git.tree_of(call, repo_id, head)
    return diffs.three_way(old, *trees)[1]


def event(
    call: Call, repo: state.Record, issue: state.Record, pull: state.Record, action: str
) -> dict[str, Any]:
    """The body of a `pull_request` webhook."""
    return {
        "action": action,
        "number": issue["number"],
        "pull_request": render(call, repo, issue, pull),
    }


def pair(call: Call) -> tuple[state.Record, state.Record, state.Record]:
    repo = repos.load(call)
    number = call.path_params["pull_number"]
    pull = load(call, repo, number)
    return repo, issues.load(call, repo, number), pull


# -- create -------------------------------------------------------------------------------


def _head_ref(repo: state.Record, head: str) -> str:
    """`feature` or `owner:feature`; this twin has no forks, so the owner must be the repo's."""
    owner, sep, ref = head.rpartition(":")
    if sep and owner.lower() != str(repo["owner"]).lower():
        raise invalid("PullRequest", "head")
    return ref


@routes("POST /repos/{owner}/{repo}/pulls")
def create_pull(call: Call) -> Reply:
    repo = repos.load(call)
    repo_id = int(repo["id"])
    body = call.body if isinstance(call.body, dict) else {}
    head_ref = _head_ref(repo, str(body.get("head") or ""))
    base_ref = str(body.get("base") or "")
    base_sha = git.branch_sha(call, repo_id, base_ref) if base_ref else None
    if base_sha is None:
        raise invalid("PullRequest", "base")
    head_sha = git.branch_sha(call, repo_id, head_ref) if head_ref else None
    if head_sha is None:
        raise invalid("PullRequest", "head")
    if head_sha in git.history(call, repo_id, base_sha):
        raise _custom(f"No commits between {base_ref} and {head_ref}")
    for other in state.rows(call, state.PULLS, str(repo_id)):
        same = other["head_ref"] == head_ref and other["base_ref"] == base_ref
        if same and issues.load(call, repo, other["number"])["state"] == "open":
            raise _custom(f"A pull request already exists for {repo['owner']}:{head_ref}.")
    issue = _issue_for(call, repo, body)
    pull = {
        "id": state.next_id(call, "pull"),
        "number": issue["number"],
        "head_ref": head_ref,
        "base_ref": base_ref,
        "head_sha": head_sha,
        "base_sha": base_sha,
        "maintainer_can_modify": bool(body.get("maintainer_can_modify", True)),
        "merged": False,
        "merged_at": None,
        "merged_by": None,
        "merge_commit_sha": None,
        "stats": None,
    }
    issues.save(call, repo, issue)
    save(call, repo, pull)
    hooks.emit(call, repo, "pull_request", event(call, repo, issue, pull, "opened"))
    return ok(call, render(call, repo, issue, pull), 201)


def _issue_for(call: Call, repo: state.Record, body: dict[str, Any]) -> state.Record:
    """The pull request's issue: a new one, or the existing issue `issue` names."""
    draft = bool(body.get("draft", False))
    if body.get("issue") is None:
        title = body.get("title")
        if not isinstance(title, str) or not title:
            raise invalid("PullRequest", "title", "missing_field")
        return issues.new(call, repo, title, body.get("body"), pull=True, draft=draft)
    issue = issues.find(call, repo, str(body["issue"]))
    if issue is None or issue["pull"] or issue["state"] != "open":
        raise invalid("PullRequest", "issue")
    issue.update({"pull": True, "draft": draft, "updated_at": state.iso(call.now)})
    return issue


# -- read and change ----------------------------------------------------------------------

_SORT_KEYS: dict[str, Callable[[state.Record], Any]] = {
    "created": lambda i: (i["created_at"], i["number"]),
    "updated": lambda i: (i["updated_at"], i["number"]),
    "popularity": lambda i: (i["comments"], i["number"]),
    "long-running": lambda i: (i["created_at"], i["number"]),
}


@routes("GET /repos/{owner}/{repo}/pulls")
def list_pulls(call: Call) -> Reply:
    repo = repos.load(call)
    wanted = call.query.get("state") or "open"
    head = call.query.get("head")
    base = call.query.get("base")
    pairs = []
    for pull in state.rows(call, state.PULLS, str(repo["id"])):
        issue = issues.load(call, repo, pull["number"])
        if wanted != "all" and issue["state"] != wanted:
            continue
        if head and f"{repo['owner']}:{pull['head_ref']}".lower() != str(head).lower():
            continue
        if base and pull["base_ref"] != base:
            continue
        pairs.append((issue, pull))
    sort = str(call.query.get("sort") or "created")
    descending = (
        call.query.get("direction") or ("asc" if sort == "long-running" else "desc")
    ) == "desc"
    pairs.sort(key=lambda p: _SORT_KEYS.get(sort, _SORT_KEYS["created"])(p[0]), reverse=descending)
    known = labels.by_id(call, repo)
    return paginated(call, pairs, lambda p: render(call, repo, p[0], p[1], known))


@routes("GET /repos/{owner}/{repo}/pulls/{pull_number}")
def get_pull(call: Call) -> Reply:
    repo, issue, pull = pair(call)
    return ok(call, render(call, repo, issue, pull))


@routes("PATCH /repos/{owner}/{repo}/pulls/{pull_number}")
def update_pull(call: Call) -> Reply:
    repo, issue, pull = pair(call)
    body = call.body if isinstance(call.body, dict) else {}
    if body.get("title") is not None:
        issue["title"] = str(body["title"])
    if "body" in body:
        issue["body"] = body["body"]
    if body.get("base") is not None:
        if git.branch_sha(call, int(repo["id"]), str(body["base"])) is None:
            raise invalid("PullRequest", "base")
        pull["base_ref"] = str(body["base"])
    if isinstance(body.get("maintainer_can_modify"), bool):
        pull["maintainer_can_modify"] = body["maintainer_can_modify"]
    reopening = body.get("state") == "open" and issue["state"] == "closed"
    if reopening and git.branch_sha(call, int(repo["id"]), pull["head_ref"]) is None:
        raise _custom(f"The {pull['head_ref']} branch has been deleted.")
    if body.get("state") == "closed" and issue["state"] == "open":
        freeze(call, repo, issue, pull)
    action = issues.change_state(call, issue, body.get("state"), None, bool(pull["merged"]))
    issue["updated_at"] = state.iso(call.now)
    issues.save(call, repo, issue)
    save(call, repo, pull)
    hooks.emit(call, repo, "pull_request", event(call, repo, issue, pull, action or "edited"))
    return ok(call, render(call, repo, issue, pull))


def freeze(call: Call, repo: state.Record, issue: state.Record, pull: state.Record) -> None:
    """A closing pull request keeps its head, base and numbers as they are now."""
    head, base = tips(call, repo, issue, pull)
    pull["head_sha"], pull["base_sha"] = head, base
    pull["stats"] = diffs.stats(call, int(repo["id"]), base, head).as_dict()
