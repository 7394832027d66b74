"""Opening the session's objects for one request (settling what is due first)."""

from __future__ import annotations

from twins.behaviour.call import Call
from twins.catalog.stripe.objects import Objects
from twins.catalog.stripe.settlement import settle_due


def opened(call: Call) -> Objects:
    objects = Objects(call)
    settle_due(objects)
    return objects
