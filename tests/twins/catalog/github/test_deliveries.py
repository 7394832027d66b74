"""Webhooks end to end: a hook made with PyGithub on a real `dtu serve github`, and a receiver
on loopback that gets GitHub's headers and a signature it can check."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import github
import pytest

SECRET = "It's a Secret to Everybody"


class _Receiver(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[tuple[dict[str, str], bytes]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/github"


class _Handler(BaseHTTPRequestHandler):
    server: _Receiver

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.received.append((dict(self.headers.items()), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the test reads what arrived, not the log."""


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    server = _Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _arrived(receiver: _Receiver, event: str, within: float = 20.0) -> tuple[dict[str, str], bytes]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for headers, body in receiver.received:
            if headers.get("X-GitHub-Event") == event:
                return headers, body
        time.sleep(0.05)
    got = [headers.get("X-GitHub-Event") for headers, _ in receiver.received]
    raise AssertionError(f"no {event} delivery; got {got}")


def test_an_issue_opened_reaches_the_hook_signed_with_its_secret(
    gh: github.Github, receiver: _Receiver
) -> None:
    repo = gh.get_user().create_repo("hooked")
    config = {"url": receiver.url, "content_type": "json", "secret": SECRET}
    repo.create_hook("web", config, events=["issues"], active=True)
    _arrived(receiver, "ping")
    repo.create_issue(title="Delivered")
    headers, body = _arrived(receiver, "issues")
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Hub-Signature-256"] == f"sha256={expected}"
    assert headers["User-Agent"].startswith("GitHub-Hookshot/")
    payload = json.loads(body)
    assert (payload["action"], payload["issue"]["title"]) == ("opened", "Delivered")
    assert payload["repository"]["full_name"] == repo.full_name
