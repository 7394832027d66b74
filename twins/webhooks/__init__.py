"""Webhooks: what twins send to their clients' receivers.

    Dispatcher       delivers `Outbound`s: allow-list, seeded faults, retries, the journal
    AllowList        the hosts webhooks may go to (loopback unless told otherwise)
    RetryPolicy      tries and exponential backoff when a receiver fails
    DeliveryFaults   duplicates, delays and reordering, drawn from the session's seed
    Subscriptions    endpoints registered per session and twin (generic twins)
    EventStage       emits resource events and the spec's callbacks after successful writes

Vendor packs append `Outbound`s to `call.outbound`; the server hands them to the dispatcher
once the reply has left. See docs/webhooks-and-clock.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twins.webhooks.allow import LOOPBACK, AllowList
from twins.webhooks.dispatcher import Dispatcher
from twins.webhooks.events import EventStage
from twins.webhooks.policy import Delay, DeliveryFaults, Duplicates, Reorder, RetryPolicy
from twins.webhooks.subscriptions import Subscription, Subscriptions

if TYPE_CHECKING:
    from twins.app import TwinServer

__all__ = [
    "LOOPBACK",
    "AllowList",
    "Delay",
    "DeliveryFaults",
    "Dispatcher",
    "Duplicates",
    "EventStage",
    "Reorder",
    "RetryPolicy",
    "Subscription",
    "Subscriptions",
    "dispatcher_of",
    "install",
]


def install(server: TwinServer, allow: AllowList | None = None) -> Dispatcher:
    """Make `server` send webhooks: its dispatcher, and the event stage as its innermost stage
    (answers a stage gives instead of the behaviour, like replays, emit nothing)."""
    dispatcher = Dispatcher(server.sessions, allow or AllowList.of(LOOPBACK))
    server.dispatcher = dispatcher
    server.stages.append(EventStage(dispatcher))
    return dispatcher


def dispatcher_of(server: TwinServer) -> Dispatcher | None:
    """The server's webhook dispatcher (and through it its scheduler), if it sends webhooks."""
    found = server.dispatcher
    return found if isinstance(found, Dispatcher) else None
