"""The Slack twin in-process (no sockets), for tests that set seeds, clocks or stages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from twins.app import TwinServer
from twins.server import build_server

AUTH = {"Authorization": "Bearer xoxb-test"}
API = "/_s/s1/slack/api"


def slack_server(seed: int = 0) -> TwinServer:
    return build_server({"slack": OWN_SPECS / "slack.yaml"}, db="memory", seed=seed)


@contextmanager
def slack_client(server: TwinServer) -> Iterator[TestClient]:
    with TestClient(server, base_url="http://twin.test") as client:
        yield client
