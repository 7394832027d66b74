"""A small git: blobs, commits (each with its whole tree, path -> blob sha) and refs.

Blob shas are git's own (`sha1("blob <size>\\0" + data)`), so a client that hashes a file the
way git does finds the sha GitHub would give. Commit and tree shas are derived from their
contents the way git's are, without the timestamps (a replay gives the same shas).
"""

from __future__ import annotations

import base64
from collections import deque
from typing import Any

from twins.behaviour.call import Call
from twins.catalog.github import state
from twins.catalog.github.errors import not_found
from twins.catalog.github.routes import API
from twins.catalog.github.users import Account, simple

Tree = dict[str, str]  # path -> blob sha
MAX_HISTORY = 10_000  # commits walked looking for a common ancestor
HEX = frozenset("0123456789abcdef")


def _key(repo_id: int, name: str) -> str:
    return f"{repo_id}/{name}"


def blob_sha(data: bytes) -> str:
    return state.sha1(f"blob {len(data)}\0".encode(), data)


def put_blob(call: Call, repo_id: int, data: bytes) -> str:
    sha = blob_sha(data)
    encoded = base64.b64encode(data).decode()
    body = {"sha": sha, "size": len(data), "content": encoded}
    state.put(call, state.BLOBS, _key(repo_id, sha), str(repo_id), body)
    return sha


def blob(call: Call, repo_id: int, sha: str) -> state.Record | None:
    return state.get(call, state.BLOBS, _key(repo_id, sha))


def commit(call: Call, repo_id: int, sha: str) -> state.Record | None:
    return state.get(call, state.COMMITS, _key(repo_id, sha))


def tree_of(call: Call, repo_id: int, sha: str) -> Tree:
    found = commit(call, repo_id, sha)
    return dict(found["tree"]) if found else {}


def tree_sha(tree: Tree) -> str:
    return state.sha1("tree\n", *(f"{path}\0{sha}\n" for path, sha in sorted(tree.items())))


def signature(who: Account, moment: float) -> dict[str, str]:
    """A commit's author or committer: name, email, date."""
    return {"name": who.name, "email": who.email, "date": state.iso(moment)}


def write_commit(
    call: Call,
    repo_id: int,
    tree: Tree,
    parents: list[str],
    message: str,
    author: dict[str, str],
    committer: dict[str, str],
    salt: str = "",
) -> state.Record:
    """Store a commit; its sha comes from its contents (and `salt`, for root commits)."""
    root = tree_sha(tree)
    sha = state.sha1(
        "commit\n",
        f"tree {root}\n",
        *(f"parent {p}\n" for p in parents),
        f"author {author['name']} <{author['email']}>\n",
        f"committer {committer['name']} <{committer['email']}>\n",
        salt,
        "\n",
        message,
    )
    record = {
        "sha": sha,
        "tree_sha": root,
        "tree": tree,
        "parents": parents,
        "message": message,
        "author": author,
        "committer": committer,
    }
    state.put(call, state.COMMITS, _key(repo_id, sha), str(repo_id), record)
    return record


# -- refs ---------------------------------------------------------------------------------


def ref_sha(call: Call, repo_id: int, ref: str) -> str | None:
    found = state.get(call, state.REFS, _key(repo_id, ref))
    return str(found["sha"]) if found else None


def set_ref(call: Call, repo_id: int, ref: str, sha: str) -> None:
    state.put(call, state.REFS, _key(repo_id, ref), str(repo_id), {"ref": ref, "sha": sha})


def delete_ref(call: Call, repo_id: int, ref: str) -> bool:
    return state.delete(call, state.REFS, _key(repo_id, ref))


def refs(call: Call, repo_id: int, prefix: str = "refs/") -> list[state.Record]:
    """Refs under `prefix`, sorted by name as GitHub lists them."""
    found = [r for r in state.rows(call, state.REFS, str(repo_id)) if r["ref"].startswith(prefix)]
    return sorted(found, key=lambda r: str(r["ref"]))


def branch_sha(call: Call, repo_id: int, branch: str) -> str | None:
    return ref_sha(call, repo_id, f"refs/heads/{branch}")


