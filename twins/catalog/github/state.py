"""Where the GitHub twin keeps its records, and the ids, numbers and times it hands out.

Records are GitHub's objects without the links and nested objects (those are rendered on every
read), so a renamed repository or label shows up right everywhere. Everything under a
repository is keyed by the repository's id, never by its name.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from typing import Any

from twins.behaviour.call import Call

Record = dict[str, Any]

REPOS = "github:repos"  # "owner/name" (lower case), parent: the owner (lower case)
ORGS = "github:orgs"  # organisation login (lower case)
ISSUES = "github:issues"  # "repo_id/number", parent: repo_id; pull requests too
PULLS = "github:pulls"  # "repo_id/number", parent: repo_id; what a pull request adds to its issue
COMMENTS = "github:comments"  # "repo_id/comment_id", parent: "repo_id/number"
LABELS = "github:labels"  # "repo_id/name" (lower case), parent: repo_id
REFS = "github:refs"  # "repo_id/refs/heads/main", parent: repo_id
COMMITS = "github:commits"  # "repo_id/sha", parent: repo_id
BLOBS = "github:blobs"  # "repo_id/sha", parent: repo_id
HOOKS = "github:hooks"  # "repo_id/hook_id", parent: repo_id

# Each kind of object counts its ids from its own base, so a number says what it names.
_ID_BASES = {
    "repository": 700_000_000,
    "issue": 2_000_000_000,
    "comment": 1_500_000_000,
    "label": 5_000_000_000,
    "pull": 1_800_000_000,
    "hook": 450_000_000,
    "delivery": 0,
}


def get(call: Call, collection: str, key: str) -> Record | None:
    return call.store.get(call.session, call.twin.name, collection, key)


def put(call: Call, collection: str, key: str, parent: str, body: Record) -> None:
    call.store.put(call.session, call.twin.name, collection, key, parent, body)


def delete(call: Call, collection: str, key: str) -> bool:
    return call.store.delete(call.session, call.twin.name, collection, key)


def rows(call: Call, collection: str, parent: str | None) -> list[Record]:
    """Every record under `parent` (None: every parent), in creation order."""
    return [body for _, body in call.store.list(call.session, call.twin.name, collection, parent)]


def count(call: Call, collection: str, parent: str, **equal: Any) -> int:
    return call.store.count(call.session, call.twin.name, collection, parent, filters=equal or None)


def next_id(call: Call, kind: str) -> int:
    return _ID_BASES[kind] + call.store.next_value(call.session, call.twin.name, f"github:{kind}")


def next_number(call: Call, repo_id: int) -> int:
    """Issues and pull requests share one sequence per repository, from 1."""
    return call.store.next_value(call.session, call.twin.name, f"github:number:{repo_id}")


def number_key(value: int | str) -> str:
    """A number as keys hold it: `/issues/007` names issue 7, as on GitHub."""
    text = str(value)
    return str(int(text)) if text.isdigit() else text


def node_id(kind: str, number: int) -> str:
    """GitHub's (legacy) global node id: base64 of "0<len>:<Kind><id>", e.g. MDQ6VXNlcjE=."""
    return base64.b64encode(f"0{len(kind)}:{kind}{number}".encode()).decode()


def iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> float | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def sha1(*parts: str | bytes) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
    return digest.hexdigest()
