"""Labels of a repository: GitHub's defaults for new repositories, names unique regardless of
case, and `/repos/{owner}/{repo}/labels`. Issues hold label ids, so a renamed label is renamed
on every issue at once."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from twins.behaviour.call import Call, Reply
from twins.catalog.github import repos, state
from twins.catalog.github.errors import invalid, not_found, too_long
from twins.catalog.github.reply import no_content, ok, paginated
from twins.catalog.github.routes import API, routes

DEFAULT_COLOR = "ededed"
MAX_DESCRIPTION = 100
MAX_NAME = 50
MAX_PER_ISSUE = 100
_COLOR = re.compile(r"^[0-9a-fA-F]{6}$")
# What every new GitHub repository starts with: (name, color, description).
DEFAULTS = (
    ("bug", "d73a4a", "Something isn't working"),
    ("documentation", "0075ca", "Improvements or additions to documentation"),
    ("duplicate", "cfd3d7", "This issue or pull request already exists"),
    ("enhancement", "a2eeef", "New feature or request"),
    ("good first issue", "7057ff", "Good for newcomers"),
    ("help wanted", "008672", "Extra attention is needed"),
    ("invalid", "e4e669", "This doesn't seem right"),
    ("question", "d876e3", "Further information is requested"),
    ("wontfix", "ffffff", "This will not be worked on"),
)


def _key(repo: state.Record, name: str) -> str:
    return f"{repo['id']}/{name.lower()}"


def find(call: Call, repo: state.Record, name: str) -> state.Record | None:
    return state.get(call, state.LABELS, _key(repo, name))


def by_id(call: Call, repo: state.Record) -> dict[int, state.Record]:
    return {int(label["id"]): label for label in state.rows(call, state.LABELS, str(repo["id"]))}


def _save(call: Call, repo: state.Record, label: state.Record) -> None:
    state.put(call, state.LABELS, _key(repo, str(label["name"])), str(repo["id"]), label)


def add(
    call: Call, repo: state.Record, name: str, color: str, description: str | None, default: bool
) -> state.Record:
    label = {
        "id": state.next_id(call, "label"),
        "name": name,
        "color": color.lower(),
        "description": description,
        "default": default,
    }
    _save(call, repo, label)
    return label


def add_defaults(call: Call, repo: state.Record) -> None:
    for name, color, description in DEFAULTS:
        add(call, repo, name, color, description, default=True)


def ensure(call: Call, repo: state.Record, names: list[str]) -> list[state.Record]:
    """The labels named, created (grey, as GitHub does) when the repository lacks them."""
    if len(names) > MAX_PER_ISSUE:
        raise too_long("Issue", "labels", MAX_PER_ISSUE, "labels")
    found: dict[str, state.Record] = {}
    for name in map(_name, names):
        label = find(call, repo, name) or add(call, repo, name, DEFAULT_COLOR, None, False)
        found[str(label["name"]).lower()] = label
    return list(found.values())


def names_of(value: Any) -> list[str]:
    """Label names from what GitHub accepts: names, or objects with a `name`."""
    items = value if isinstance(value, list) else []
    names = [item.get("name") if isinstance(item, dict) else item for item in items]
    return [
        str(name).strip() for name in names if isinstance(name, str | int) and str(name).strip()
    ]


def render(repo: state.Record, label: state.Record) -> dict[str, Any]:
    url = f"{API}/repos/{repos.full_name(repo)}/labels/{quote(str(label['name']), safe='')}"
    return {
        "id": label["id"],
        "node_id": state.node_id("Label", int(label["id"])),
        "url": url,
        "name": label["name"],
        "color": label["color"],
        "default": label["default"],
        "description": label["description"],
    }


def _color(value: Any) -> str:
    color = str(value).removeprefix("#")
    if not _COLOR.match(color):
        raise invalid("Label", "color")
    return color


def _description(value: Any) -> str | None:
    if value is not None and len(str(value)) > MAX_DESCRIPTION:
        raise too_long("Label", "description", MAX_DESCRIPTION)
    return None if value is None else str(value)


def _name(value: Any) -> str:
    name = str(value).strip()
    if not name:
        raise invalid("Label", "name", "missing_field")
    if len(name) > MAX_NAME:
        raise too_long("Label", "name", MAX_NAME)
    return name


@routes("GET /repos/{owner}/{repo}/labels")
def list_labels(call: Call) -> Reply:
    repo = repos.load(call)
    found = state.rows(call, state.LABELS, str(repo["id"]))
    found.sort(key=lambda label: str(label["name"]).lower())
    return paginated(call, found, lambda label: render(repo, label))


@routes("POST /repos/{owner}/{repo}/labels")
def create_label(call: Call) -> Reply:
    repo = repos.load(call)
    body = call.body if isinstance(call.body, dict) else {}
    name = _name(body.get("name", ""))
    color = _color(body["color"]) if body.get("color") is not None else DEFAULT_COLOR
    description = _description(body.get("description"))
    if find(call, repo, name) is not None:
        raise invalid("Label", "name", "already_exists")
    return ok(call, render(repo, add(call, repo, name, color, description, False)), 201)


@routes("GET /repos/{owner}/{repo}/labels/{name}")
def get_label(call: Call) -> Reply:
    repo = repos.load(call)
    label = find(call, repo, call.path_params["name"])
    if label is None:
        raise not_found()
    return ok(call, render(repo, label))


@routes("PATCH /repos/{owner}/{repo}/labels/{name}")
def update_label(call: Call) -> Reply:
    repo = repos.load(call)
    label = find(call, repo, call.path_params["name"])
    if label is None:
        raise not_found()
    body = call.body if isinstance(call.body, dict) else {}
    if body.get("new_name") is not None:
        new_name = _name(body["new_name"])
        clash = find(call, repo, new_name)
        if clash is not None and clash["id"] != label["id"]:
            raise invalid("Label", "name", "already_exists")
        state.delete(call, state.LABELS, _key(repo, str(label["name"])))
        label["name"] = new_name
    if body.get("color") is not None:
        label["color"] = _color(body["color"]).lower()
    if "description" in body:
        label["description"] = _description(body["description"])
    label["default"] = False
    _save(call, repo, label)
    return ok(call, render(repo, label))


@routes("DELETE /repos/{owner}/{repo}/labels/{name}")
def delete_label(call: Call) -> Reply:
    repo = repos.load(call)
    label = find(call, repo, call.path_params["name"])
    if label is None:
        raise not_found()
    state.delete(call, state.LABELS, _key(repo, str(label["name"])))
    _forget_on_issues(call, repo, int(label["id"]))
    return no_content()


def _forget_on_issues(call: Call, repo: state.Record, label_id: int) -> None:
    for issue in state.rows(call, state.ISSUES, str(repo["id"])):
        if label_id in issue["labels"]:
            issue["labels"] = [i for i in issue["labels"] if i != label_id]
            state.put(call, state.ISSUES, f"{repo['id']}/{issue['number']}", str(repo["id"]), issue)
