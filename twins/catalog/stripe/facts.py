"""What the twin knows about an object that Stripe never shows: the test card behind a
payment method, the return URL of a confirmation, a webhook endpoint's secret.

Kept beside the objects (collection `stripe:facts`, keyed by the object's id), never in them,
so no reply can leak them.
"""

from __future__ import annotations

from typing import Any

from twins.catalog.stripe.objects import Objects

COLLECTION = "stripe:facts"


def facts(objects: Objects, ident: str) -> dict[str, Any]:
    call = objects.call
    found = call.store.get(call.session, call.twin.name, COLLECTION, ident)
    return found or {}


def remember(objects: Objects, ident: str, **values: Any) -> None:
    call = objects.call
    merged = {**facts(objects, ident), **values}
    call.store.put(call.session, call.twin.name, COLLECTION, ident, "", merged)
