"""Events: what changed, recorded for `GET /v1/events` and owed to webhook endpoints.

Every state change a behaviour makes records an event (`payment_intent.succeeded` carrying
the intent as it now is). For each enabled webhook endpoint that listens to the event's type,
the request owes a delivery (`Call.outbound`), signed when it leaves the way Stripe signs:
`Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256(endpoint secret, "<t>.<body>")>`.
An event may be dated in the future (a bank debit that settles later): it is listed and
delivered from that moment of the session's clock on.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

import orjson

from twins.behaviour.call import Outbound
from twins.catalog.stripe.kinds import EVENT, WEBHOOK_ENDPOINT
from twins.catalog.stripe.objects import Obj, Objects, snapshot

API_VERSION = "2023-08-16"
USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
Signer = Callable[[bytes, float], list[tuple[str, str]]]


def emit(
    objects: Objects,
    event_type: str,
    obj: Obj,
    previous: dict[str, Any] | None = None,
    *,
    at: int | None = None,
) -> Obj:
    """Record an event about `obj` (as it is now) and owe it to the endpoints listening."""
    call = objects.call
    created = objects.now if at is None else at
    endpoints = [
        endpoint
        for endpoint in reversed(objects.newest_first(WEBHOOK_ENDPOINT, status="enabled"))
        if listens(endpoint, event_type)
    ]
    data: dict[str, Any] = {"object": snapshot(obj)}
    if previous:
        data["previous_attributes"] = previous
    event: Obj = {
        "id": objects.new_id(EVENT),
        "object": "event",
        "api_version": API_VERSION,
        "created": created,
        "data": data,
        "livemode": False,
        "pending_webhooks": len(endpoints),
        "request": {"id": None, "idempotency_key": call.headers.get("idempotency-key")},
        "type": event_type,
    }
    objects.save(event)
    body = orjson.dumps(event)
    deliver_at = float(created) if created > objects.now else None
    for endpoint in endpoints:
        call.outbound.append(
            Outbound(
                url=endpoint["url"],
                event=event_type,
                body=body,
                headers=[
                    ("Content-Type", "application/json; charset=utf-8"),
                    ("User-Agent", USER_AGENT),
                ],
                sign=signer(endpoint["secret"]),
                deliver_at=deliver_at,
            )
        )
    return event


def listens(endpoint: Obj, event_type: str) -> bool:
    enabled = endpoint.get("enabled_events") or []
    return "*" in enabled or event_type in enabled


def signer(secret: str) -> Signer:
    """Signs a delivery at the time it is sent, as Stripe does (`Stripe-Signature`)."""

    def sign(body: bytes, at: float) -> list[tuple[str, str]]:
        timestamp = int(at)
        return [("Stripe-Signature", f"t={timestamp},v1={signature(secret, timestamp, body)}")]

    return sign


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def visible(event: Obj, now: int) -> bool:
    """Events dated later (a settlement still to come) do not exist yet."""
    created = event.get("created")
    return not isinstance(created, int) or created <= now


def changed(before: Obj, after: Obj) -> dict[str, Any]:
    """`previous_attributes`: the old values of the top-level fields that changed."""
    return {name: value for name, value in before.items() if after.get(name) != value}
