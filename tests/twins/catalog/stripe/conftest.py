"""The Stripe twin for tests: a real `dtu serve stripe` driven by the official `stripe` SDK,
each test in a session of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import stripe

from tests.serving import Served, serve
from tests.twins.webhooks.receiver import Receiver

API_KEY = "sk_test_twin"


@pytest.fixture(scope="package")
def stripe_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    log = tmp_path_factory.mktemp("stripe") / "serve.log"
    with serve(["stripe", "--db", "memory"], log) as served:  # the shipped twin
        yield served


@pytest.fixture
def session(request: pytest.FixtureRequest) -> str:
    """A session of the test's own, so no test sees another's customers."""
    return re.sub(r"[^A-Za-z0-9._~-]", "-", request.node.name)[:100]


def client_for(served: Served, session: str, twin: str = "stripe") -> stripe.StripeClient:
    return stripe.StripeClient(
        api_key=API_KEY,
        base_addresses={"api": f"{served.url}/_s/{session}/{twin}"},
        max_network_retries=0,  # a test sees every answer; retries are tested on their own
    )


@pytest.fixture
def client(stripe_server: Served, session: str) -> stripe.StripeClient:
    return client_for(stripe_server, session)


@pytest.fixture
def twin_url(stripe_server: Served, session: str) -> str:
    """The twin's base URL in the test's session, for requests the SDK cannot make."""
    return f"{stripe_server.url}/_s/{session}/stripe"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver().running() as running:
        yield running


def set_clock(served: Served, session: str, **position: Any) -> None:
    """Freeze (`frozen_at=`) or move on (`advance=`) the session's clock."""
    reply = httpx.post(f"{served.url}/_twin/sessions/{session}/clock", json=position, timeout=10)
    reply.raise_for_status()
