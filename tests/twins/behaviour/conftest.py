"""A bookshop twin (our own spec) called in-process, without sockets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from twins.app import TwinServer
from twins.server import build_server

AUTH = {"Authorization": "Bearer test-token"}
BOOKS = "/bookshop/v1"


@pytest.fixture
def server() -> TwinServer:
    return build_server({"bookshop": OWN_SPECS / "bookshop.yaml"}, db="memory", seed=7)


@pytest.fixture
def client(server: TwinServer) -> Iterator[TestClient]:
    with TestClient(server, base_url="http://twin.test", headers=AUTH) as test_client:
        yield test_client
