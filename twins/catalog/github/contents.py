"""File contents: `GET/PUT/DELETE /repos/{owner}/{repo}/contents/{path}`.

Every write is a commit on a branch (default: the repository's default branch). Changing or
deleting a file takes the blob sha the client last saw: a missing one is GitHub's 422, a stale
one its 409, so two clients never overwrite each other unknowingly.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import quote

from twins.behaviour.call import Call, Reply
from twins.catalog.github import git, pushes, repos, state
from twins.catalog.github.errors import GitHubError, conflict, invalid, not_found
from twins.catalog.github.reply import ok
from twins.catalog.github.routes import API, routes
from twins.catalog.github.users import viewer

LINE = 60  # GitHub wraps base64 content at 60 characters
RAW_ACCEPT = ".raw"  # application/vnd.github.raw(+json), application/vnd.github.v3.raw


def _path(call: Call) -> str:
    path = call.path_params["path"].strip("/")
    segments = path.split("/")
    if not path or any(s in ("", ".", "..") for s in segments):
        raise not_found()
    return path


def _wrapped(encoded: str) -> str:
    return "".join(encoded[i : i + LINE] + "\n" for i in range(0, len(encoded), LINE))


def _entry(
    repo: state.Record, path: str, sha: str, kind: str, size: int, commit: str
) -> dict[str, Any]:
    """One item of a directory listing (and the `content` of a write), without the content."""
    name = repos.full_name(repo)
    url = f"{API}/repos/{name}/contents/{quote(path)}?ref={commit}"
    git_url = f"{API}/repos/{name}/git/{'blobs' if kind == 'file' else 'trees'}/{sha}"
    html_url = f"{API}/{name}/{'blob' if kind == 'file' else 'tree'}/{commit}/{quote(path)}"
    download = f"{API}/{name}/raw/{commit}/{quote(path)}" if kind == "file" else None
    return {
        "type": kind,
        "size": size,
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "url": url,
        "git_url": git_url,
        "html_url": html_url,
        "download_url": download,
        "_links": {"self": url, "git": git_url, "html": html_url},
    }


def _file(call: Call, repo: state.Record, path: str, blob_sha: str, commit: str) -> dict[str, Any]:
    found = git.blob(call, int(repo["id"]), blob_sha)
    assert found is not None, "a tree names only blobs it has"
    entry = _entry(repo, path, blob_sha, "file", int(found["size"]), commit)
    return {**entry, "encoding": "base64", "content": _wrapped(str(found["content"]))}


def _listing(
    call: Call, repo: state.Record, tree: git.Tree, path: str, commit: str
) -> list[dict[str, Any]]:
    """The entries of folder `path` (empty when there is no such folder)."""
    prefix = f"{path}/" if path else ""
    files: dict[str, str] = {}
    folders: dict[str, git.Tree] = {}
    for item, sha in tree.items():
        if not item.startswith(prefix):
            continue
        head, _, rest = item[len(prefix) :].partition("/")
        if rest:
            folders.setdefault(head, {})[rest] = sha
        else:
            files[head] = sha
    entries = [
        _entry(repo, prefix + n, git.tree_sha(t), "dir", 0, commit) for n, t in folders.items()
    ]
    for name, sha in files.items():
        found = git.blob(call, int(repo["id"]), sha)
        size = int(found["size"]) if found else 0
        entries.append(_entry(repo, prefix + name, sha, "file", size, commit))
    return sorted(entries, key=lambda e: str(e["name"]))


@routes("GET /repos/{owner}/{repo}/contents/{path}")
def get_contents(call: Call) -> Reply:
    repo = repos.load(call)
    raw_ref = call.path_params.get("ref")  # the raw download route (see GitHubPack.aliases)
    commit = git.resolve(call, repo, raw_ref or call.query.get("ref"))
    tree = git.tree_of(call, int(repo["id"]), commit)
    path = _path(call)
    if path in tree:
        if raw_ref is not None or RAW_ACCEPT in str(call.headers.get("accept", "")):
            return _raw(call, repo, tree[path])
        return ok(call, _file(call, repo, path, tree[path], commit))
    listing = _listing(call, repo, tree, path, commit)
    if not listing:
        raise not_found()
    return ok(call, listing)


def _raw(call: Call, repo: state.Record, blob_sha: str) -> Reply:
    found = git.blob(call, int(repo["id"]), blob_sha)
    assert found is not None, "a tree names only blobs it has"
    return Reply(200, base64.b64decode(found["content"]), "application/vnd.github.raw")


def _people(call: Call, body: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(author, committer): as sent, else the authenticated user, now."""
    default = git.signature(viewer(call), call.now)

    def person(value: Any, fallback: dict[str, str]) -> dict[str, str]:
        if not isinstance(value, dict):
            return fallback
        if not value.get("name") or not value.get("email"):
            raise invalid("Commit", "name" if not value.get("name") else "email", "missing_field")
        return {
            "name": str(value["name"]),
            "email": str(value["email"]),
            "date": str(value.get("date") or default["date"]),
        }

    committer = person(body.get("committer"), default)
    return person(body.get("author"), committer), committer


