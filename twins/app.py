"""The ASGI app: routes a request to (session, twin, operation) and runs it.

The request path reads in one direction: route -> validate -> behaviour -> store -> render.
This module is the raw-ASGI hot path (no framework objects per request); the control plane under
`/_twin/` is a FastAPI app it hands over to.

    /_s/<session>/<twin>/<path>      a twin, in an isolated session
    /<twin>/<path>                   a twin; session from `X-Twin-Session`, else "default"
    any path, Host: api.vendor.com   the twin whose spec names that host
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Hashable, MutableMapping
from typing import Any
from urllib.parse import unquote, unquote_plus

import orjson

from twins.behaviour.call import Call, Outbound, Reply
from twins.behaviour.crud import perform
from twins.behaviour.render import error_reply
from twins.errors import BehaviourError, DtuError, NotFoundError, PayloadTooLarge, RequestError
from twins.exchange import Exchange, Proceed, Stage
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
SESSION_NAME = re.compile(r"^[A-Za-z0-9._~-]{1,128}\Z")  # \Z: `$` allows a final "\n"
SESSION_HEADER = b"x-twin-session"
_log = logging.getLogger("dtu")


class TwinServer:
    """Hosts many twins and many sessions of each, over one store."""

    def __init__(
        self,
        twins: dict[str, Twin],
        sessions: Sessions,
        replies: ReplyCache,
        stages: list[Stage] | None = None,
    ) -> None:
        """`sessions.store` must report its writes to `replies` (a `WatchedStore`). `stages`
        run around every request in order (see `twins.exchange`)."""
        self.twins = twins
        self.sessions = sessions
        self.store = sessions.store
        self.replies = replies
        self.by_host = {host.lower(): twin for twin in twins.values() for host in twin.spec.hosts}
        self.control: ASGIApp | None = None
        self.control_factory: Callable[[TwinServer], ASGIApp] | None = None
        self.stages: list[Stage] = list(stages or [])
        # hands a request's webhooks to whoever delivers them (set by the webhook sender)
        self.dispatcher: Callable[[str, Twin, list[Outbound]], None] | None = None
        self._secrets: dict[str, tuple[frozenset[str], frozenset[str]]] = {}  # by twin name

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
        session, twin, rest, prefix, explicit = target
        method = scope["method"]
        key: Hashable = None
        if method in ("GET", "HEAD") and not any(
            stage.affects_reads(session, twin.name) for stage in self.stages
        ):
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
                    {},
                )
                return
        version = self.replies.version(session)
        base_url = _origin(scope, headers) + prefix
        try:
            body = await _read_body(receive, MAX_BODY_BYTES)
        except PayloadTooLarge as error:
            body = b""
            reply = error_reply(twin.tools, None, error, Rng.derive(0, "too-large"))
            exchange = None
            outbound: list[Outbound] = []
        else:
            exchange = Exchange(
                session=session,
                twin=twin,
                method=method,
                path=rest,
                headers=headers,
                query_string=scope["query_string"],
                body=body,
                base_url=base_url,
                seed=self.sessions.seed(session),
                now=self.sessions.now(session),
                session_explicit=explicit,
            )
            reply, outbound = self.handle(exchange, scope)
            session = exchange.session
        label = exchange.label if exchange is not None else f"{method} {rest}"
        status, wire_headers, payload = _encode_reply(reply)
        if twin.origins and payload:
            payload = _point_at_twin(payload, twin.origins, base_url)
            wire_headers[0] = (b"content-length", str(len(payload)).encode())
        if reply.delay > 0:
            await asyncio.sleep(reply.delay)
        if reply.transport is None:
            await _send_encoded(send, status, wire_headers, payload, method)
        else:
            await _send_broken(
                send, status, wire_headers, payload, reply.transport, held=reply.delay > 0
            )
        response = {
            "headers": dict(reply.headers),
            "media_type": reply.media_type,
            "body": _journal_reply_body(reply, payload),
        }
        request_body = _journal_body(body, headers.get("content-type", ""))
        notes = exchange.notes if exchange is not None else {}
        self._journal(
            session,
            twin,
            label,
            scope,
            rest,
            headers,
            request_body,
            status,
            response,
            started,
            notes,
        )
        if outbound and self.dispatcher is not None:
            self.dispatcher(session, twin, outbound)
        cacheable = status < 500 and not notes and self.replies.version(session) == version
        if key is not None and cacheable:
            self.replies.put(
                key, CachedReply(version, status, wire_headers, payload, label, response)
            )
        elif key is None:
            self.replies.changed(session)
        if reply.transport is not None:
            # Only now, with the journal written: the server drops the unfinished connection.
            raise DeliberateFault(f"fault: {reply.transport}")

    def _control(self) -> ASGIApp | None:
        if self.control is None and self.control_factory is not None:
            self.control = self.control_factory(self)
        return self.control

    def _target(
        self, path: str, headers: dict[str, str]
    ) -> tuple[str, Twin, str, str, bool] | None:
        """(session, twin, path inside the twin, URL prefix of the twin, whether the request
        named its session) for a request path."""
        if path.startswith("/_s/"):
            parts = path.split("/", 4)
            if len(parts) >= 4 and (twin := self.twins.get(parts[3])) is not None:
                session = unquote(parts[2])
                if SESSION_NAME.match(session):
                    rest = "/" + parts[4] if len(parts) == 5 else "/"
                    return session, twin, rest, f"/_s/{parts[2]}/{parts[3]}", True
            return None
        named = headers.get("x-twin-session")
        session = named if named is not None and SESSION_NAME.match(named) else "default"
        explicit = session != "default" or named is not None
        name, _, rest = path[1:].partition("/")
        twin = self.twins.get(name)
        if twin is not None:
            return session, twin, "/" + rest, f"/{name}", explicit
        host = headers.get("host", "").split(":")[0].lower()
        by_host = self.by_host.get(host)
        if by_host is not None:
            return session, by_host, path, "", explicit
        return None

    def handle(self, exchange: Exchange, scope: Scope) -> tuple[Reply, list[Outbound]]:
        """Run one request through its twin and the stages; never raises for bad input.
        Returns the reply and the webhooks it owes once committed."""
        twin = exchange.twin
        outbound: list[Outbound] = []
        try:
            reply = self._run(exchange, scope, outbound)
        except RequestError as error:
            outbound.clear()  # the request's writes rolled back: so do the webhooks they owed
            rng = exchange.rng("error", error.status)
            reply = twin.pack.error(exchange.operation, error, rng) or error_reply(
                twin.tools, exchange.operation, error, rng
            )
        except BehaviourError as error:
            outbound.clear()
            _log.exception("behaviour failed")
            reply = _server_error(error)
        for stage in reversed(self.stages):
            stage.after(exchange, reply)
        if exchange.reply_headers:  # a stage's header replaces the reply's own of that name
            names = {name.lower() for name, _ in exchange.reply_headers}
            kept = [h for h in reply.headers if h[0].lower() not in names]
            reply.headers = kept + exchange.reply_headers
        twin.pack.decorate(exchange, reply)
        return reply, outbound

    def _run(self, exchange: Exchange, scope: Scope, outbound: list[Outbound]) -> Reply:
        twin = exchange.twin
        route_error: RequestError | None = None
        try:
            inner = _strip_base(exchange.path, twin.spec.base_path)
            match = twin.router.match(exchange.method, inner)
        except RequestError as error:
            route_error = error
        else:
            exchange.operation = match.operation
            exchange.path_params = match.path_params
        session = exchange.session
        for stage in self.stages:
            answer = stage.before(exchange)
            if answer is not None:
                return answer
        if exchange.session != session:  # a credential chose the session
            exchange.seed = self.sessions.seed(exchange.session)
            exchange.now = self.sessions.now(exchange.session)
        if route_error is not None or exchange.operation is None:
            raise route_error or NotFoundError(f"no operation matches {exchange.label}")
        operation = exchange.operation
        raw = twin.pack.adapt(
            RawRequest(
                method=exchange.method,
                path_params=exchange.path_params,
                query_string=exchange.query_string,
                headers=scope["headers"],
                body=exchange.body,
                content_type=exchange.headers.get("content-type", ""),
            ),
            operation,
        )
        parsed = twin.validator(operation).parse(raw)
        # The headers as the pack adapted them (Slack's `token` argument becomes a bearer one).
        headers = exchange.headers if raw.headers is scope["headers"] else _decoded(raw.headers)
        call = Call(
            twin=twin,
            session=exchange.session,
            seed=exchange.seed,
            operation=operation,
            behaviour=twin.model.behaviour(operation),
            path_params=exchange.path_params,
            query=parsed.query,
            headers=headers,
            body=parsed.body,
            base_url=exchange.base_url,
            now=exchange.now,
            store=self.store,
            outbound=outbound,
        )
        return self._perform(exchange, call)

    def _perform(self, exchange: Exchange, call: Call) -> Reply:
        def behave() -> Reply:
            return perform(call)

        proceed = behave
        for stage in reversed(self.stages):
            proceed = _wrap(stage, exchange, call, proceed)
        try:
            if call.operation.method in ("GET", "HEAD"):
                return proceed()
            # One commit per write request: its counter, records and journal land together.
            with self.store.transaction():
                return proceed()
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
        notes: dict[str, Any],
    ) -> None:
        secret_headers, secret_params = self._secrets_of(twin)
        self.store.journal_append(
            JournalEntry(
                session=session,
                twin=twin.name,
                operation=label,
                method=scope["method"],
                path=path,
                status=status,
                request={
                    "query": _journal_query(scope["query_string"], secret_params),
                    "headers": {k: v for k, v in headers.items() if k not in secret_headers},
                    "body": request_body,
                },
                response=response,
                duration_ms=(time.perf_counter() - started) * 1000,
                at=time.time(),
                extra=notes,
            )
        )

    def _secrets_of(self, twin: Twin) -> tuple[frozenset[str], frozenset[str]]:
        """The headers and query parameters the journal leaves out: the usual credential
        headers, and the API keys the twin's security schemes name (`X-API-Key`, `?key=`)."""
        found = self._secrets.get(twin.name)
        if found is None:
            keys = [
                (scheme.location, scheme.parameter_name)
                for scheme in twin.spec.security_schemes.values()
                if scheme.type == "apiKey" and scheme.parameter_name
            ]
            named = {name.lower() for where, name in keys if where == "header"}
            params = frozenset(name for where, name in keys if where == "query")
            found = self._secrets[twin.name] = (_SECRET_HEADERS | named, params)
        return found

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                # Webhooks under way are stopped (and journaled) before the store closes.
                closing = getattr(self.dispatcher, "aclose", None)
                if closing is not None:
                    await closing()
                self.store.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


