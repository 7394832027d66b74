"""The order service as a scenario runner starts it: a subprocess configured by env, against
a real `dtu serve stripe slack github`, one twin session per test."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from tests.serving import PROJECT_ROOT, Served, free_port, serve

REPO = "acme/shop"
CHANNEL = "orders"


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    log = tmp_path_factory.mktemp("twins") / "dtu.log"
    with serve(["stripe", "slack", "github", "--db", "memory"], log) as served:
        yield served


@dataclass
class OrdersApp:
    url: str
    twins: str
    session: str
    log: Path

    def order(self, **fields: Any) -> httpx.Response:
        body = {"email": "ada@example.com", "amount": 2000, "currency": "usd", "item": "mug"}
        return httpx.post(f"{self.url}/orders", json=body | fields, timeout=60)

    def refund(self, order_id: str) -> httpx.Response:
        return httpx.post(f"{self.url}/orders/{order_id}/refund", timeout=60)

    def faults(self, *rules: dict[str, Any]) -> None:
        reply = httpx.put(
            f"{self.twins}/_twin/sessions/{self.session}/faults", json={"rules": list(rules)}
        )
        assert reply.status_code == 200, reply.text

    def journal(self, twin: str, operation: str) -> list[dict[str, Any]]:
        reply = httpx.get(
            f"{self.twins}/_twin/sessions/{self.session}/journal",
            params={"twin": twin, "operation": operation, "limit": 1000},
        )
        assert reply.status_code == 200, reply.text
        entries: list[dict[str, Any]] = reply.json()
        return entries

    def slack_messages(self) -> list[str]:
        return [
            str(request_fields(entry)["text"])
            for entry in self.journal("slack", "POST /chat.postMessage")
            if entry["status"] == 200
        ]

    def payment_intents(self) -> list[dict[str, Any]]:
        """Every payment intent of the session's Stripe account, as Stripe lists them."""
        reply = httpx.get(
            f"{self.twins}/_s/{self.session}/stripe/v1/payment_intents",
            params={"limit": 100},
            headers={"Authorization": "Bearer sk_test_orders"},
        )
        assert reply.status_code == 200, reply.text
        intents: list[dict[str, Any]] = reply.json()["data"]
        return intents

    def issues(self) -> list[dict[str, Any]]:
        reply = httpx.get(
            f"{self.twins}/_s/{self.session}/github/repos/{REPO}/issues",
            headers={"Authorization": "Bearer ghp_orders"},
        )
        assert reply.status_code == 200, reply.text
        issues: list[dict[str, Any]] = reply.json()
        return issues


def request_fields(entry: dict[str, Any]) -> dict[str, Any]:
    """A journalled request's parameters, whether it was sent as JSON or form-encoded."""
    body = entry["request"]["body"]
    if isinstance(body, dict):
        return body
    return {name: values[-1] for name, values in parse_qs(str(body)).items()}


StartApp = Callable[[str], AbstractContextManager[OrdersApp]]


@pytest.fixture
def start_app(twins: Served, tmp_path: Path, request: pytest.FixtureRequest) -> StartApp:
    """`with start_app("no_retry") as app:` a fresh session set up with the repository and the
    channel the service expects, and the service running against it."""

    @contextmanager
    def start(variant: str) -> Iterator[OrdersApp]:
        session = f"orders-{variant}-{request.node.name}".replace("_", "-")[:60]
        prepare_session(twins.url, session)
        base = f"{twins.url}/_s/{session}"
        port = free_port()
        env = {
            **os.environ,
            "PYTHONPATH": str(PROJECT_ROOT),
            "STRIPE_API_BASE": f"{base}/stripe",
            "STRIPE_API_KEY": "sk_test_orders",
            "SLACK_API_BASE": f"{base}/slack/api/",
            "SLACK_TOKEN": "xoxb-orders",
            "SLACK_CHANNEL": f"#{CHANNEL}",
            "GITHUB_API_BASE": f"{base}/github",
            "GITHUB_TOKEN": "ghp_orders",
            "GITHUB_REPO": REPO,
            "ORDERS_VARIANT": variant,
        }
        log = tmp_path / f"orders-{variant}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "examples.orders.app", "--port", str(port)],
                stdout=sink,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=PROJECT_ROOT,
            )
        app = OrdersApp(f"http://127.0.0.1:{port}", twins.url, session, log)
        try:
            wait_healthy(app, process)
            yield app
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    return start


def prepare_session(twins: str, session: str) -> None:
    """What the team has before the service runs: the repository and the channel."""
    assert httpx.post(f"{twins}/_twin/sessions/{session}/reset").status_code in (200, 204)
    base = f"{twins}/_s/{session}"
    created = httpx.post(
        f"{base}/github/orgs/acme/repos",
        json={"name": "shop"},
        headers={"Authorization": "Bearer ghp_orders"},
    )
    assert created.status_code == 201, created.text
    channel = httpx.post(
        f"{base}/slack/api/conversations.create",
        data={"name": CHANNEL},
        headers={"Authorization": "Bearer xoxb-orders"},
    )
    assert channel.json()["ok"], channel.text


def wait_healthy(app: OrdersApp, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the order service exited: {app.log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{app.url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"the order service never became healthy: {app.log.read_text()[-2000:]}")