def _branch(call: Call, repo: state.Record, body: dict[str, Any]) -> tuple[str, str]:
    branch = str(body.get("branch") or repo["default_branch"])
    head = git.branch_sha(call, int(repo["id"]), branch)
    if head is None:
        raise not_found(f"Branch {branch} not found")
    return branch, head


def _check_sha(path: str, current: str, sent: Any) -> None:
    if not sent:
        raise GitHubError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
    if sent != current:
        raise conflict(f"{path} does not match {sent}")


def _decoded(value: Any) -> bytes:
    try:
        return base64.b64decode("".join(str(value).split()), validate=True)
    except (binascii.Error, ValueError):
        raise invalid("Content", "content", "invalid", "content is not valid Base64") from None


def _commit(
    call: Call, repo: state.Record, branch: str, head: str, tree: git.Tree, body: dict[str, Any]
) -> state.Record:
    author, committer = _people(call, body)
    message = str(body.get("message") or "")
    if not message:
        raise invalid("Commit", "message", "missing_field")
    record = git.write_commit(call, int(repo["id"]), tree, [head], message, author, committer)
    pushes.move(call, repo, f"refs/heads/{branch}", head, record["sha"])
    return record


@routes("PUT /repos/{owner}/{repo}/contents/{path}")
def put_contents(call: Call) -> Reply:
    repo = repos.load(call)
    repo_id = int(repo["id"])
    body = call.body if isinstance(call.body, dict) else {}
    path = _path(call)
    data = _decoded(body.get("content", ""))
    branch, head = _branch(call, repo, body)
    tree = git.tree_of(call, repo_id, head)
    if any(p.startswith(f"{path}/") for p in tree) or any(path.startswith(f"{p}/") for p in tree):
        raise invalid(
            "Content", "path", "invalid", f"{path} clashes with a file or folder of the same name"
        )
    current = tree.get(path)
    if current is not None:
        _check_sha(path, current, body.get("sha"))
    tree[path] = git.put_blob(call, repo_id, data)
    record = _commit(call, repo, branch, head, tree, body)
    content = _entry(repo, path, tree[path], "file", len(data), record["sha"])
    commit = git.git_commit(repos.full_name(repo), record)
    return ok(call, {"content": content, "commit": commit}, 200 if current else 201)


@routes("DELETE /repos/{owner}/{repo}/contents/{path}")
def delete_contents(call: Call) -> Reply:
    repo = repos.load(call)
    body = call.body if isinstance(call.body, dict) else {}
    path = _path(call)
    branch, head = _branch(call, repo, body)
    tree = git.tree_of(call, int(repo["id"]), head)
    current = tree.pop(path, None)
    if current is None:
        raise not_found()
    _check_sha(path, current, body.get("sha"))
    record = _commit(call, repo, branch, head, tree, body)
    return ok(call, {"content": None, "commit": git.git_commit(repos.full_name(repo), record)})