_SECRET_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
REDACTED = "[redacted]"
# Fields that carry credentials wherever they appear (OAuth token requests and answers,
# Slack's `token` argument): the journal keeps that they were sent, not what.
SECRET_FIELDS = frozenset(
    {
        "access_token",
        "client_assertion",
        "client_secret",
        "code_verifier",
        "id_token",
        "password",
        "refresh_token",
        "token",
    }
)
_SECRET_MARKERS = tuple(f'"{name}"'.encode() for name in SECRET_FIELDS)


def _journal_query(query: bytes, secret: frozenset[str]) -> str:
    """The query string as the journal keeps it: API keys the spec names blanked out."""
    return _redact_form(query.decode("latin-1"), secret)


def _redact_form(text: str, secret: frozenset[str]) -> str:
    """`a=1&client_secret=s` -> `a=1&client_secret=[redacted]`; an OAuth grant's `code` too."""
    if not text or "=" not in text:
        return text
    pairs = text.split("&")
    names = [unquote_plus(pair.partition("=")[0]) for pair in pairs]
    hidden = secret | SECRET_FIELDS | ({"code"} if "grant_type" in names else set())
    for index, name in enumerate(names):
        if name in hidden:
            pairs[index] = f"{pairs[index].partition('=')[0]}={REDACTED}"
    return "&".join(pairs)