def resolve(call: Call, repo: state.Record, wanted: str | None) -> str:
    """The commit a `ref` query names: a branch, a tag or a commit sha (default: the default
    branch). 404 when it names nothing."""
    repo_id = int(repo["id"])
    name = wanted or str(repo["default_branch"])
    for candidate in (name, f"refs/heads/{name}", f"refs/tags/{name}", f"refs/{name}"):
        if candidate.startswith("refs/") and (sha := ref_sha(call, repo_id, candidate)):
            return sha
    if len(name) == 40 and set(name) <= HEX and commit(call, repo_id, name) is not None:
        return name
    raise not_found(f"No commit found for the ref {name}")


def history(call: Call, repo_id: int, sha: str) -> list[str]:
    """`sha` and its ancestors, nearest first (breadth first), at most MAX_HISTORY."""
    seen: dict[str, None] = {}
    queue = deque([sha])
    while queue and len(seen) < MAX_HISTORY:
        current = queue.popleft()
        if current in seen:
            continue
        seen[current] = None
        found = commit(call, repo_id, current)
        if found is not None:
            queue.extend(found["parents"])
    return list(seen)


def merge_base(call: Call, repo_id: int, one: str, other: str) -> str | None:
    ancestors = set(history(call, repo_id, one))
    return next((sha for sha in history(call, repo_id, other) if sha in ancestors), None)


def ahead_by(call: Call, repo_id: int, head: str, base: str) -> int:
    """How many commits `head` has that `base` does not."""
    behind = set(history(call, repo_id, base))
    return sum(1 for sha in history(call, repo_id, head) if sha not in behind)


# -- rendering ----------------------------------------------------------------------------


def git_commit(full_name: str, record: state.Record) -> dict[str, Any]:
    """GitHub's git commit object (`/git/commits/{sha}`), as the contents API returns it."""
    base = f"{API}/repos/{full_name}"
    sha = record["sha"]
    return {
        "sha": sha,
        "node_id": state.node_id("Commit", int(sha[:12], 16)),
        "url": f"{base}/git/commits/{sha}",
        "html_url": f"{API}/{full_name}/commit/{sha}",
        "author": record["author"],
        "committer": record["committer"],
        "message": record["message"],
        "tree": {"url": f"{base}/git/trees/{record['tree_sha']}", "sha": record["tree_sha"]},
        "parents": [
            {
                "url": f"{base}/git/commits/{p}",
                "html_url": f"{API}/{full_name}/commit/{p}",
                "sha": p,
            }
            for p in record["parents"]
        ],
        "verification": _unsigned(),
    }


def repo_commit(full_name: str, record: state.Record, who: Account) -> dict[str, Any]:
    """GitHub's `commit` object (`/repos/{owner}/{repo}/commits/{sha}`)."""
    base = f"{API}/repos/{full_name}"
    sha = record["sha"]
    git = git_commit(full_name, record)
    return {
        "sha": sha,
        "node_id": git["node_id"],
        "commit": {
            "author": record["author"],
            "committer": record["committer"],
            "message": record["message"],
            "tree": git["tree"],
            "url": git["url"],
            "comment_count": 0,
            "verification": _unsigned(),
        },
        "url": f"{base}/commits/{sha}",
        "html_url": git["html_url"],
        "comments_url": f"{base}/commits/{sha}/comments",
        "author": simple(who),
        "committer": simple(who),
        "parents": [
            {"sha": p["sha"], "url": f"{base}/commits/{p['sha']}", "html_url": p["html_url"]}
            for p in git["parents"]
        ],
    }


def _unsigned() -> dict[str, Any]:
    return {
        "verified": False,
        "reason": "unsigned",
        "signature": None,
        "payload": None,
        "verified_at": None,
    }


def git_ref(full_name: str, ref: str, sha: str) -> dict[str, Any]:
    base = f"{API}/repos/{full_name}/git"
    return {
        "ref": ref,
        "node_id": state.node_id("Ref", int(state.sha1(ref)[:12], 16)),
        "url": f"{base}/{ref}",
        "object": {"type": "commit", "sha": sha, "url": f"{base}/commits/{sha}"},
    }
