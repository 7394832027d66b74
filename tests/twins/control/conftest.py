"""A bookshop twin and its control plane, called in-process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from twins.server import build_server

AUTH = {"Authorization": "Bearer t"}


@pytest.fixture
def client() -> Iterator[TestClient]:
    server = build_server({"bookshop": OWN_SPECS / "bookshop.yaml"}, db="memory", seed=7)
    with TestClient(server, base_url="http://twin.test", headers=AUTH) as test_client:
        yield test_client
