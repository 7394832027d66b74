"""Issues as the twin keeps them, and GitHub's `issue` object rendered from them.

A pull request is an issue too (GitHub numbers both from one sequence per repository, and the
issues list shows both); its issue record carries `pull: true`.
"""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call
from twins.catalog.github import labels, repos, state
from twins.catalog.github.errors import GitHubError, not_found
from twins.catalog.github.routes import API
from twins.catalog.github.users import account, simple, viewer

STATE_REASONS = ("completed", "not_planned", "duplicate", "reopened")


def key(repo: state.Record, number: int | str) -> str:
    return f"{repo['id']}/{state.number_key(number)}"


def find(call: Call, repo: state.Record, number: int | str) -> state.Record | None:
    return state.get(call, state.ISSUES, key(repo, number))


def load(call: Call, repo: state.Record, number: int | str) -> state.Record:
    found = find(call, repo, number)
    if found is None:
        raise not_found()
    return found


def save(call: Call, repo: state.Record, issue: state.Record) -> None:
    state.put(call, state.ISSUES, key(repo, issue["number"]), str(repo["id"]), issue)


def new(call: Call, repo: state.Record, title: str, body: str | None, **extra: Any) -> state.Record:
    """A fresh open issue (or the issue half of a pull request), numbered in its repository."""
    now = state.iso(call.now)
    issue: state.Record = {
        "id": state.next_id(call, "issue"),
        "number": state.next_number(call, int(repo["id"])),
        "title": title,
        "body": body,
        "state": "open",
        "state_reason": None,
        "user": viewer(call).login,
        "labels": [],
        "assignees": [],
        "locked": False,
        "comments": 0,
        "created_at": now,
        "updated_at": now,
        "closed_at": None,
        "closed_by": None,
        "pull": False,
    }
    issue.update(extra)
    return issue


def person(call: Call, login: str | None) -> dict[str, Any] | None:
    found = account(call, login) if login else None
    return simple(found) if found is not None else None


def render(
    call: Call,
    repo: state.Record,
    issue: state.Record,
    known: dict[int, state.Record] | None = None,
    merged_at: str | None = None,
) -> dict[str, Any]:
    """GitHub's `issue`. `known`: the repository's labels by id, when rendering many."""
    name = repos.full_name(repo)
    base = f"{API}/repos/{name}"
    number = issue["number"]
    url = f"{base}/issues/{number}"
    known = known if known is not None else labels.by_id(call, repo)
    assignees = [p for p in (person(call, login) for login in issue["assignees"]) if p]
    web = f"{API}/{name}/{'pull' if issue['pull'] else 'issues'}/{number}"
    rendered: dict[str, Any] = {
        "id": issue["id"],
        "node_id": state.node_id("Issue", int(issue["id"])),
        "url": url,
        "repository_url": base,
        "labels_url": f"{url}/labels{{/name}}",
        "comments_url": f"{url}/comments",
        "events_url": f"{url}/events",
        "html_url": web,
        "number": number,
        "state": issue["state"],
        "state_reason": issue["state_reason"],
        "title": issue["title"],
        "body": issue["body"],
        "user": person(call, issue["user"]),
        "labels": [labels.render(repo, known[i]) for i in issue["labels"] if i in known],
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "milestone": None,
        "locked": issue["locked"],
        "active_lock_reason": None,
        "comments": issue["comments"],
        "created_at": issue["created_at"],
        "updated_at": issue["updated_at"],
        "closed_at": issue["closed_at"],
        "closed_by": person(call, issue["closed_by"]),
        "author_association": repos.association(call, repo),
        "timeline_url": f"{url}/timeline",
        "performed_via_github_app": None,
        "reactions": reactions(f"{url}/reactions"),
    }
    if issue["pull"]:
        pull_url = f"{base}/pulls/{number}"
        rendered["pull_request"] = {
            "url": pull_url,
            "html_url": web,
            "diff_url": f"{web}.diff",
            "patch_url": f"{web}.patch",
            "merged_at": merged_at,
        }
        rendered["draft"] = bool(issue.get("draft", False))
    return rendered


def reactions(url: str) -> dict[str, Any]:
    counts = dict.fromkeys(
        ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"), 0
    )
    return {"url": url, "total_count": 0, **counts}


def merged_at(call: Call, repo: state.Record, issue: state.Record) -> str | None:
    if not issue["pull"]:
        return None
    pull = state.get(call, state.PULLS, key(repo, issue["number"]))
    return pull.get("merged_at") if pull else None


def rendered(call: Call, repo: state.Record, issue: state.Record) -> dict[str, Any]:
    return render(call, repo, issue, merged_at=merged_at(call, repo, issue))


def change_state(
    call: Call, issue: state.Record, wanted: Any, reason: Any, merged: bool = False
) -> str | None:
    """Close or reopen; returns the webhook action ("closed", "reopened") or None."""
    if wanted not in ("open", "closed") or wanted == issue["state"]:
        return None
    if wanted == "open" and merged:
        raise GitHubError(
            422,
            "Validation Failed",
            [
                {
                    "resource": "PullRequest",
                    "code": "custom",
                    "message": "state cannot be changed. The pull request has been merged.",
                }
            ],
        )
    issue["state"] = wanted
    if wanted == "closed":
        issue["closed_at"] = state.iso(call.now)
        issue["closed_by"] = viewer(call).login
        issue["state_reason"] = (
            reason if reason in STATE_REASONS and reason != "reopened" else "completed"
        )
        return "closed"
    issue["closed_at"] = None
    issue["closed_by"] = None
    issue["state_reason"] = "reopened"
    return "reopened"
