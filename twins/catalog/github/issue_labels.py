"""The labels on one issue: `/repos/{owner}/{repo}/issues/{issue_number}/labels[/{name}]`.

GitHub takes the labels as `{"labels": [...]}` or as a bare array (PyGithub sends the array);
labels a repository lacks are created on the way, as GitHub does.
"""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.github import hooks, labels, repos, state
from twins.catalog.github import issue_model as issues
from twins.catalog.github.errors import invalid, not_found
from twins.catalog.github.reply import no_content, ok, paginated
from twins.catalog.github.routes import routes


def _sent(call: Call) -> list[str]:
    body = call.body
    return labels.names_of(body.get("labels") if isinstance(body, dict) else body)


def _on_issue(call: Call, repo: state.Record, issue: state.Record) -> list[state.Record]:
    known = labels.by_id(call, repo)
    return [known[i] for i in issue["labels"] if i in known]


def _answer(call: Call, repo: state.Record, issue: state.Record) -> Reply:
    return ok(call, [labels.render(repo, label) for label in _on_issue(call, repo, issue)])


def _apply(call: Call, repo: state.Record, issue: state.Record, label_ids: list[int]) -> None:
    added = [i for i in label_ids if i not in issue["labels"]]
    issue["labels"] = label_ids
    issue["updated_at"] = state.iso(call.now)
    issues.save(call, repo, issue)
    if added and not issue["pull"]:
        known = labels.by_id(call, repo)
        payload = issues.rendered(call, repo, issue)
        for label_id in added:
            event: dict[str, Any] = {"action": "labeled", "issue": payload}
            event["label"] = labels.render(repo, known[label_id])
            hooks.emit(call, repo, "issues", event)


def _target(call: Call) -> tuple[state.Record, state.Record]:
    repo = repos.load(call)
    return repo, issues.load(call, repo, call.path_params["issue_number"])


@routes("GET /repos/{owner}/{repo}/issues/{issue_number}/labels")
def list_on_issue(call: Call) -> Reply:
    repo, issue = _target(call)
    found = _on_issue(call, repo, issue)
    return paginated(call, found, lambda label: labels.render(repo, label))


@routes("POST /repos/{owner}/{repo}/issues/{issue_number}/labels")
def add_to_issue(call: Call) -> Reply:
    repo, issue = _target(call)
    names = _sent(call)
    if not names:
        raise invalid("Label", "labels", "missing_field")
    ids = [int(label["id"]) for label in labels.ensure(call, repo, names)]
    _apply(call, repo, issue, [*issue["labels"], *(i for i in ids if i not in issue["labels"])])
    return _answer(call, repo, issue)


@routes("PUT /repos/{owner}/{repo}/issues/{issue_number}/labels")
def set_on_issue(call: Call) -> Reply:
    repo, issue = _target(call)
    ids = [int(label["id"]) for label in labels.ensure(call, repo, _sent(call))]
    _apply(call, repo, issue, ids)
    return _answer(call, repo, issue)


@routes("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels")
def clear_on_issue(call: Call) -> Reply:
    repo, issue = _target(call)
    _apply(call, repo, issue, [])
    return no_content()


@routes("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}")
def remove_from_issue(call: Call) -> Reply:
    repo, issue = _target(call)
    label = labels.find(call, repo, call.path_params["name"])
    if label is None or label["id"] not in issue["labels"]:
        raise not_found("Label does not exist")
    _apply(call, repo, issue, [i for i in issue["labels"] if i != label["id"]])
    return _answer(call, repo, issue)
