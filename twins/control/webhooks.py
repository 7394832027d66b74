"""A session's clock and webhooks: subscriptions, delivery faults, retries, deliveries, flush.

The endpoints are coroutines: they run on the server's event loop, where deliveries and
scheduled jobs live.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from twins.app import TwinServer
from twins.control import common
from twins.control.common import checked_session
from twins.state import JournalEntry
from twins.webhooks import (
    Delay,
    DeliveryFaults,
    Dispatcher,
    Duplicates,
    Reorder,
    RetryPolicy,
    Subscription,
    dispatcher_of,
)
from twins.webhooks.allow import MAX_URL_LENGTH
from twins.webhooks.subscriptions import TooManySubscriptions

LATEST_EPOCH = 253_402_300_799.0  # 9999-12-31T23:59:59Z: timestamps cannot be shown beyond
MAX_ADVANCE = 100 * 365 * 86_400.0
MAX_EVENTS = 100
MAX_SCANNED = 10_000  # journal entries read to filter deliveries by outcome
MAX_SEQ = 2**63 - 1  # journal seqs are 64-bit: a larger one is no seq, not a 500


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClockRequest(_Strict):
    frozen_at: float | None = Field(
        default=None, ge=0, le=LATEST_EPOCH, description="Freeze the clock at this epoch."
    )
    set: float | None = Field(
        default=None,
        ge=0,
        le=LATEST_EPOCH,
        description="Jump to this epoch and run on from there in real time (thaws the clock).",
    )
    advance: float | None = Field(
        default=None,
        ge=0,
        le=MAX_ADVANCE,
        description="Move the clock forward (seconds), after freezing or setting it.",
    )

    @model_validator(mode="after")
    def one_position(self) -> ClockRequest:
        if self.frozen_at is not None and self.set is not None:
            raise ValueError("give 'frozen_at' (freeze) or 'set' (jump and run), not both")
        return self


class SubscriptionRequest(_Strict):
    url: str = Field(
        min_length=1,
        max_length=MAX_URL_LENGTH,
        description="Where events are POSTed; its host must be on the webhook allow-list.",
    )
    events: list[str] = Field(
        default_factory=list,
        max_length=MAX_EVENTS,
        description='Event types or globs, e.g. ["book.created", "order.*"]; empty: every one.',
    )
    secret: str | None = Field(
        default=None,
        min_length=1,
        max_length=256,
        description="Signing secret (`whsec_<base64>` as Standard Webhooks); default: drawn "
        "from the session's seed.",
    )

    @model_validator(mode="after")
    def event_names(self) -> SubscriptionRequest:
        _check_events(self.events)
        return self


def _check_events(events: list[str]) -> None:
    for event in events:
        if not 0 < len(event) <= 200 or not event.isprintable():
            raise ValueError(f"event {event[:50]!r}: 1-200 printable characters")


class DuplicatesIn(_Strict):
    probability: float = Field(default=1.0, ge=0, le=1, description="Chance per delivery.")
    copies: int = Field(default=1, ge=1, le=10, description="Extra copies sent.")
    count: int | None = Field(default=None, ge=1, le=10**6, description="At most N deliveries.")


class DelayIn(_Strict):
    seconds: float = Field(gt=0, le=MAX_ADVANCE, description="How long a delivery waits.")
    probability: float = Field(default=1.0, ge=0, le=1)
    clock: bool = Field(
        default=True,
        description="true: seconds on the session clock (sent once the clock passes them); "
        "false: real seconds (at most an hour).",
    )
    count: int | None = Field(default=None, ge=1, le=10**6, description="At most N deliveries.")

    @model_validator(mode="after")
    def real_delays_are_short(self) -> DelayIn:
        if not self.clock and self.seconds > 3600:
            raise ValueError("a real-time delay is at most 3600 seconds; use the clock instead")
        return self


class ReorderIn(_Strict):
    hold: int = Field(ge=2, le=1000, description="Hold N deliveries, then send them shuffled.")


class FaultsRequest(_Strict):
    duplicates: DuplicatesIn | None = None
    delay: DelayIn | None = None
    reorder: ReorderIn | None = None
    events: list[str] = Field(
        default_factory=list,
        max_length=MAX_EVENTS,
        description="Event types or globs the faults apply to; empty: every one.",
    )

    @model_validator(mode="after")
    def event_names(self) -> FaultsRequest:
        _check_events(self.events)
        return self

    def faults(self) -> DeliveryFaults:
        duplicates = delay = reorder = None
        if self.duplicates is not None:
            given = self.duplicates
            duplicates = Duplicates(given.probability, given.copies, given.count)
        if self.delay is not None:
            late = self.delay
            delay = Delay(late.seconds, late.probability, late.clock, late.count)
        if self.reorder is not None:
            reorder = Reorder(self.reorder.hold)
        return DeliveryFaults(duplicates, delay, reorder, tuple(self.events))


class RetryRequest(_Strict):
    attempts: int = Field(default=5, ge=1, le=20, description="Tries in all, the first included.")
    backoff: float = Field(default=1.0, ge=0, le=3600, description="Seconds before try 2.")
    factor: float = Field(default=2.0, ge=1, le=10, description="Each wait times this.")
    max_backoff: float = Field(default=300.0, ge=0, le=86_400, description="Longest wait.")
    timeout: float = Field(default=10.0, gt=0, le=60, description="Seconds to answer a try.")


class FlushRequest(_Strict):
    scheduled: bool = Field(
        default=False,
        description="Also run every job waiting on the session clock, due or not.",
    )
    timeout: float = Field(
        default=10.0, ge=0, le=60, description="Seconds to wait for the deliveries to finish."
    )


def router_for(server: TwinServer) -> APIRouter:
    api = APIRouter(tags=["clock and webhooks"])
    sessions = "/_twin/sessions/{session}"
    endpoints = sessions + "/twins/{name}/webhooks"

    def dispatcher() -> Dispatcher:
        found = dispatcher_of(server)
        if found is None:
            raise HTTPException(404, "this server sends no webhooks")
        return found

    @api.get(sessions + "/clock", summary="A session's clock and the jobs waiting on it")
    async def get_clock(session: str) -> dict[str, Any]:
        return _clock_view(server, checked_session(session))

    @api.post(sessions + "/clock", summary="Freeze, set or advance a session's clock")
    async def move_clock(session: str, body: ClockRequest) -> dict[str, Any]:
        current = server.sessions.clock(checked_session(session))
        if body.frozen_at is not None:
            current.frozen_at = body.frozen_at
        if body.set is not None:
            current.set(body.set)
        if body.advance is not None:
            if current.frozen_at is not None:
                current.frozen_at += body.advance
            else:
                current.offset += body.advance
        if current.now() > LATEST_EPOCH:  # not past what a timestamp can show
            if current.frozen_at is not None:
                current.frozen_at = LATEST_EPOCH  # still frozen: `set` would thaw it
            else:
                current.set(LATEST_EPOCH)
        found = dispatcher_of(server)
        ran = found.scheduler.run_due(session) if found is not None else 0
        return {**_clock_view(server, session), "jobs_run": ran}

    @api.post(endpoints, status_code=201, summary="Subscribe an endpoint to a twin's events")
    async def subscribe(session: str, name: str, body: SubscriptionRequest) -> dict[str, Any]:
        twin = common.twin_named(server, name)
        sender = dispatcher()
        refusal = sender.allow.refusal(body.url)
        if refusal is not None:
            raise HTTPException(422, f"url: {refusal}")
        checked_session(session)
        try:
            added = sender.subscriptions.add(
                session,
                twin.name,
                body.url,
                tuple(body.events),
                body.secret,
                server.sessions.seed(session),
            )
        except TooManySubscriptions as error:
            raise HTTPException(409, str(error)) from error
        return _subscription_view(added)

    @api.get(endpoints, summary="Endpoints subscribed to a twin's events")
    async def subscriptions(session: str, name: str) -> list[dict[str, Any]]:
        twin = common.twin_named(server, name)
        found = dispatcher().subscriptions.of(checked_session(session), twin.name)
        return [_subscription_view(subscription) for subscription in found]

    @api.delete(endpoints + "/{subscription}", status_code=204, summary="Unsubscribe")
    async def unsubscribe(session: str, name: str, subscription: str) -> Response:
        twin = common.twin_named(server, name)
        if not dispatcher().subscriptions.remove(checked_session(session), twin.name, subscription):
            raise HTTPException(404, f"no webhook endpoint {subscription!r} on twin {name!r}")
        return Response(status_code=204)

    @api.put(sessions + "/webhooks/faults", summary="Duplicate, delay or reorder deliveries")
    async def set_faults(session: str, body: FaultsRequest) -> dict[str, Any]:
        lane = dispatcher().lane(checked_session(session))
        lane.set_faults(body.faults())
        return {"session": session, **body.model_dump()}

    @api.get(sessions + "/webhooks/faults", summary="A session's delivery faults")
    async def get_faults(session: str) -> dict[str, Any]:
        faults = dispatcher().faults_of(checked_session(session))
        return {"session": session, **_faults_view(faults)}

    @api.delete(sessions + "/webhooks/faults", summary="No more delivery faults")
    async def clear_faults(session: str) -> dict[str, Any]:
        sender = dispatcher()
        sender.lane(checked_session(session)).set_faults(DeliveryFaults())
        return {"session": session, "released": sender.release(session)}

    @api.put(sessions + "/webhooks/retry", summary="How failed deliveries are retried")
    async def set_retry(session: str, body: RetryRequest) -> dict[str, Any]:
        lane = dispatcher().lane(checked_session(session))
        lane.retry = RetryPolicy(**body.model_dump())
        return {"session": session, **body.model_dump()}

    @api.get(sessions + "/webhooks/retry", summary="A session's retry policy")
    async def get_retry(session: str) -> dict[str, Any]:
        policy = dispatcher().retry_of(checked_session(session))
        return {"session": session, **_retry_view(policy)}

    @api.get(sessions + "/webhooks/deliveries", summary="Every try of every webhook, oldest first")
    async def deliveries(
        session: str,
        twin: str | None = Query(default=None, description="Only this twin."),
        event: str | None = Query(
            default=None, max_length=200, description='Event type or glob, e.g. "book.*".'
        ),
        outcome: str | None = Query(
            default=None,
            description="delivered, failed, gave up, refused, dropped or abandoned.",
        ),
        limit: int = Query(default=100, ge=1, le=10_000),
        since: int | None = Query(
            default=None, ge=0, le=MAX_SEQ, description="Only tries after this seq."
        ),
    ) -> list[dict[str, Any]]:
        entries = server.store.journal(
            checked_session(session),
            twin=twin,
            operation=f"WEBHOOK {event or '*'}",
            since_seq=since,
            limit=MAX_SCANNED if outcome else limit,
        )
        views = [_delivery_view(entry) for entry in entries]
        if outcome is not None:
            views = [view for view in views if view["outcome"] == outcome][:limit]
        return views

    @api.post(sessions + "/webhooks/flush", summary="Deliver what is in hand now, and wait")
    async def flush(session: str, body: FlushRequest | None = None) -> dict[str, Any]:
        given = body or FlushRequest()
        return await dispatcher().flush(
            checked_session(session), scheduled=given.scheduled, timeout=given.timeout
        )

    return api


def _clock_view(server: TwinServer, session: str) -> dict[str, Any]:
    clock = server.sessions.clock(session)
    found = dispatcher_of(server)
    waiting = found.scheduler.pending(session) if found is not None else []
    return {
        "session": session,
        "now": clock.now(),
        "frozen": clock.frozen_at is not None,
        "offset": clock.offset,
        "jobs_waiting": len(waiting),
        "next_due": waiting[0].at if waiting else None,
    }


def _subscription_view(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": subscription.id,
        "twin": subscription.twin,
        "url": subscription.url,
        "events": list(subscription.events),
        "secret": subscription.secret,
    }


def _faults_view(faults: DeliveryFaults) -> dict[str, Any]:
    duplicates, delay, reorder = faults.duplicates, faults.delay, faults.reorder
    return {
        "duplicates": None
        if duplicates is None
        else {
            "probability": duplicates.probability,
            "copies": duplicates.copies,
            "count": duplicates.count,
        },
        "delay": None
        if delay is None
        else {
            "seconds": delay.seconds,
            "probability": delay.probability,
            "clock": delay.on_clock,
            "count": delay.count,
        },
        "reorder": None if reorder is None else {"hold": reorder.hold},
        "events": list(faults.events),
    }


def _retry_view(policy: RetryPolicy) -> dict[str, Any]:
    return {
        "attempts": policy.attempts,
        "backoff": policy.backoff,
        "factor": policy.factor,
        "max_backoff": policy.max_backoff,
        "timeout": policy.timeout,
    }


def _delivery_view(entry: JournalEntry) -> dict[str, Any]:
    extra = entry.extra
    return {
        "seq": entry.seq,
        "twin": entry.twin,
        "event": extra.get("webhook", entry.operation.partition(" ")[2]),
        "url": entry.path,
        "status": entry.status,
        "delivery": extra.get("delivery"),
        "attempt": extra.get("attempt"),
        "outcome": extra.get("outcome"),
        "duplicate": extra.get("duplicate", False),
        "delayed": extra.get("delayed"),
        "reordered": extra.get("reordered"),
        "retry_in": extra.get("retry_in"),
        "reason": extra.get("reason"),
        "at": entry.at,
        "request": entry.request,
        "response": entry.response,
    }
