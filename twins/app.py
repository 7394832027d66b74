"""The ASGI app: routes a request to (session, twin, operation) and runs it.

The request path reads in one direction: route -> validate -> behaviour -> store -> render.
This module is the raw-ASGI hot path (no framework objects per request); the control plane under
`/_twin/` is a FastAPI app it hands over to.

    /_s/<session>/<twin>/<path>      a twin, in an isolated session
    /<twin>/<path>                   a twin; session from `X-Twin-Session`, else "default"
    any path, Host: api.vendor.com   the twin whose spec names that host
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Hashable, MutableMapping
from typing import Any
from urllib.parse import unquote

import orjson

from twins.auth import check_security
from twins.behaviour.call import Call, Reply
from twins.behaviour.crud import perform
from twins.behaviour.render import error_reply
from twins.errors import BehaviourError, DtuError, PayloadTooLarge, RequestError
from twins.fake import Rng
from twins.replies import CachedReply, ReplyCache
from twins.request import RawRequest
from twins.sessions import Sessions
from twins.state import JournalEntry
from twins.twin import Twin

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 10 * 1024 * 1024
SESSION_NAME = re.compile(r"^[A-Za-z0-9._~-]{1,128}$")
SESSION_HEADER = b"x-twin-session"
_log = logging.getLogger("dtu")


class TwinServer:
    """Hosts many twins and many sessions of each, over one store."""

    def __init__(self, twins: dict[str, Twin], sessions: Sessions, replies: ReplyCache) -> None:
        """`sessions.store` must report its writes to `replies` (a `WatchedStore`)."""
        self.twins = twins
        self.sessions = sessions
        self.store = sessions.store
        self.replies = replies
        self.by_host = {host.lower(): twin for twin in twins.values() for host in twin.spec.hosts}
        self.control: ASGIApp | None = None
        self.control_factory: Callable[[TwinServer], ASGIApp] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        if path.startswith("/_twin") and (control := self._control()) is not None:
            await control(scope, receive, send)
            return
        started = time.perf_counter()
        headers = _headers(scope)
        raw_path = scope.get("raw_path")
        wire_path = raw_path.decode("latin-1") if raw_path else path
        target = self._target(wire_path, headers)
        if target is None:
            reply = Reply(
                404,
                {
                    "type": "about:blank",
                    "title": "not found",
                    "status": 404,
                    "detail": f"no twin serves {path}; twins: {sorted(self.twins)}",
                },
                "application/problem+json",
            )
            await _send_reply(send, reply, scope["method"])
            return
        session, twin, rest, prefix = target
        method = scope["method"]
        key: Hashable = None
        if method in ("GET", "HEAD"):
            key = (
                session,
                twin.name,
                method,
                wire_path,
                scope["query_string"],
                tuple(scope["headers"]),
            )
            hit = self.replies.get(session, key)
            if hit is not None:
                await _send_encoded(send, hit.status, hit.headers, hit.payload, method)
                self._journal(
                    session,
                    twin,
                    hit.label,
                    scope,
                    rest,
                    headers,
                    None,
                    hit.status,
                    hit.journal_response,
                    started,
                )
                return
        version = self.replies.version(session)
        base_url = _origin(scope, headers) + prefix
        try:
            body = await _read_body(receive, MAX_BODY_BYTES)
        except PayloadTooLarge as error:
            body = b""
            reply = error_reply(twin.tools, None, error, Rng.derive(0, "too-large"))
            label = f"{scope['method']} {rest}"
        else:
            reply, label = self.handle(twin, session, scope, rest, headers, body, base_url)
        status, wire_headers, payload = _encode_reply(reply)
        await _send_encoded(send, status, wire_headers, payload, method)
        response = {
            "headers": dict(reply.headers),
            "media_type": reply.media_type,
            # already encoded for the wire: embedded as is, not encoded twice
            "body": orjson.Fragment(payload) if _is_json(reply) and payload else None,
        }
        request_body = _journal_body(body, headers.get("content-type", ""))
        self._journal(
            session, twin, label, scope, rest, headers, request_body, status, response, started
        )
        if key is not None and status < 500 and self.replies.version(session) == version:
            self.replies.put(
                key, CachedReply(version, status, wire_headers, payload, label, response)
            )
        elif key is None:
            self.replies.changed(session)

    def _control(self) -> ASGIApp | None:
        if self.control is None and self.control_factory is not None:
            self.control = self.control_factory(self)
        return self.control

    def _target(self, path: str, headers: dict[str, str]) -> tuple[str, Twin, str, str] | None:
        """(session, twin, path inside the twin, URL prefix of the twin) for a request path."""
        if path.startswith("/_s/"):
            parts = path.split("/", 4)
            if len(parts) >= 4 and (twin := self.twins.get(parts[3])) is not None:
                session = unquote(parts[2])
                if SESSION_NAME.match(session):
                    rest = "/" + parts[4] if len(parts) == 5 else "/"
                    return session, twin, rest, f"/_s/{parts[2]}/{parts[3]}"
            return None
        session = headers.get("x-twin-session", "default")
        if not SESSION_NAME.match(session):
            session = "default"
        name, _, rest = path[1:].partition("/")
        twin = self.twins.get(name)
        if twin is not None:
            return session, twin, "/" + rest, f"/{name}"
        host = headers.get("host", "").split(":")[0].lower()
        by_host = self.by_host.get(host)
        if by_host is not None:
            return session, by_host, path, ""
        return None

    def handle(
        self,
        twin: Twin,
        session: str,
        scope: Scope,
        path: str,
        headers: dict[str, str],
        body: bytes,
        base_url: str,
    ) -> tuple[Reply, str]:
        """Run one request through a twin; never raises for bad input."""
        method: str = scope["method"]
        query_string: bytes = scope["query_string"]
        operation = None
        seed = self.sessions.seed(session)
        try:
            inner = _strip_base(path, twin.spec.base_path)
            match = twin.router.match(method, inner)
            operation = match.operation
            raw = RawRequest(
                method=method,
                path_params=match.path_params,
                query_string=query_string,
                headers=scope["headers"],
                body=body,
                content_type=headers.get("content-type", ""),
            )
            parsed = twin.validator(operation).parse(raw)
            check_security(
                operation, twin.spec.security_schemes, headers, parsed.query, parsed.cookies
            )
            call = Call(
                twin=twin,
                session=session,
                seed=seed,
                operation=operation,
                behaviour=twin.model.behaviour(operation),
                path_params=match.path_params,
                query=parsed.query,
                headers=headers,
                body=parsed.body,
                base_url=base_url,
                now=self.sessions.now(session),
                store=self.store,
            )
            return self._perform(call), operation.label
        except RequestError as error:
            rng = Rng.derive(seed, twin.name, "error", error.status)
            label = operation.label if operation else f"{method} {path}"
            return error_reply(twin.tools, operation, error, rng), label
        except BehaviourError as error:
            _log.exception("behaviour failed")
            label = operation.label if operation else f"{method} {path}"
            return _server_error(error), label

    def _perform(self, call: Call) -> Reply:
        try:
            if call.operation.method in ("GET", "HEAD"):
                return perform(call)
            # One commit per write request: its counter, records and journal land together.
            with self.store.transaction():
                return perform(call)
        except (RequestError, DtuError):
            raise
        except Exception as cause:  # a bug in a behaviour: say which, never a bare traceback
            raise BehaviourError(f"{call.behaviour.kind} {call.operation.label}", cause) from cause

    def _journal(
        self,
        session: str,
        twin: Twin,
        label: str,
        scope: Scope,
        path: str,
        headers: dict[str, str],
        request_body: Any,
        status: int,
        response: dict[str, Any],
        started: float,
    ) -> None:
        self.store.journal_append(
            JournalEntry(
                session=session,
                twin=twin.name,
                operation=label,
                method=scope["method"],
                path=path,
                status=status,
                request={
                    "query": scope["query_string"].decode("latin-1"),
                    "headers": {k: v for k, v in headers.items() if k not in _SECRET_HEADERS},
                    "body": request_body,
                },
                response=response,
                duration_ms=(time.perf_counter() - started) * 1000,
                at=time.time(),
            )
        )

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.store.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


_SECRET_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})


def _journal_body(body: bytes, content_type: str) -> Any:
    """The request body as the journal keeps it: parsed JSON when it is JSON, else text."""
    if not body:
        return None
    if "json" in content_type:
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
    return body[:65536].decode("utf-8", "replace")


def _strip_base(path: str, base_path: str) -> str:
    if base_path and (path == base_path or path.startswith(base_path + "/")):
        return path[len(base_path) :] or "/"
    return path


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}


def _origin(scope: Scope, headers: dict[str, str]) -> str:
    host = headers.get("host")
    if not host:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}"


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size <= limit:
                chunks.append(chunk)
        if not message.get("more_body", False):
            break
    if size > limit:
        raise PayloadTooLarge(f"the request body has {size} bytes; the limit is {limit}")
    return b"".join(chunks)


def _encode(reply: Reply) -> bytes:
    if reply.body is None:
        return b""
    if isinstance(reply.body, bytes):
        return reply.body
    if isinstance(reply.body, str) and not (reply.media_type or "").endswith("json"):
        return reply.body.encode()
    try:
        return orjson.dumps(reply.body)
    except orjson.JSONEncodeError:
        # orjson stops at 64-bit integers; JSON itself does not.
        return json.dumps(reply.body, separators=(",", ":"), default=str).encode()


def _server_error(error: BehaviourError) -> Reply:
    body = {
        "type": "about:blank",
        "title": "behaviour failed",
        "status": 500,
        "detail": str(error),
        "behaviour": error.behaviour,
    }
    return Reply(500, body, "application/problem+json")


def _is_json(reply: Reply) -> bool:
    return reply.media_type is not None and "json" in reply.media_type and reply.body is not None


def _encode_reply(reply: Reply) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    payload = _encode(reply)
    headers = [(b"content-length", str(len(payload)).encode())]
    if reply.media_type and payload:
        headers.append((b"content-type", reply.media_type.encode("latin-1")))
    headers.extend((k.encode("latin-1"), v.encode("latin-1", "replace")) for k, v in reply.headers)
    return reply.status, headers, payload


async def _send_reply(send: Send, reply: Reply, method: str) -> None:
    status, headers, payload = _encode_reply(reply)
    await _send_encoded(send, status, headers, payload, method)


async def _send_encoded(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], payload: bytes, method: str
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else payload})
