"""Idempotent retries: the same key and the same request get the first answer again.

A client that may retry a write sends a key with it (the twin's pack names the header;
Stripe's is `Idempotency-Key`). The first request with a key runs; its reply is kept in the
store, in the request's own transaction, so the reply exists exactly when its writes do. A
retry with the same key and the same request is answered with that reply, byte for byte and
with the same status, without running the behaviour again: a 402 decline replays as the same
402. The same key with a different request is refused (`IdempotencyKeyReused`).

What is kept and what is not:
- requests rejected before the behaviour ran (validation, authentication) are not kept: the
  client can fix the request and retry with the same key;
- an error raised by the behaviour is kept (its writes are rolled back, its rendered reply is
  stored once the transaction is gone);
- a 500 (a bug in a behaviour) is not kept;
- keys expire after a day of session time, as Stripe's do.

Keys are scoped per session, twin and credential (when authentication named one). Replays
are marked in the journal (`idempotent_replay`) and with an `Idempotent-Replayed: true`
header. On PostgreSQL the claim of a key takes a row lock first, so a retry racing its
original on another replica waits for it and then replays it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from dataclasses import dataclass
from typing import Any

import orjson

from twins.behaviour.call import Call, Reply
from twins.errors import Conflict, RequestError, ValidationFailed, Violation
from twins.exchange import Exchange, Proceed, Stage
from twins.state import StateAccess

COLLECTION = "idempotency"  # no spec path starts without "/": no clash with resources
COUNTERS = "idempotency|"
MAX_KEY_LENGTH = 255
KEY_LIFETIME_SECONDS = 24 * 3600
REPLAY_NOTE = "idempotent_replay"
REPLAY_HEADER = ("Idempotent-Replayed", "true")
_METHODS = frozenset({"POST", "PATCH"})  # GET, PUT and DELETE are idempotent already


class IdempotencyKeyReused(Conflict):
    """The key was first used with a different request (IETF draft: 422; Stripe: 400)."""

    status = 422
    kind = "idempotency_key_reused"


@dataclass(frozen=True, slots=True)
class _Claim:
    store: StateAccess
    session: str
    twin: str
    scoped_key: str
    fingerprint: str
    label: str


class IdempotencyStage(Stage):
    """Replays the first reply to a write retried with the same idempotency key."""

    name = "idempotency"

    def __init__(self) -> None:
        # Claims whose behaviour raised: stored in `after`, once the error is rendered.
        self._raised: dict[int, _Claim] = {}
        self._lock = threading.Lock()

    def around(self, exchange: Exchange, call: Call, proceed: Proceed) -> Reply:
        key = _key_of(exchange)
        if key is None:
            return proceed()
        claim = _Claim(
            call.store,
            exchange.session,
            exchange.twin.name,
            _scoped(key, exchange.credential),
            _fingerprint(exchange),
            exchange.label,
        )
        # The counter's upsert locks a row per key until this transaction ends: a concurrent
        # retry (another replica) waits here, then finds the reply below.
        call.store.next_value(claim.session, claim.twin, COUNTERS + claim.scoped_key)
        kept = call.store.get(claim.session, claim.twin, COLLECTION, claim.scoped_key)
        if kept is not None and exchange.now - kept["at"] < KEY_LIFETIME_SECONDS:
            if kept["fingerprint"] != claim.fingerprint:
                raise IdempotencyKeyReused(_reused_message(key, kept["label"], claim.label))
            exchange.notes[REPLAY_NOTE] = key
            return _replay(kept)
        try:
            reply = proceed()
        except RequestError:
            with self._lock:
                self._raised[id(exchange)] = claim
            raise
        if reply.status < 500:
            _keep(claim, reply, exchange.now)
        return reply

    def after(self, exchange: Exchange, reply: Reply) -> None:
        with self._lock:
            claim = self._raised.pop(id(exchange), None)
        if claim is not None and reply.status < 500:
            _keep(claim, reply, exchange.now)


def _key_of(exchange: Exchange) -> str | None:
    header = exchange.twin.pack.idempotency_header
    if header is None or exchange.method not in _METHODS:
        return None
    key = exchange.headers.get(header.lower())
    if not key:
        return None
    if len(key) > MAX_KEY_LENGTH:
        message = (
            f"idempotency keys can be at most {MAX_KEY_LENGTH} characters long; "
            f"this one has {len(key)}"
        )
        raise ValidationFailed(message, [Violation("header", header, "maxLength", message)])
    return key


def _scoped(key: str, credential: str | None) -> str:
    """The key as stored: per credential when one is known, never the credential itself."""
    if credential is None:
        return key
    owner = hashlib.sha256(credential.encode()).hexdigest()[:16]
    return f"{owner}:{key}"


def _fingerprint(exchange: Exchange) -> str:
    digest = hashlib.sha256()
    for part in (exchange.method.encode(), exchange.path.encode(), exchange.query_string):
        digest.update(part + b"\x00")
    digest.update(exchange.body)
    return digest.hexdigest()


def _reused_message(key: str, first: str, now: str) -> str:
    where = "" if first == now else f" (it was first used for {first}, this is {now})"
    return (
        "Keys for idempotent requests can only be used with the same parameters they were "
        f"first used with{where}. Try using a key other than '{key}' if you meant to execute "
        "a different request."
    )


def _keep(claim: _Claim, reply: Reply, now: float) -> None:
    record = {
        "at": now,
        "fingerprint": claim.fingerprint,
        "label": claim.label,
        "status": reply.status,
        "media_type": reply.media_type,
        "headers": [list(pair) for pair in reply.headers],
        "body": base64.b64encode(encoded_body(reply)).decode("ascii"),
        "empty": reply.body is None,
    }
    claim.store.put(claim.session, claim.twin, COLLECTION, claim.scoped_key, "", record)


def _replay(kept: dict[str, Any]) -> Reply:
    body: bytes | None = None if kept["empty"] else base64.b64decode(kept["body"])
    headers = [(str(name), str(value)) for name, value in kept["headers"]]
    headers.append(REPLAY_HEADER)
    return Reply(kept["status"], body, kept["media_type"], headers)


def encoded_body(reply: Reply) -> bytes:
    """The body as the server puts it on the wire (`twins.app` encodes it the same way)."""
    body = reply.body
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str) and not (reply.media_type or "").endswith("json"):
        return body.encode()
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:  # orjson stops at 64-bit integers; JSON itself does not
        return json.dumps(body, separators=(",", ":"), default=str).encode()
