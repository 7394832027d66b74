"""Branches: `/repos/{owner}/{repo}/branches[/{branch}]`, read from the `refs/heads/` refs.
No branch is protected in this twin."""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.github import git, repos, state
from twins.catalog.github.errors import not_found
from twins.catalog.github.reply import ok, paginated
from twins.catalog.github.routes import API, routes
from twins.catalog.github.users import viewer

HEADS = "refs/heads/"


def _protection() -> dict[str, Any]:
    return {
        "enabled": False,
        "required_status_checks": {"enforcement_level": "off", "contexts": [], "checks": []},
    }


def _short(repo: state.Record, ref: state.Record) -> dict[str, Any]:
    url = f"{API}/repos/{repos.full_name(repo)}"
    name = str(ref["ref"]).removeprefix(HEADS)
    return {
        "name": name,
        "commit": {"sha": ref["sha"], "url": f"{url}/commits/{ref['sha']}"},
        "protected": False,
        "protection": _protection(),
        "protection_url": f"{url}/branches/{name}/protection",
    }


@routes("GET /repos/{owner}/{repo}/branches")
def list_branches(call: Call) -> Reply:
    repo = repos.load(call)
    found = git.refs(call, int(repo["id"]), HEADS)
    if call.query.get("protected") is True:
        found = []
    return paginated(call, found, lambda ref: _short(repo, ref))


@routes("GET /repos/{owner}/{repo}/branches/{branch}")
def get_branch(call: Call) -> Reply:
    repo = repos.load(call)
    name = call.path_params["branch"]
    sha = git.branch_sha(call, int(repo["id"]), name)
    record = git.commit(call, int(repo["id"]), sha) if sha else None
    if record is None:
        raise not_found("Branch not found")
    full_name = repos.full_name(repo)
    branch = {
        **_short(repo, {"ref": HEADS + name, "sha": sha}),
        "commit": git.repo_commit(full_name, record, viewer(call)),
        "_links": {
            "self": f"{API}/repos/{full_name}/branches/{name}",
            "html": f"{API}/{full_name}/tree/{name}",
        },
    }
    return ok(call, branch)
