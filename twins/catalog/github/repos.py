"""Repositories: the record, its lookup by owner and name, and GitHub's rendering of it."""

from __future__ import annotations

import re
from typing import Any

from twins.behaviour.call import Call
from twins.catalog.github import state
from twins.catalog.github.errors import not_found
from twins.catalog.github.routes import API
from twins.catalog.github.users import Account, account, simple, viewer

MAX_NAME = 100
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9._-]")
# What a client may set at creation and change later; the rest is the server's.
SETTINGS: dict[str, Any] = {
    "description": None,
    "homepage": None,
    "private": False,
    "has_issues": True,
    "has_projects": True,
    "has_wiki": True,
    "has_discussions": False,
    "has_downloads": True,
    "is_template": False,
    "allow_squash_merge": True,
    "allow_merge_commit": True,
    "allow_rebase_merge": True,
    "allow_auto_merge": False,
    "delete_branch_on_merge": False,
    "allow_update_branch": False,
    "archived": False,
}


def normalised_name(name: str) -> str:
    """GitHub turns every character it does not allow in a name into `-`."""
    return _NOT_ALLOWED.sub("-", name)


def key_of(owner: str, name: str) -> str:
    return f"{owner.lower()}/{name.lower()}"


def full_name(repo: state.Record) -> str:
    return f"{repo['owner']}/{repo['name']}"


def find(call: Call, owner: str, name: str) -> state.Record | None:
    return state.get(call, state.REPOS, key_of(owner, name))


def load(call: Call) -> state.Record:
    """The repository of the request's `{owner}/{repo}`, or GitHub's 404."""
    found = find(call, call.path_params["owner"], call.path_params["repo"])
    if found is None:
        raise not_found()
    return found


def save(call: Call, repo: state.Record) -> None:
    owner = str(repo["owner"])
    state.put(call, state.REPOS, key_of(owner, str(repo["name"])), owner.lower(), repo)


def owner_of(call: Call, repo: state.Record) -> Account:
    found = account(call, str(repo["owner"]))
    assert found is not None, "a repository's owner is a valid login"
    return found


def association(call: Call, repo: state.Record) -> str:
    """How the authenticated user relates to a repository (`author_association`)."""
    return "OWNER" if viewer(call).key == str(repo["owner"]).lower() else "MEMBER"


def render(call: Call, repo: state.Record) -> dict[str, Any]:
    """GitHub's `full-repository`."""
    name = full_name(repo)
    url = f"{API}/repos/{name}"
    owner = owner_of(call, repo)
    open_issues = state.count(call, state.ISSUES, str(repo["id"]), state="open")
    rendered: dict[str, Any] = {
        "id": repo["id"],
        "node_id": state.node_id("Repository", int(repo["id"])),
        "name": repo["name"],
        "full_name": name,
        "private": repo["private"],
        "owner": simple(owner),
        "html_url": f"{API}/{name}",
        "description": repo["description"],
        "fork": False,
        "url": url,
        **_links(url),
        "created_at": repo["created_at"],
        "updated_at": repo["updated_at"],
        "pushed_at": repo["pushed_at"],
        "git_url": f"git://github.com/{name}.git",
        "ssh_url": f"git@github.com:{name}.git",
        "clone_url": f"{API}/{name}.git",
        "svn_url": f"{API}/{name}",
        "homepage": repo["homepage"],
        "mirror_url": None,
        "size": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "language": None,
        "forks_count": 0,
        "open_issues_count": open_issues,
        "license": None,
        "topics": list(repo.get("topics", [])),
        "visibility": "private" if repo["private"] else "public",
        "forks": 0,
        "open_issues": open_issues,
        "watchers": 0,
        "default_branch": repo["default_branch"],
        "permissions": {
            "admin": True,
            "maintain": True,
            "push": True,
            "triage": True,
            "pull": True,
        },
        "has_pages": False,
        "disabled": False,
        "allow_forking": True,
        "web_commit_signoff_required": False,
        "network_count": 0,
        "subscribers_count": 0,
        "use_squash_pr_title_as_default": False,
        "squash_merge_commit_message": "COMMIT_MESSAGES",
        "squash_merge_commit_title": "COMMIT_OR_PR_TITLE",
        "merge_commit_message": "PR_TITLE",
        "merge_commit_title": "MERGE_MESSAGE",
    }
    rendered.update({field: repo[field] for field in SETTINGS if field not in rendered})
    if owner.type == "Organization":
        rendered["organization"] = simple(owner)
    return rendered


def _links(url: str) -> dict[str, str]:
    """The link templates of a repository, as GitHub spells them."""
    return {
        "forks_url": f"{url}/forks",
        "keys_url": f"{url}/keys{{/key_id}}",
        "collaborators_url": f"{url}/collaborators{{/collaborator}}",
        "teams_url": f"{url}/teams",
        "hooks_url": f"{url}/hooks",
        "issue_events_url": f"{url}/issues/events{{/number}}",
        "events_url": f"{url}/events",
        "assignees_url": f"{url}/assignees{{/user}}",
        "branches_url": f"{url}/branches{{/branch}}",
        "tags_url": f"{url}/tags",
        "blobs_url": f"{url}/git/blobs{{/sha}}",
        "git_tags_url": f"{url}/git/tags{{/sha}}",
        "git_refs_url": f"{url}/git/refs{{/sha}}",
        "trees_url": f"{url}/git/trees{{/sha}}",
        "statuses_url": f"{url}/statuses/{{sha}}",
        "languages_url": f"{url}/languages",
        "stargazers_url": f"{url}/stargazers",
        "contributors_url": f"{url}/contributors",
        "subscribers_url": f"{url}/subscribers",
        "subscription_url": f"{url}/subscription",
        "commits_url": f"{url}/commits{{/sha}}",
        "git_commits_url": f"{url}/git/commits{{/sha}}",
        "comments_url": f"{url}/comments{{/number}}",
        "issue_comment_url": f"{url}/issues/comments{{/number}}",
        "contents_url": f"{url}/contents/{{+path}}",
        "compare_url": f"{url}/compare/{{base}}...{{head}}",
        "merges_url": f"{url}/merges",
        "archive_url": f"{url}/{{archive_format}}{{/ref}}",
        "downloads_url": f"{url}/downloads",
        "issues_url": f"{url}/issues{{/number}}",
        "pulls_url": f"{url}/pulls{{/number}}",
        "milestones_url": f"{url}/milestones{{/number}}",
        "notifications_url": f"{url}/notifications{{?since,all,participating}}",
        "labels_url": f"{url}/labels{{/name}}",
        "releases_url": f"{url}/releases{{/id}}",
        "deployments_url": f"{url}/deployments",
    }
