"""Moving a branch: the ref update every write to git goes through, and its `push` webhook."""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call
from twins.catalog.github import git, hooks, repos, state
from twins.catalog.github.routes import API
from twins.catalog.github.users import viewer

ZERO_SHA = "0" * 40


def move(
    call: Call,
    repo: state.Record,
    ref: str,
    before: str | None,
    after: str | None,
    *,
    forced: bool = False,
) -> None:
    """Point `ref` at `after` (None deletes it), note the push on the repository and owe the
    `push` webhook. `before` is where the ref was (None: it is new)."""
    repo_id = int(repo["id"])
    if after is None:
        git.delete_ref(call, repo_id, ref)
    else:
        git.set_ref(call, repo_id, ref, after)
    repo["pushed_at"] = state.iso(call.now)
    repos.save(call, repo)
    hooks.emit(call, repo, "push", _payload(call, repo, ref, before, after, forced))


def _payload(
    call: Call, repo: state.Record, ref: str, before: str | None, after: str | None, forced: bool
) -> dict[str, Any]:
    name = repos.full_name(repo)
    repo_id = int(repo["id"])
    pushed = _new_commits(call, repo_id, before, after)
    commits = [_commit(call, repo_id, name, record) for record in pushed]
    me = viewer(call)
    old, new = before or ZERO_SHA, after or ZERO_SHA
    return {
        "ref": ref,
        "before": old,
        "after": new,
        "created": before is None,
        "deleted": after is None,
        "forced": forced,
        "base_ref": None,
        "compare": f"{API}/{name}/compare/{old[:12]}...{new[:12]}",
        "commits": commits,
        "head_commit": commits[-1] if commits else None,
        "pusher": {"name": me.login, "email": me.email},
    }


def _new_commits(
    call: Call, repo_id: int, before: str | None, after: str | None
) -> list[state.Record]:
    """Commits reachable from `after` but not from `before`, oldest first."""
    if after is None:
        return []
    known = set(git.history(call, repo_id, before)) if before else set()
    fresh = [sha for sha in git.history(call, repo_id, after) if sha not in known]
    if before is None:
        fresh = fresh[:1]  # a new branch announces its head only, as GitHub does
    records = [git.commit(call, repo_id, sha) for sha in reversed(fresh)]
    return [record for record in records if record is not None]


def _commit(call: Call, repo_id: int, name: str, record: state.Record) -> dict[str, Any]:
    parent = record["parents"][0] if record["parents"] else None
    old = git.tree_of(call, repo_id, parent) if parent else {}
    new: git.Tree = record["tree"]
    return {
        "id": record["sha"],
        "tree_id": record["tree_sha"],
        "distinct": True,
        "message": record["message"],
        "timestamp": record["committer"]["date"],
        "url": f"{API}/{name}/commit/{record['sha']}",
        "author": record["author"],
        "committer": record["committer"],
        "added": sorted(new.keys() - old.keys()),
        "removed": sorted(old.keys() - new.keys()),
        "modified": sorted(p for p in new.keys() & old.keys() if new[p] != old[p]),
    }
