"""The GitHub twin for tests: served for real (`dtu serve github`) for the official SDK, or
in-process for looking at what it owes webhook receivers."""

from __future__ import annotations

import base64
import itertools
from collections.abc import Iterator

import github
import pytest
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from tests.serving import Served, serve
from twins.app import TwinServer
from twins.behaviour.call import Outbound
from twins.server import build_server
from twins.twin import Twin

TOKEN = "ghp_test"
_sessions = itertools.count(1)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    log = tmp_path_factory.mktemp("github") / "serve.log"
    with serve(["github", "--db", "memory"], log) as running:
        yield running


def client_for(
    served: Served, session: str, twin: str = "github", token: str = TOKEN, per_page: int = 30
) -> github.Github:
    """PyGithub pointed at one session of the twin, without its courtesy pauses between
    requests (a quarter of a second, a whole second between writes)."""
    return github.Github(
        base_url=f"{served.url}/_s/{session}/{twin}",
        auth=github.Auth.Token(token),
        per_page=per_page,
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )


@pytest.fixture
def session_name(request: pytest.FixtureRequest) -> str:
    """A fresh session per test, so no test sees another's repositories."""
    return f"{request.node.name[:80]}-{next(_sessions)}"


@pytest.fixture
def gh(served: Served, session_name: str) -> github.Github:
    return client_for(served, session_name)


@pytest.fixture
def local() -> TwinServer:
    return build_server({"github": OWN_SPECS / "github.yaml"}, db="memory", seed=11)


@pytest.fixture
def sent(local: TwinServer) -> list[Outbound]:
    """Every webhook the in-process twin owes, as its dispatcher would receive them."""
    owed: list[Outbound] = []

    def dispatch(session: str, twin: Twin, outbound: list[Outbound]) -> None:
        owed.extend(outbound)

    local.dispatcher = dispatch
    return owed


@pytest.fixture
def api(local: TwinServer) -> Iterator[TestClient]:
    """Raw HTTP to the in-process twin, in session `s` (paths start `/_s/s/github`)."""
    headers = {"Authorization": f"token {TOKEN}"}
    with TestClient(local, base_url="http://twin.test", headers=headers) as client:
        yield client


def open_pull(api: TestClient, repo: str, branch: str, path: str = "change.txt") -> int:
    """Branch `branch` off main, commit one file to it, and open a pull request into main;
    `repo` is the repository's path on the twin (`/_s/s/github/repos/owner/name`)."""
    main = api.get(f"{repo}/git/ref/heads/main").json()["object"]["sha"]
    api.post(f"{repo}/git/refs", json={"ref": f"refs/heads/{branch}", "sha": main})
    content = base64.b64encode(f"{branch}\n".encode()).decode()
    body = {"message": f"Work on {branch}", "content": content, "branch": branch}
    assert api.put(f"{repo}/contents/{path}", json=body).status_code == 201
    pull = {"title": branch.title(), "head": branch, "base": "main"}
    created = api.post(f"{repo}/pulls", json=pull)
    assert created.status_code == 201, created.text
    return int(created.json()["number"])