def _redact_json(value: Any) -> Any:
    if isinstance(value, dict) and SECRET_FIELDS & value.keys():
        return {k: REDACTED if k in SECRET_FIELDS else v for k, v in value.items()}
    return value


def _journal_body(body: bytes, content_type: str) -> Any:
    """The request body as the journal keeps it: parsed JSON when it is JSON, else text;
    credentials in it blanked out."""
    if not body:
        return None
    if "json" in content_type:
        try:
            return _redact_json(orjson.loads(body))
        except orjson.JSONDecodeError:
            pass
    text = body[:65536].decode("utf-8", "replace")
    if "x-www-form-urlencoded" in content_type:
        return _redact_form(text, frozenset())
    return text


def _journal_reply_body(reply: Reply, payload: bytes) -> Any:
    """The reply body as the journal keeps it. Encoded for the wire already, it is embedded as
    is, not encoded twice; bytes made elsewhere are checked first, since a deliberately
    malformed body (a fault) must not break the journal's own JSON."""
    if not _is_json(reply) or not payload:
        return None
    if isinstance(reply.body, bytes):
        try:
            orjson.loads(payload)
        except orjson.JSONDecodeError:
            return payload[:65536].decode("utf-8", "replace")
    if any(marker in payload for marker in _SECRET_MARKERS):  # e.g. an OAuth token answer
        return _redact_json(orjson.loads(payload))
    return orjson.Fragment(payload)


