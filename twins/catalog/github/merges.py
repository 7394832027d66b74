"""Merging a pull request: `GET/PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge`.

A merge writes a real commit on the base branch: a merge commit (two parents) for `merge`, one
commit for `squash` and `rebase`, holding the base with the head's changes since their common
ancestor. Both sides changing a file differently is a conflict, and the merge is refused.
"""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.github import diffs, git, hooks, pulls, pushes, repos, state
from twins.catalog.github import issue_model as issues
from twins.catalog.github.errors import GitHubError, conflict
from twins.catalog.github.reply import ok
from twins.catalog.github.routes import routes
from twins.catalog.github.users import viewer

NOT_MERGEABLE = "Pull Request is not mergeable"
MERGE_SETTINGS = {
    "merge": "allow_merge_commit",
    "squash": "allow_squash_merge",
    "rebase": "allow_rebase_merge",
}


@routes("GET /repos/{owner}/{repo}/pulls/{pull_number}/merge")
def check_merged(call: Call) -> Reply:
    repo = repos.load(call)
    found = state.get(call, state.PULLS, issues.key(repo, call.path_params["pull_number"]))
    return Reply(204 if found and found["merged"] else 404, None, None)


@routes("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")
def merge(call: Call) -> Reply:
    repo, issue, pull = pulls.pair(call)
    body = call.body if isinstance(call.body, dict) else {}
    method = str(body.get("merge_method") or "merge")
    head, base, tree = _mergeable(call, repo, issue, pull, method, body.get("sha"))
    pulls.freeze(call, repo, issue, pull)
    parents = [base, head] if method == "merge" else [base]
    record = _merge_commit(call, repo, issue, pull, method, tree, parents, body)
    pushes.move(call, repo, f"refs/heads/{pull['base_ref']}", base, record["sha"])
    _close_as_merged(call, repo, issue, pull, str(record["sha"]))
    if repo["delete_branch_on_merge"] and pull["head_ref"] != repo["default_branch"]:
        pushes.move(call, repo, f"refs/heads/{pull['head_ref']}", head, None)
    hooks.emit(call, repo, "pull_request", pulls.event(call, repo, issue, pull, "closed"))
    message = "Pull Request successfully merged"
    return ok(call, {"sha": record["sha"], "merged": True, "message": message})


def _mergeable(
    call: Call,
    repo: state.Record,
    issue: state.Record,
    pull: state.Record,
    method: str,
    expected_head: Any,
) -> tuple[str, str, git.Tree]:
    """(head sha, base sha, merged tree), or GitHub's refusal: 405 when the pull request is
    closed, conflicts or the repository does not allow the method; 409 when the head moved
    past the sha the client expected."""
    if issue["state"] != "open":
        raise GitHubError(405, NOT_MERGEABLE)
    if not repo.get(MERGE_SETTINGS.get(method, ""), False):
        raise GitHubError(405, f"{method.capitalize()} merges are not allowed on this repository.")
    head, base = pulls.tips(call, repo, issue, pull)
    if expected_head and expected_head != head:
        raise conflict("Head branch was modified. Review and try the merge again.")
    repo_id = int(repo["id"])
    ancestor = git.merge_base(call, repo_id, base, head)
    old = git.tree_of(call, repo_id, ancestor) if ancestor else {}
    trees = git.tree_of(call, repo_id, base), git.tree_of(call, repo_id, head)
    tree, clashes = diffs.three_way(old, *trees)
    if clashes:
        raise GitHubError(405, NOT_MERGEABLE)
    return head, base, tree


def _close_as_merged(
    call: Call, repo: state.Record, issue: state.Record, pull: state.Record, sha: str
) -> None:
    now = state.iso(call.now)
    pull.update(
        {"merged": True, "merged_at": now, "merged_by": viewer(call).login, "merge_commit_sha": sha}
    )
    issues.change_state(call, issue, "closed", "completed")
    issue["updated_at"] = now
    issues.save(call, repo, issue)
    pulls.save(call, repo, pull)


def _merge_commit(
    call: Call,
    repo: state.Record,
    issue: state.Record,
    pull: state.Record,
    method: str,
    tree: git.Tree,
    parents: list[str],
    body: dict[str, Any],
) -> state.Record:
    number = issue["number"]
    if method == "merge":
        default_title = f"Merge pull request #{number} from {repo['owner']}/{pull['head_ref']}"
        default_message = str(issue["title"])
    else:
        default_title = f"{issue['title']} (#{number})"
        default_message = str(issue["body"] or "")
    title = str(body.get("commit_title") or default_title)
    message = str(
        body.get("commit_message") if body.get("commit_message") is not None else default_message
    )
    text = f"{title}\n\n{message}" if message else title
    me = git.signature(viewer(call), call.now)
    return git.write_commit(call, int(repo["id"]), tree, parents, text, me, me)
