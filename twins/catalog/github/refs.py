"""Git references: `/repos/{owner}/{repo}/git/refs`, `git/ref/{ref}`, `git/matching-refs/{ref}`.

A branch is the ref `refs/heads/<name>`; creating one from a commit sha is how a client (or
PyGithub's `create_git_ref`) branches off.
"""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.github import git, pushes, repos, state
from twins.catalog.github.errors import not_found, unprocessable
from twins.catalog.github.reply import no_content, ok
from twins.catalog.github.routes import routes


def _full(ref: str) -> str:
    """`heads/main` (as the URL has it) -> `refs/heads/main`."""
    return ref if ref.startswith("refs/") else f"refs/{ref}"


def _render(repo: state.Record, ref: str, sha: str) -> dict[str, Any]:
    return git.git_ref(repos.full_name(repo), ref, sha)


def _known_commit(call: Call, repo: state.Record, sha: Any) -> str:
    if not isinstance(sha, str) or git.commit(call, int(repo["id"]), sha) is None:
        raise unprocessable("Object does not exist")
    return sha


@routes("POST /repos/{owner}/{repo}/git/refs")
def create_ref(call: Call) -> Reply:
    repo = repos.load(call)
    body = call.body if isinstance(call.body, dict) else {}
    ref = str(body.get("ref", ""))
    if not ref.startswith("refs/") or ref.count("/") < 2 or ref.endswith("/") or "//" in ref:
        raise unprocessable(f"{ref} is not a valid ref name.")
    sha = _known_commit(call, repo, body.get("sha"))
    if git.ref_sha(call, int(repo["id"]), ref) is not None:
        raise unprocessable("Reference already exists")
    pushes.move(call, repo, ref, None, sha)
    return ok(call, _render(repo, ref, sha), 201)


@routes("GET /repos/{owner}/{repo}/git/ref/{ref}")
def get_ref(call: Call) -> Reply:
    repo = repos.load(call)
    ref = _full(call.path_params["ref"])
    sha = git.ref_sha(call, int(repo["id"]), ref)
    if sha is None:
        raise not_found()
    return ok(call, _render(repo, ref, sha))


@routes("GET /repos/{owner}/{repo}/git/matching-refs/{ref}")
def matching_refs(call: Call) -> Reply:
    repo = repos.load(call)
    found = git.refs(call, int(repo["id"]), _full(call.path_params["ref"]))
    return ok(call, [_render(repo, r["ref"], r["sha"]) for r in found])


@routes("PATCH /repos/{owner}/{repo}/git/refs/{ref}")
def update_ref(call: Call) -> Reply:
    repo = repos.load(call)
    repo_id = int(repo["id"])
    ref = _full(call.path_params["ref"])
    before = git.ref_sha(call, repo_id, ref)
    if before is None:
        raise unprocessable("Reference does not exist")
    body = call.body if isinstance(call.body, dict) else {}
    sha = _known_commit(call, repo, body.get("sha"))
    forced = body.get("force") is True
    fast_forward = before in git.history(call, repo_id, sha)
    if not fast_forward and not forced:
        raise unprocessable("Update is not a fast forward")
    pushes.move(call, repo, ref, before, sha, forced=not fast_forward)
    return ok(call, _render(repo, ref, sha))


@routes("DELETE /repos/{owner}/{repo}/git/refs/{ref}")
def delete_ref(call: Call) -> Reply:
    repo = repos.load(call)
    ref = _full(call.path_params["ref"])
    before = git.ref_sha(call, int(repo["id"]), ref)
    if before is None:
        raise unprocessable("Reference does not exist")
    if ref == f"refs/heads/{repo['default_branch']}":
        raise unprocessable("Cannot delete the default branch of a repository")
    pushes.move(call, repo, ref, before, None)
    return no_content()
