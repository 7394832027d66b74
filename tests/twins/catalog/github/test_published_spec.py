"""The twin built from GitHub's own published spec (api.github.com.json): the pack takes over
by host, PyGithub works against it, and every object it answers is one of GitHub's as that
spec describes it (nothing had to be made up to fit)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import shared_spec
from tests.serving import Served, serve
from tests.twins.catalog.github.conftest import client_for
from twins.behaviour.records import conform
from twins.behaviour.schema_tools import SchemaTools
from twins.catalog.github import reply
from twins.fake import Rng
from twins.server import build_server

PUBLISHED = "github/api.github.com.json"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    spec = shared_spec(PUBLISHED)
    log = tmp_path_factory.mktemp("github-published") / "serve.log"
    # Named after the host, not "github": the pack is found by the spec's server host.
    with serve([f"octokit={spec}", "--db", "memory"], log, timeout=120) as running:
        yield running


def test_pygithub_creates_a_repository_and_lists_its_issues(published: Served) -> None:
    gh = client_for(published, "published-sdk", twin="octokit", per_page=2)
    repo = gh.get_user().create_repo("tracker", auto_init=True)
    assert repo.full_name == f"{gh.get_user().login}/tracker"
    for title in ("First", "Second", "Third"):
        repo.create_issue(title=title, labels=["bug"])
    repo.get_issue(2).edit(state="closed")
    assert [i.title for i in repo.get_issues(state="open", labels=["bug"])] == ["Third", "First"]
    assert [i.number for i in repo.get_issues(state="all")] == [3, 2, 1]
    issue = repo.get_issue(1)
    issue.create_comment("On it")
    issue.add_to_labels("triaged")
    assert [c.body for c in issue.get_comments()] == ["On it"]
    assert sorted(label.name for label in issue.get_labels()) == ["bug", "triaged"]


@pytest.fixture
def repairs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every reply the pack had to make fit its schema, with the first broken rules."""
    found: list[str] = []

    def watched(tools: SchemaTools, record: Any, schema: Any, rng: Rng) -> Any:
        if schema is not None and not tools.is_valid(schema, record):
            broken = [v.describe() for v in tools.violations(schema, record)[:3]]
            found.append(f"{sorted(record)[:3] if isinstance(record, dict) else record}: {broken}")
        return conform(tools, record, schema, rng)

    monkeypatch.setattr(reply, "conform", watched)
    return found


def test_every_object_is_githubs_as_its_published_spec_describes_it(
    repairs: list[str], tmp_path: Path
) -> None:
    server = build_server({"octokit": shared_spec(PUBLISHED)}, db="memory", seed=3)
    with TestClient(server, base_url="http://twin.test") as api:
        _a_day_of_work(api, "/_s/shapes/octokit")
    assert repairs == []


def _a_day_of_work(api: TestClient, base: str) -> None:
    """One of each thing an app does; every reply must succeed."""

    def call(method: str, path: str, body: Any = None, status: int = 200) -> Any:
        answer = api.request(method, base + path, json=body)
        assert answer.status_code == status, f"{method} {path}: {answer.text[:500]}"
        return answer.json() if answer.content else None

    me = call("GET", "/user")["login"]
    call("GET", f"/users/{me}")
    repo = f"/repos/{me}/shapes"
    call("POST", "/user/repos", {"name": "shapes", "auto_init": True}, 201)
    call("POST", "/orgs/acme/repos", {"name": "tools"}, 201)
    call("GET", repo)
    call("PATCH", repo, {"description": "Shapes of things"})
    call("GET", "/user/repos")
    call("GET", "/orgs/acme/repos")
    call("POST", f"{repo}/labels", {"name": "urgent", "color": "ff0000"}, 201)
    call("GET", f"{repo}/labels/urgent")
    issue = {"title": "Circle", "labels": ["urgent"], "assignees": [me]}
    call("POST", f"{repo}/issues", issue, 201)
    call("GET", f"{repo}/issues")
    call("PATCH", f"{repo}/issues/1", {"state": "closed"})
    comment = call("POST", f"{repo}/issues/1/comments", {"body": "Done"}, 201)
    call("GET", f"{repo}/issues/1/comments")
    call("GET", f"{repo}/issues/comments/{comment['id']}")
    call("POST", f"{repo}/issues/1/labels", {"labels": ["bug"]})
    main = call("GET", f"{repo}/git/ref/heads/main")["object"]["sha"]
    call("POST", f"{repo}/git/refs", {"ref": "refs/heads/square", "sha": main}, 201)
    call("GET", f"{repo}/git/matching-refs/heads/")
    content = base64.b64encode(b"four sides\n").decode()
    body = {"message": "Square", "content": content, "branch": "square"}
    call("PUT", f"{repo}/contents/shapes/square.txt", body, 201)
    call("GET", f"{repo}/contents/shapes/square.txt?ref=square")
    call("GET", f"{repo}/contents/shapes?ref=square")
    call("GET", f"{repo}/branches")
    call("GET", f"{repo}/branches/square")
    call("POST", f"{repo}/pulls", {"title": "Square", "head": "square", "base": "main"}, 201)
    call("GET", f"{repo}/pulls")
    call("PUT", f"{repo}/pulls/2/merge", {"merge_method": "merge"})
    call("GET", f"{repo}/pulls/2")
    hook = {"config": {"url": "https://receiver.example/hook"}, "events": ["issues"]}
    created = call("POST", f"{repo}/hooks", hook, 201)
    call("GET", f"{repo}/hooks/{created['id']}")
