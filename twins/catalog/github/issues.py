"""Issues: `/repos/{owner}/{repo}/issues[/{issue_number}]`. The list shows pull requests
too, as GitHub's does; changing a pull request's issue changes the pull request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.github import hooks, labels, pulls, repos, state
from twins.catalog.github.errors import GitHubError, invalid, too_long
from twins.catalog.github.issue_model import change_state, load, new, render, rendered, save
from twins.catalog.github.reply import ok, paginated
from twins.catalog.github.routes import routes
from twins.catalog.github.users import account

MAX_TITLE = 256
MAX_BODY = 65_536
MAX_ASSIGNEES = 10


def _title(value: Any) -> str:
    title = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
    if not title:
        raise invalid("Issue", "title", "missing_field")
    if len(title) > MAX_TITLE:
        raise too_long("Issue", "title", MAX_TITLE)
    return title


def _text(value: Any) -> str | None:
    """An issue's body: text up to GitHub's limit, or None."""
    if value is not None and len(str(value)) > MAX_BODY:
        raise too_long("Issue", "body", MAX_BODY)
    return None if value is None else str(value)


def _assignees(call: Call, logins: list[Any]) -> list[str]:
    """Valid logins, each once; GitHub silently drops assignees it cannot assign."""
    if len(logins) > MAX_ASSIGNEES:
        raise too_long("Issue", "assignees", MAX_ASSIGNEES, "assignees")
    found: dict[str, str] = {}
    for login in logins:
        who = account(call, login) if isinstance(login, str) else None
        if who is not None:
            found.setdefault(who.key, who.login)
    return list(found.values())


def assignees_from(call: Call, body: dict[str, Any]) -> list[str] | None:
    """The assignees a body asks for (`assignees`, or the older single `assignee`)."""
    if body.get("assignees") is not None:
        return _assignees(call, list(body["assignees"]))
    if "assignee" in body:
        return _assignees(call, [body["assignee"]] if body["assignee"] else [])
    return None


@routes("POST /repos/{owner}/{repo}/issues")
def create_issue(call: Call) -> Reply:
    repo = repos.load(call)
    if not repo["has_issues"]:
        raise GitHubError(410, "Issues are disabled for this repo")
    body = call.body if isinstance(call.body, dict) else {}
    issue = new(call, repo, _title(body.get("title")), _text(body.get("body")))
    issue["labels"] = [
        int(label["id"]) for label in labels.ensure(call, repo, labels.names_of(body.get("labels")))
    ]
    issue["assignees"] = assignees_from(call, body) or []
    save(call, repo, issue)
    payload = rendered(call, repo, issue)
    hooks.emit(call, repo, "issues", {"action": "opened", "issue": payload})
    return ok(call, payload, 201)


@routes("GET /repos/{owner}/{repo}/issues/{issue_number}")
def get_issue(call: Call) -> Reply:
    repo = repos.load(call)
    return ok(call, rendered(call, repo, load(call, repo, call.path_params["issue_number"])))


@routes("PATCH /repos/{owner}/{repo}/issues/{issue_number}")
def update_issue(call: Call) -> Reply:
    repo = repos.load(call)
    issue = load(call, repo, call.path_params["issue_number"])
    body = call.body if isinstance(call.body, dict) else {}
    if body.get("title") is not None:
        issue["title"] = _title(body["title"])
    if "body" in body:
        issue["body"] = _text(body["body"])
    if body.get("labels") is not None:
        found = labels.ensure(call, repo, labels.names_of(body["labels"]))
        issue["labels"] = [int(label["id"]) for label in found]
    assignees = assignees_from(call, body)
    if assignees is not None:
        issue["assignees"] = assignees
    pull = pulls.load(call, repo, issue["number"]) if issue["pull"] else None
    if pull is not None and body.get("state") == "closed" and issue["state"] == "open":
        pulls.freeze(call, repo, issue, pull)
    merged = pull is not None and bool(pull["merged"])
    action = change_state(call, issue, body.get("state"), body.get("state_reason"), merged)
    issue["updated_at"] = state.iso(call.now)
    save(call, repo, issue)
    if pull is None:
        payload = rendered(call, repo, issue)
        hooks.emit(call, repo, "issues", {"action": action or "edited", "issue": payload})
        return ok(call, payload)
    pulls.save(call, repo, pull)
    hooks.emit(call, repo, "pull_request", pulls.event(call, repo, issue, pull, action or "edited"))
    return ok(call, render(call, repo, issue, merged_at=pull["merged_at"]))


# -- listing ------------------------------------------------------------------------------

_SORT_KEYS: dict[str, Callable[[state.Record], Any]] = {
    "created": lambda i: (i["created_at"], i["number"]),
    "updated": lambda i: (i["updated_at"], i["number"]),
    "comments": lambda i: (i["comments"], i["number"]),
}


@routes("GET /repos/{owner}/{repo}/issues")
def list_issues(call: Call) -> Reply:
    repo = repos.load(call)
    known = labels.by_id(call, repo)
    found = [i for i in state.rows(call, state.ISSUES, str(repo["id"])) if _matches(call, i, known)]
    sort = str(call.query.get("sort") or "created")
    found.sort(
        key=_SORT_KEYS.get(sort, _SORT_KEYS["created"]),
        reverse=call.query.get("direction") != "asc",
    )
    merged = {
        int(p["number"]): p.get("merged_at") for p in state.rows(call, state.PULLS, str(repo["id"]))
    }
    return paginated(
        call, found, lambda i: render(call, repo, i, known, merged.get(int(i["number"])))
    )


def _matches(call: Call, issue: state.Record, known: dict[int, state.Record]) -> bool:
    query = call.query
    wanted_state = query.get("state") or "open"
    if wanted_state != "all" and issue["state"] != wanted_state:
        return False
    if query.get("milestone") not in (None, "none"):
        return False  # this twin keeps no milestones, so no issue has one
    if not _assigned(issue, query.get("assignee")):
        return False
    creator = query.get("creator")
    if creator and str(issue["user"]).lower() != str(creator).lower():
        return False
    mentioned = query.get("mentioned")
    if mentioned and f"@{str(mentioned).lower()}" not in str(issue["body"] or "").lower():
        return False
    names = {str(known[i]["name"]).lower() for i in issue["labels"] if i in known}
    wanted_labels = [
        n.strip().lower() for n in str(query.get("labels") or "").split(",") if n.strip()
    ]
    if not names.issuperset(wanted_labels):
        return False
    since = query.get("since")
    moment = state.parse_iso(since) if isinstance(since, str) else None
    return moment is None or (state.parse_iso(issue["updated_at"]) or 0) >= moment


def _assigned(issue: state.Record, assignee: Any) -> bool:
    if assignee is None:
        return True
    if assignee == "none":
        return not issue["assignees"]
    if assignee == "*":
        return bool(issue["assignees"])
    return str(assignee).lower() in {login.lower() for login in issue["assignees"]}
