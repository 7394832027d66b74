"""Comparing trees: what a pull request changes, and merging it three ways."""

from __future__ import annotations

import base64
import difflib
from dataclasses import dataclass

from twins.behaviour.call import Call
from twins.catalog.github import git

MAX_DIFFED_BYTES = 512 * 1024  # larger files count as changed without counting their lines


@dataclass(frozen=True)
class Stats:
    commits: int
    additions: int
    deletions: int
    changed_files: int

    def as_dict(self) -> dict[str, int]:
        return {
            "commits": self.commits,
            "additions": self.additions,
            "deletions": self.deletions,
            "changed_files": self.changed_files,
        }


def three_way(base_of_both: git.Tree, base: git.Tree, head: git.Tree) -> tuple[git.Tree, list[str]]:
    """`base` with `head`'s changes since their common ancestor laid over it, and the paths
    both sides changed differently (conflicts; the merge is refused when there are any)."""
    merged = dict(base)
    conflicts: list[str] = []
    for path in sorted(base_of_both.keys() | head.keys()):
        ours, theirs, ancestor = base.get(path), head.get(path), base_of_both.get(path)
        if theirs == ancestor or ours == theirs:
            continue
        if ours != ancestor:
            conflicts.append(path)
        elif theirs is None:
            merged.pop(path, None)
        else:
            merged[path] = theirs
    return merged, conflicts


def stats(call: Call, repo_id: int, base: str, head: str) -> Stats:
    """GitHub's numbers for a pull request of `head` into `base`."""
    ancestor = git.merge_base(call, repo_id, base, head)
    old = git.tree_of(call, repo_id, ancestor) if ancestor else {}
    new = git.tree_of(call, repo_id, head)
    changed = sorted(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))
    additions = deletions = 0
    for path in changed:
        added, removed = _line_changes(call, repo_id, old.get(path), new.get(path))
        additions += added
        deletions += removed
    return Stats(git.ahead_by(call, repo_id, head, base), additions, deletions, len(changed))


def _line_changes(call: Call, repo_id: int, old: str | None, new: str | None) -> tuple[int, int]:
    before, after = _lines(call, repo_id, old), _lines(call, repo_id, new)
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += i2 - i1
            added += j2 - j1
    return added, removed


def _lines(call: Call, repo_id: int, sha: str | None) -> list[str]:
    found = git.blob(call, repo_id, sha) if sha else None
    if found is None or int(found["size"]) > MAX_DIFFED_BYTES:
        return []
    return base64.b64decode(found["content"]).decode("utf-8", "replace").splitlines()
