"""Issue comments: `/repos/{owner}/{repo}/issues/{issue_number}/comments` and
`/repos/{owner}/{repo}/issues/comments/{comment_id}`. A comment keeps its issue's `comments`
count and `updated_at` current, as GitHub does."""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.github import hooks, repos, state
from twins.catalog.github import issue_model as issues
from twins.catalog.github.errors import invalid, not_found, too_long
from twins.catalog.github.reply import no_content, ok, paginated
from twins.catalog.github.routes import API, routes
from twins.catalog.github.users import viewer

MAX_BODY = 65_536


def _key(repo: state.Record, comment_id: int | str) -> str:
    return f"{repo['id']}/{state.number_key(comment_id)}"


def _load(call: Call, repo: state.Record) -> state.Record:
    found = state.get(call, state.COMMENTS, _key(repo, call.path_params["comment_id"]))
    if found is None:
        raise not_found()
    return found


def _save(call: Call, repo: state.Record, comment: state.Record) -> None:
    parent = f"{repo['id']}/{comment['issue_number']}"
    state.put(call, state.COMMENTS, _key(repo, comment["id"]), parent, comment)


def render(call: Call, repo: state.Record, comment: state.Record) -> dict[str, Any]:
    name = repos.full_name(repo)
    number = comment["issue_number"]
    url = f"{API}/repos/{name}/issues/comments/{comment['id']}"
    return {
        "id": comment["id"],
        "node_id": state.node_id("IssueComment", int(comment["id"])),
        "url": url,
        "html_url": f"{API}/{name}/issues/{number}#issuecomment-{comment['id']}",
        "body": comment["body"],
        "user": issues.person(call, comment["user"]),
        "created_at": comment["created_at"],
        "updated_at": comment["updated_at"],
        "issue_url": f"{API}/repos/{name}/issues/{number}",
        "author_association": repos.association(call, repo),
        "performed_via_github_app": None,
        "reactions": issues.reactions(f"{url}/reactions"),
    }


def _body(call: Call) -> str:
    body = call.body.get("body") if isinstance(call.body, dict) else None
    if not isinstance(body, str) or not body:
        raise invalid("IssueComment", "body", "missing_field")
    if len(body) > MAX_BODY:
        raise too_long("IssueComment", "body", MAX_BODY)
    return body


def _touch(call: Call, repo: state.Record, issue: state.Record, change: int) -> None:
    issue["comments"] = max(0, int(issue["comments"]) + change)
    issue["updated_at"] = state.iso(call.now)
    issues.save(call, repo, issue)


def _announce(
    call: Call, repo: state.Record, issue: state.Record, comment: state.Record, action: str
) -> None:
    payload = {
        "action": action,
        "issue": issues.rendered(call, repo, issue),
        "comment": render(call, repo, comment),
    }
    hooks.emit(call, repo, "issue_comment", payload)


@routes("POST /repos/{owner}/{repo}/issues/{issue_number}/comments")
def create_comment(call: Call) -> Reply:
    repo = repos.load(call)
    issue = issues.load(call, repo, call.path_params["issue_number"])
    now = state.iso(call.now)
    comment = {
        "id": state.next_id(call, "comment"),
        "issue_number": issue["number"],
        "body": _body(call),
        "user": viewer(call).login,
        "created_at": now,
        "updated_at": now,
    }
    _save(call, repo, comment)
    _touch(call, repo, issue, +1)
    _announce(call, repo, issue, comment, "created")
    return ok(call, render(call, repo, comment), 201)


@routes("GET /repos/{owner}/{repo}/issues/{issue_number}/comments")
def list_comments(call: Call) -> Reply:
    repo = repos.load(call)
    issue = issues.load(call, repo, call.path_params["issue_number"])
    found = state.rows(call, state.COMMENTS, f"{repo['id']}/{issue['number']}")
    since = call.query.get("since")
    moment = state.parse_iso(since) if isinstance(since, str) else None
    if moment is not None:
        found = [c for c in found if (state.parse_iso(c["updated_at"]) or 0) >= moment]
    return paginated(call, found, lambda comment: render(call, repo, comment))


@routes("GET /repos/{owner}/{repo}/issues/comments/{comment_id}")
def get_comment(call: Call) -> Reply:
    repo = repos.load(call)
    return ok(call, render(call, repo, _load(call, repo)))


@routes("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")
def update_comment(call: Call) -> Reply:
    repo = repos.load(call)
    comment = _load(call, repo)
    comment["body"] = _body(call)
    comment["updated_at"] = state.iso(call.now)
    _save(call, repo, comment)
    issue = issues.load(call, repo, comment["issue_number"])
    _announce(call, repo, issue, comment, "edited")
    return ok(call, render(call, repo, comment))


@routes("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}")
def delete_comment(call: Call) -> Reply:
    repo = repos.load(call)
    comment = _load(call, repo)
    state.delete(call, state.COMMENTS, _key(repo, comment["id"]))
    issue = issues.load(call, repo, comment["issue_number"])
    _touch(call, repo, issue, -1)
    _announce(call, repo, issue, comment, "deleted")
    return no_content()
