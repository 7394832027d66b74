"""Control-plane bodies are capped before FastAPI reads them whole."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.conftest import OWN_SPECS
from twins.control.body_limit import BodyLimit
from twins.server import build_server


async def _echo(scope: Any, receive: Any, send: Any) -> None:
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def _call(app: Any, chunks: list[bytes], headers: list[tuple[bytes, bytes]]) -> list[Any]:
    sent: list[Any] = []
    pending = list(chunks)

    async def receive() -> dict[str, Any]:
        chunk = pending.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/_twin/x", "headers": headers}
    asyncio.run(app(scope, receive, send))
    return sent


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    sent = _call(BodyLimit(_echo, limit=10), [b"x" * 11], [(b"content-length", b"11")])
    assert sent[0]["status"] == 413
    assert b"limit is 10" in sent[1]["body"]


def test_a_streamed_body_over_the_limit_is_refused_when_it_crosses_it() -> None:
    sent = _call(BodyLimit(_echo, limit=10), [b"x" * 6, b"x" * 6], [])
    assert sent[0]["status"] == 413


def test_a_body_within_the_limit_reaches_the_control_plane() -> None:
    sent = _call(BodyLimit(_echo, limit=10), [b"x" * 5, b"x" * 5], [])
    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b"10"


def test_the_served_control_plane_is_capped() -> None:
    server = build_server({"bookshop": OWN_SPECS / "bookshop.yaml"}, db="memory")
    control = server.control_factory(server) if server.control_factory else None
    assert isinstance(control, BodyLimit)
