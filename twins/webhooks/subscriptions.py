"""Webhook endpoints registered per session and twin, for twins whose vendor pack sends none.

Deliveries to them are signed the Standard Webhooks way (https://www.standardwebhooks.com):

    webhook-id: <event id>
    webhook-timestamp: <seconds on the session clock>
    webhook-signature: v1,<base64 of HMAC-SHA256(key, "<id>.<timestamp>.<body>")>

where the key is the secret after its `whsec_` prefix, base64-decoded (any other secret is used
as its UTF-8 bytes).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import threading
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase

from twins.errors import ConfigError
from twins.fake import Rng

MAX_PER_TWIN = 50  # subscriptions of one session and twin
SECRET_PREFIX = "whsec_"

Signer = Callable[[bytes, float], list[tuple[str, str]]]


@dataclass(frozen=True)
class Subscription:
    id: str
    session: str
    twin: str
    url: str
    events: tuple[str, ...]  # event types or globs ("book.*"); empty: every event
    secret: str

    def wants(self, event: str) -> bool:
        return not self.events or any(fnmatchcase(event, pattern) for pattern in self.events)

    def signer(self, message_id: str) -> Signer:
        return standard_signer(self.secret, message_id)


class TooManySubscriptions(ConfigError):
    pass


class Subscriptions:
    """Every session's subscriptions, in memory (configuration, like fault rules: a session
    reset forgets them, see `Dispatcher.reset`). Reads are lock-free; `active` is the
    hot-path check."""

    def __init__(self) -> None:
        self._by_twin: dict[tuple[str, str], tuple[Subscription, ...]] = {}
        self._numbers: dict[str, int] = {}  # per session: ids and secrets replay with it
        self._lock = threading.Lock()

    def active(self, session: str, twin: str) -> bool:
        return (session, twin) in self._by_twin

    def add(
        self,
        session: str,
        twin: str,
        url: str,
        events: tuple[str, ...],
        secret: str | None,
        seed: int,
    ) -> Subscription:
        """Raises TooManySubscriptions."""
        with self._lock:
            current = self._by_twin.get((session, twin), ())
            if len(current) >= MAX_PER_TWIN:
                raise TooManySubscriptions(
                    f"session {session!r} has {len(current)} webhook endpoints on twin {twin!r}; "
                    f"the limit is {MAX_PER_TWIN}"
                )
            number = self._numbers[session] = self._numbers.get(session, 0) + 1
            subscription = Subscription(
                f"we_{number}",
                session,
                twin,
                url,
                events,
                secret or new_secret(Rng.derive(seed, twin, "webhook-secret", number)),
            )
            self._by_twin[(session, twin)] = (*current, subscription)
        return subscription

    def of(self, session: str, twin: str) -> tuple[Subscription, ...]:
        return self._by_twin.get((session, twin), ())

    def matching(self, session: str, twin: str, event: str) -> list[Subscription]:
        return [s for s in self.of(session, twin) if s.wants(event)]

    def forget(self, session: str) -> None:
        with self._lock:
            for key in [key for key in self._by_twin if key[0] == session]:
                del self._by_twin[key]
            self._numbers.pop(session, None)

    def remove(self, session: str, twin: str, subscription_id: str) -> bool:
        with self._lock:
            current = self._by_twin.get((session, twin), ())
            kept = tuple(s for s in current if s.id != subscription_id)
            if kept:
                self._by_twin[(session, twin)] = kept
            else:
                self._by_twin.pop((session, twin), None)
            return len(kept) != len(current)


def new_secret(rng: Rng) -> str:
    return SECRET_PREFIX + base64.b64encode(rng.getrandbits(192).to_bytes(24, "big")).decode()


def secret_key(secret: str) -> bytes:
    if secret.startswith(SECRET_PREFIX):
        try:
            return base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            pass
    return secret.encode()


def standard_signer(secret: str, message_id: str) -> Signer:
    key = secret_key(secret)

    def sign(body: bytes, at: float) -> list[tuple[str, str]]:
        timestamp = str(int(at))
        signed = f"{message_id}.{timestamp}.".encode() + body
        digest = hmac.new(key, signed, hashlib.sha256).digest()
        return [
            ("webhook-id", message_id),
            ("webhook-timestamp", timestamp),
            ("webhook-signature", "v1," + base64.b64encode(digest).decode()),
        ]

    return sign
