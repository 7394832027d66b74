"""An in-process server (the payments twin of `payments.py` and the bookshop), a test client
bound to its event loop, and a real receiver on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from tests.twins.webhooks.payments import PACK, write_spec
from tests.twins.webhooks.receiver import Receiver
from twins.app import TwinServer
from twins.catalog import PACKS
from twins.server import build_server


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver().running() as running:
        yield running


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TwinServer:
    monkeypatch.setitem(PACKS, "payments", (PACK, ()))
    sources = {"payments": write_spec(tmp_path), "bookshop": OWN_SPECS / "bookshop.yaml"}
    return build_server(sources, db="memory", seed=7)


@pytest.fixture
def client(server: TwinServer) -> Iterator[TestClient]:
    with TestClient(server, base_url="http://twin.test") as test_client:
        yield test_client
