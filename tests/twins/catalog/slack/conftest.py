"""The Slack twin for tests: a real `dtu serve slack` driven by the official slack_sdk, and
the same twin in-process where a test needs to reach inside (stages, seeds)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from tests.serving import Served, serve

BOT_TOKEN = "xoxb-test"
USER_TOKEN = "xoxp-test"


@pytest.fixture(scope="package")
def slack_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    log = tmp_path_factory.mktemp("slack") / "serve.log"
    with serve(["slack", "--db", "memory"], log) as served:  # `dtu serve slack`: the shipped twin
        yield served


def session_for(request: pytest.FixtureRequest) -> str:
    """A session of the test's own, so no test sees another's channels."""
    return re.sub(r"[^A-Za-z0-9._~-]", "-", request.node.name)[:100]


def client_for(served: Served, session: str, token: str = BOT_TOKEN) -> WebClient:
    return WebClient(token=token, base_url=f"{served.url}/_s/{session}/slack/api/")


@pytest.fixture
def slack(slack_server: Served, request: pytest.FixtureRequest) -> WebClient:
    """slack_sdk's WebClient with a bot token, in a session of the test's own."""
    return client_for(slack_server, session_for(request))


@pytest.fixture
def person(slack_server: Served, request: pytest.FixtureRequest) -> WebClient:
    """The same session with a user token (it acts as the workspace's owner)."""
    return client_for(slack_server, session_for(request), USER_TOKEN)
