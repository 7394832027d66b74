"""The dispatcher: delivers the webhooks a request owes, after its reply has left.

`TwinServer` hands it a request's `Outbound`s (`server.dispatcher(session, twin, outbound)`),
on the server's event loop. Each one becomes a `Delivery`:

    deliver_at in the future? -> wait on the session clock (the scheduler)
    target not allowed?       -> journaled as refused; never contacted
    faults (seeded draws)     -> copies, a delay (clock or real seconds), a reorder hold
    the session's lane        -> tries, one at a time; a failed try (no answer, or not 2xx)
                                 is retried after an exponential backoff, up to a bound

Every try is journaled with the receiver's answer. Nothing here blocks a request: deliveries
are tasks, kept in a set (the event loop holds tasks only weakly), bounded in number, and
cancelled (journaled as abandoned) when the server shuts down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from twins.behaviour.call import Outbound
from twins.fake import Rng
from twins.schedule import ScheduleFull, Scheduler
from twins.sessions import Sessions
from twins.webhooks.allow import AllowList
from twins.webhooks.delivery import (
    ABANDONED,
    DELIVERED,
    DROPPED,
    FAILED,
    GAVE_UP,
    REFUSED,
    Delivery,
    attempt_entry,
    unsent_entry,
)
from twins.webhooks.lane import Lane
from twins.webhooks.policy import DeliveryFaults, FaultPlan, RetryPolicy, plan_faults
from twins.webhooks.sender import new_client, post
from twins.webhooks.subscriptions import Subscriptions

if TYPE_CHECKING:
    import httpx

    from twins.twin import Twin

_log = logging.getLogger("dtu.webhooks")

DELIVERY_COUNTER = "webhook:deliveries"  # store counter: delivery numbers restart on reset
MAX_IN_HAND = 10_000  # deliveries not yet finished, every session together
CONCURRENCY = 16  # tries under way at once, every session together


class Dispatcher:
    """Sends the webhooks of every session of one server."""

    def __init__(
        self,
        sessions: Sessions,
        allow: AllowList,
        *,
        retry: RetryPolicy | None = None,
        concurrency: int = CONCURRENCY,
        max_in_hand: int = MAX_IN_HAND,
    ) -> None:
        self.sessions = sessions
        self.store = sessions.store
        self.allow = allow
        self.retry = retry or RetryPolicy()
        self.scheduler = Scheduler(sessions)
        self.subscriptions = Subscriptions()
        self._concurrency = concurrency
        self._max_in_hand = max_in_hand
        self._in_hand = 0
        self._lanes: dict[str, Lane] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots: asyncio.Semaphore | None = None
        self._client: httpx.AsyncClient | None = None
        self._closed = False

    # -- what the server calls ----------------------------------------------------------

    def __call__(self, session: str, twin: Twin, outbound: list[Outbound]) -> None:
        self.dispatch(session, twin.name, outbound)

    def dispatch(self, session: str, twin: str, outbound: Sequence[Outbound]) -> None:
        """Deliver `outbound` (on the event loop; from another thread it is handed over)."""
        if self._closed:
            _log.warning("%d webhooks of session %r come after shutdown", len(outbound), session)
            return
        loop = self._bind()
        if loop is not _running_loop():
            loop.call_soon_threadsafe(self.dispatch, session, twin, list(outbound))
            return
        now = self.sessions.now(session)
        for item in outbound:
            try:
                if item.deliver_at is not None and item.deliver_at > now:
                    self._later(session, item.deliver_at, partial(self._admit, session, twin, item))
                else:
                    self._admit(session, twin, item)
            except Exception:  # the reply has left: a failure here must not reach the client
                _log.exception("webhook %r of session %r not dispatched", item.event, session)

    def lane(self, session: str) -> Lane:
        """The session's lane, made on first use (to set its faults or retry policy)."""
        found = self._lanes.get(session)
        if found is None:
            found = self._lanes[session] = Lane(session)
        return found

    def faults_of(self, session: str) -> DeliveryFaults:
        found = self._lanes.get(session)
        return found.faults if found is not None else DeliveryFaults()

    def retry_of(self, session: str) -> RetryPolicy:
        found = self._lanes.get(session)
        own = found.retry if found is not None else None
        return own or self.retry

    def reset(self, session: str) -> None:
        """Forget the session's webhooks: subscriptions, fault rules, retry policy, and the
        deliveries in hand (none of them is sent or journaled any more). Any thread."""
        self.subscriptions.forget(session)
        lane = self._lanes.pop(session, None)
        if lane is None:
            return
        loop = self._loop
        if loop is None or loop.is_closed() or loop is _running_loop():
            self._close(lane)
        else:
            loop.call_soon_threadsafe(self._close, lane)

    def _close(self, lane: Lane) -> None:
        self._in_hand -= len(lane.in_hand)
        lane.close()

    async def flush(self, session: str, *, scheduled: bool, timeout: float) -> dict[str, Any]:
        """Deliver what the session has in hand now: run its due jobs (every waiting one when
        `scheduled`), release deliveries held for reordering, skip real-time waits (backoff,
        real delays), and wait up to `timeout` seconds for the deliveries to finish."""
        self._bind()
        ran = self.scheduler.run_due(session, everything=scheduled)
        lane = self.lane(session)
        released = self.release(session)
        lane.hurrying += 1
        lane.hurry()
        try:
            await asyncio.wait_for(lane.idle.wait(), timeout)
            settled = True
        except TimeoutError:
            settled = False
        finally:
            lane.hurrying -= 1
        return {
            "session": session,
            "jobs_run": ran,
            "released": released,
            "settled": settled,
            "in_hand": len(lane.in_hand),
        }

    def release(self, session: str) -> int:
        """Send the deliveries the reorder fault holds now, shuffled; how many."""
        lane = self._lanes.get(session)
        if lane is None or not lane.held:
            return 0
        self._bind()
        held = len(lane.held)
        self._release(lane)
        return held

    async def aclose(self) -> None:
        """Stop: cancel every delivery under way and journal the unfinished as abandoned."""
        self._closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for lane in self._lanes.values():
            for delivery in list(lane.in_hand):
                self._finish(lane, delivery)
                self.store.journal_append(
                    unsent_entry(delivery, ABANDONED, "the server shut down first")
                )
        await self.scheduler.aclose()  # after: what waits on the clock was journaled above
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- admitting a delivery ----------------------------------------------------------

    def _admit(self, session: str, twin: str, outbound: Outbound) -> None:
        number = self.store.next_value(session, twin, DELIVERY_COUNTER)
        delivery = Delivery(f"whd_{twin}_{number}", number, session, twin, outbound)
        reason = self.allow.refusal(outbound.url)
        if reason is not None:
            self.store.journal_append(unsent_entry(delivery, REFUSED, reason))
            return
        lane = self.lane(session)
        rng = Rng.derive(self.sessions.seed(session), twin, "webhook-faults", number)
        plan = plan_faults(lane.faults, lane.budget, outbound.event, rng)
        copies = [delivery, *(delivery.duplicate(n) for n in range(1, plan.copies + 1))]
        for copy in copies:
            if self._in_hand >= self._max_in_hand:
                reason = f"{self._in_hand} webhooks are in hand; the limit is {self._max_in_hand}"
                self.store.journal_append(unsent_entry(copy, DROPPED, reason))
                continue
            self._in_hand += 1
            lane.in_hand.add(copy)
            self._delay(lane, copy, plan)

    def _delay(self, lane: Lane, delivery: Delivery, plan: FaultPlan) -> None:
        arrive = partial(self._arrive, lane, delivery, plan.reorder)
        if plan.delay <= 0:
            arrive()
            return
        delivery.delayed = plan.delay
        if plan.delay_on_clock:
            at = self.sessions.now(lane.session) + plan.delay
            self._later(lane.session, at, arrive, partial(self._forget, lane, delivery))
        else:
            lane.busier(+1)
            self._spawn(self._after_real_delay(lane, plan.delay, arrive))

    async def _after_real_delay(self, lane: Lane, seconds: float, arrive: partial[None]) -> None:
        await lane.pause(seconds)
        if not lane.closed:
            lane.busier(-1)
            arrive()

    def _arrive(self, lane: Lane, delivery: Delivery, reorder: bool) -> None:
        if lane.closed:
            return
        rule = lane.faults.reorder
        if reorder and rule is not None:
            lane.held.append(delivery)
            if len(lane.held) >= rule.hold:
                self._release(lane)
        else:
            self._enqueue(lane, delivery)

    def _release(self, lane: Lane) -> None:
        """Send the held deliveries, in an order drawn from the seed and the batch."""
        batch, lane.held = lane.held, []
        names = (f"{d.twin}:{d.number}:{d.copy}" for d in batch)
        rng = Rng.derive(self.sessions.seed(lane.session), "webhook-reorder", *names)
        rng.shuffle(batch)
        for place, delivery in enumerate(batch):
            delivery.reordered = place
            self._enqueue(lane, delivery)

    def _later(
        self,
        session: str,
        at: float,
        job: partial[None],
        on_drop: partial[None] | None = None,
    ) -> None:
        try:
            self.scheduler.schedule(session, at, job, name="webhook", on_drop=on_drop)
        except ScheduleFull as error:
            _log.warning("webhook not scheduled: %s", error)
            if on_drop is not None:
                on_drop()

    def _forget(self, lane: Lane, delivery: Delivery) -> None:
        """A delivery whose time never comes (its session was reset): the reset journal
        starts afresh, so nothing is written about it."""
        self._finish(lane, delivery)

    # -- sending -----------------------------------------------------------------------

    def _enqueue(self, lane: Lane, delivery: Delivery, *, counted: bool = False) -> None:
        if not counted:
            lane.busier(+1)
        lane.queue.append(delivery)
        if lane.worker is None or lane.worker.done():
            lane.worker = self._spawn(self._work(lane))

    async def _work(self, lane: Lane) -> None:
        slots = self._slots
        assert slots is not None, "bound before any delivery"
        while lane.queue and not lane.closed:
            delivery = lane.queue.popleft()
            async with slots:
                await self._attempt(lane, delivery)
        lane.worker = None

    async def _attempt(self, lane: Lane, delivery: Delivery) -> None:
        delivery.attempt += 1
        policy = lane.retry or self.retry
        outbound = delivery.outbound
        try:
            headers = delivery.headers(self.sessions.now(lane.session))
        except Exception as error:  # a pack's signer failed: say so, never kill the lane
            _log.exception("signing webhook %s failed", delivery.id)
            self._done(lane, delivery)
            reason = f"signing failed: {type(error).__name__}: {error}"
            self.store.journal_append(unsent_entry(delivery, GAVE_UP, reason))
            return
        answer = await post(self._http(), outbound.url, outbound.body, headers, policy.timeout)
        if lane.closed:
            return
        wait = None if answer.ok else policy.wait_after(delivery.attempt)
        outcome = DELIVERED if answer.ok else FAILED if wait is not None else GAVE_UP
        notes: dict[str, Any] = {} if wait is None else {"retry_in": wait}
        self.store.journal_append(attempt_entry(delivery, headers, answer, outcome, **notes))
        if wait is None:
            self._done(lane, delivery)
        else:
            self._spawn(self._retry(lane, delivery, wait))

    async def _retry(self, lane: Lane, delivery: Delivery, wait: float) -> None:
        await lane.pause(wait)
        if not lane.closed:
            self._enqueue(lane, delivery, counted=True)

    def _done(self, lane: Lane, delivery: Delivery) -> None:
        lane.busier(-1)
        self._finish(lane, delivery)

    def _finish(self, lane: Lane, delivery: Delivery) -> None:
        if delivery in lane.in_hand:
            lane.in_hand.discard(delivery)
            self._in_hand -= 1

    # -- the event loop ----------------------------------------------------------------

    def _bind(self) -> asyncio.AbstractEventLoop:
        running = _running_loop()
        if self._loop is not None and (running is None or running is self._loop):
            return self._loop
        if running is None:
            raise RuntimeError("webhooks are sent from the server's event loop")
        if self._loop is not None:  # a new loop (a new test client): the old one's tasks died
            for lane in self._lanes.values():
                lane.rebind()
            self._tasks.clear()
            self._client = None
        self._loop = running
        self._slots = asyncio.Semaphore(self._concurrency)
        self.scheduler.bind(running)
        return running

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = new_client()
        return self._client

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