def _wrap(stage: Stage, exchange: Exchange, call: Call, inner: Proceed) -> Proceed:
    def proceed() -> Reply:
        return stage.around(exchange, call, inner)

    return proceed


def _point_at_twin(payload: bytes, origins: tuple[str, ...], base_url: str) -> bytes:
    """Links the vendor gives to itself lead to the twin instead: SDKs follow them."""
    target = base_url.encode()
    for origin in origins:
        payload = payload.replace(origin.encode(), target)
    return payload


def _strip_base(path: str, base_path: str) -> str:
    if base_path and (path == base_path or path.startswith(base_path + "/")):
        return path[len(base_path) :] or "/"
    return path


def _headers(scope: Scope) -> dict[str, str]:
    return _decoded(scope["headers"])


def _decoded(headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in headers}


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


TIMEOUT_HOLD_SECONDS = 30.0


class DeliberateFault(ConnectionAbortedError):
    """A connection broken on purpose by a fault rule: not a failure of the server."""


class _QuietDeliberateFaults(logging.Filter):
    """Keeps uvicorn from logging a traceback for every connection a fault breaks."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DeliberateFault))


def _quiet_server_log() -> None:
    server_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietDeliberateFaults) for f in server_log.filters):
        server_log.addFilter(_QuietDeliberateFaults())


async def _send_broken(
    send: Send,
    status: int,
    headers: list[tuple[bytes, bytes]],
    payload: bytes,
    transport: str,
    *,
    held: bool,
) -> None:
    """A fault on the wire: the start of a reply that never completes. ASGI has no way to
    close a socket, so the caller raises `DeliberateFault` afterwards: the server then drops
    the connection unfinished. "timeout" holds the connection first (unless the reply's
    delay `held` it already)."""
    _quiet_server_log()
    if transport == "timeout" and not held:
        await asyncio.sleep(TIMEOUT_HOLD_SECONDS)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    if transport == "truncate":
        await send(
            {"type": "http.response.body", "body": payload[: len(payload) // 2], "more_body": True}
        )


async def _send_encoded(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], payload: bytes, method: str
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else payload})
