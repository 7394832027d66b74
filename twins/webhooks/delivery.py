"""One webhook on its way to a receiver, and what the journal keeps of each try.

Every try is a journal entry of the session, labelled `WEBHOOK <event>` (method POST, path the
target URL, status the receiver's, 0 when none answered), so a run's webhooks read back next to
the requests that caused them. `extra` says which delivery and try it was, how it ended, and
which injected faults touched it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

import orjson

from twins.behaviour.call import Outbound
from twins.state import JournalEntry
from twins.webhooks.sender import Answer

USER_AGENT = "dtu-webhooks/1"
BODY_EXCERPT = 64 * 1024  # bytes of a request body the journal keeps as text

# How a try ended.
DELIVERED = "delivered"
FAILED = "failed"  # another try follows
GAVE_UP = "gave up"  # the last try failed
REFUSED = "refused"  # the target is not on the allow-list: never contacted
DROPPED = "dropped"  # too many deliveries waiting
ABANDONED = "abandoned"  # the server shut down first


@dataclass(eq=False)
class Delivery:
    """An outbound webhook and its progress. Copies made by the duplicates fault share the
    id and the number of the original."""

    id: str
    number: int  # 1, 2, 3, ... per session and twin: what fault draws derive from
    session: str
    twin: str
    outbound: Outbound
    attempt: int = 0
    copy: int = 0  # 0: the original; 1, 2, ...: duplicates
    delayed: float = 0.0  # seconds the delay fault held it
    reordered: int | None = None  # its place in a batch the reorder fault shuffled

    @property
    def event(self) -> str:
        return self.outbound.event

    def duplicate(self, copy: int) -> Delivery:
        return replace(self, copy=copy, attempt=0)

    def headers(self, at: float) -> list[tuple[str, str]]:
        """The request headers of a try at `at` on the session clock, signature included."""
        outbound = self.outbound
        given = {name.lower() for name, _ in outbound.headers}
        defaults = [("user-agent", USER_AGENT), ("content-type", "application/json")]
        headers = [(name, value) for name, value in defaults if name not in given]
        headers.extend(outbound.headers)
        if outbound.sign is not None:
            headers.extend(outbound.sign(outbound.body, at))
        return headers

    def notes(self, outcome: str, **more: Any) -> dict[str, Any]:
        found: dict[str, Any] = {
            "webhook": self.event,
            "delivery": self.id,
            "number": self.number,
            "attempt": self.attempt,
            "outcome": outcome,
            "duplicate": self.copy > 0,
        }
        if self.copy:
            found["copy"] = self.copy
        if self.delayed:
            found["delayed"] = self.delayed
        if self.reordered is not None:
            found["reordered"] = self.reordered
        found.update(more)
        return found


def attempt_entry(
    delivery: Delivery,
    headers: list[tuple[str, str]],
    answer: Answer,
    outcome: str,
    **notes: Any,
) -> JournalEntry:
    response: dict[str, Any] = {"headers": answer.headers, "body": answer.body}
    if answer.error is not None:
        response["error"] = answer.error
    return _entry(
        delivery,
        answer.status,
        request={"headers": _named(headers), "body": _body(delivery.outbound)},
        response=response,
        duration_ms=answer.duration_ms,
        extra=delivery.notes(outcome, **notes),
    )


def unsent_entry(delivery: Delivery, outcome: str, reason: str) -> JournalEntry:
    """A delivery that never reached its receiver (refused, dropped, abandoned)."""
    return _entry(
        delivery,
        0,
        request={"headers": _named(delivery.outbound.headers), "body": _body(delivery.outbound)},
        response={"error": reason},
        duration_ms=0.0,
        extra=delivery.notes(outcome, reason=reason),
    )


def _entry(
    delivery: Delivery,
    status: int,
    *,
    request: dict[str, Any],
    response: dict[str, Any],
    duration_ms: float,
    extra: dict[str, Any],
) -> JournalEntry:
    return JournalEntry(
        session=delivery.session,
        twin=delivery.twin,
        operation=f"WEBHOOK {delivery.event}",
        method="POST",
        path=delivery.outbound.url,
        status=status,
        request=request,
        response=response,
        duration_ms=duration_ms,
        at=time.time(),  # when it happened, as every journal entry records it
        extra=extra,
    )


def _named(headers: list[tuple[str, str]]) -> dict[str, str]:
    """Headers by lower-case name, as the journal keeps a request's."""
    return {name.lower(): value for name, value in headers}


def _body(outbound: Outbound) -> Any:
    """The body as the journal keeps it: parsed when it is JSON, else the start of its text."""
    try:
        return orjson.loads(outbound.body)
    except orjson.JSONDecodeError:
        return outbound.body[:BODY_EXCERPT].decode("utf-8", "replace")
