"""Work that falls due on a session's clock: delayed webhooks, payments that settle later.

Every session has a clock (`twins.sessions.Clock`): real time by default, or frozen, set and
advanced through the control plane. A job scheduled for `at` runs once its session's clock
reads `at` or later:

- when the control plane moves the clock (set or advance), every job the move made due runs
  before the control plane answers;
- on a light periodic tick, while any job waits, for clocks that run in real time.

Jobs of a session run in due order (ties: in the order they were scheduled), on the server's
event loop. A job is a callable taking no arguments; when it returns an awaitable, that is
awaited in a task of its own. A job that fails is logged and does not stop the others.

    job = scheduler.schedule(session, at=now + 3600, job=settle, name="settle pi_123")
    job.cancel()

A reset session loses its jobs: they belong to a world that is gone. (A reset gives the
session a new `Clock`; a job remembers the clock it was scheduled on and is dropped when the
session's clock is no longer that one.)
"""

from __future__ import annotations

import asyncio
import heapq
import inspect
import itertools
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from twins.errors import DtuError
from twins.sessions import Clock, Sessions

_log = logging.getLogger("dtu.schedule")

Job = Callable[[], object]
TICK_SECONDS = 0.2
MAX_JOBS = 100_000  # waiting jobs of every session together


class ScheduleFull(DtuError):
    """Too many jobs wait already; scheduling more would let a client exhaust memory."""


@dataclass(order=True)
class ScheduledJob:
    """A job waiting for its time. Ordered by due time, then by when it was scheduled."""

    at: float
    number: int
    session: str = field(compare=False)
    name: str = field(compare=False)
    job: Job = field(compare=False, repr=False)
    clock: Clock = field(compare=False, repr=False)
    on_drop: Job | None = field(default=None, compare=False, repr=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        """It will not run, and its `on_drop` will not either."""
        self.cancelled = True


class Scheduler:
    """Jobs per session, ordered by due time on that session's clock. Thread-safe; jobs run
    on the event loop the scheduler was bound to (the server's)."""

    def __init__(
        self, sessions: Sessions, *, tick: float = TICK_SECONDS, limit: int = MAX_JOBS
    ) -> None:
        self._sessions = sessions
        self._tick = tick
        self._limit = limit
        self._queues: dict[str, list[ScheduledJob]] = {}
        self._size = 0
        self._numbers = itertools.count()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()  # running async jobs, kept from the GC
        self._closed = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Run jobs on `loop` from now on (the server's; bound on first use otherwise)."""
        if self._loop is not loop:
            self._loop = loop
            self._ticker = None  # a ticker of another loop died with it

    def schedule(
        self,
        session: str,
        at: float,
        job: Job,
        *,
        name: str = "",
        on_drop: Job | None = None,
    ) -> ScheduledJob:
        """Run `job` once `session`'s clock reads `at` (seconds since the epoch) or later. A
        time already past runs at the next tick or clock move. `on_drop` runs instead when
        the job never will (its session was reset, the server shuts down). Raises
        `ScheduleFull`."""
        clock = self._sessions.clock(session)
        with self._lock:
            if self._size >= self._limit:
                raise ScheduleFull(f"{self._size} jobs wait already; the limit is {self._limit}")
            scheduled = ScheduledJob(at, next(self._numbers), session, name, job, clock, on_drop)
            heapq.heappush(self._queues.setdefault(session, []), scheduled)
            self._size += 1
        self._keep_ticking()
        return scheduled

    def pending(self, session: str) -> list[ScheduledJob]:
        """The session's waiting jobs, soonest first."""
        with self._lock:
            waiting = list(self._queues.get(session, ()))
        clock = self._sessions.clock(session)
        return sorted(job for job in waiting if not job.cancelled and job.clock is clock)

    def next_due(self, session: str) -> float | None:
        """When the session's next job falls due on its clock, or None."""
        waiting = self.pending(session)
        return waiting[0].at if waiting else None

    def run_due(self, session: str, *, everything: bool = False) -> int:
        """Run the session's jobs that are due (every waiting one when `everything`); the
        number run. Jobs scheduled by these jobs for a time already due run too."""
        ran = 0
        while (job := self._pop_due(session, everything)) is not None:
            if job.clock is self._sessions.clock(session):
                self._run(job, job.job)
                ran += 1
            elif job.on_drop is not None:
                self._run(job, job.on_drop)
        return ran

    def run_all_due(self) -> int:
        with self._lock:
            sessions = list(self._queues)
        return sum(self.run_due(session) for session in sessions)

    def _pop_due(self, session: str, everything: bool) -> ScheduledJob | None:
        clock = self._sessions.clock(session)
        now = clock.now()
        with self._lock:
            queue = self._queues.get(session)
            while queue:
                head = queue[0]
                if head.cancelled:
                    heapq.heappop(queue)
                    self._size -= 1
                    continue
                if head.clock is not clock:  # dropped: handed back for its on_drop
                    heapq.heappop(queue)
                    self._size -= 1
                    return head
                if not everything and head.at > now:
                    return None
                heapq.heappop(queue)
                self._size -= 1
                return head
            self._queues.pop(session, None)
            return None

    def _run(self, scheduled: ScheduledJob, job: Job) -> None:
        try:
            result = job()
        except Exception:
            _log.exception("job %r of session %r failed", scheduled.name, scheduled.session)
            return
        if inspect.isawaitable(result):
            self._spawn(result, scheduled)

    def _spawn(self, awaitable: Awaitable[object], scheduled: ScheduledJob) -> None:
        async def run() -> None:
            try:
                await awaitable
            except Exception:
                _log.exception(
                    "scheduled job %r of session %r failed", scheduled.name, scheduled.session
                )

        loop = self._current_loop()
        if loop is None:
            raise RuntimeError("an async job needs the scheduler bound to an event loop")
        if _running_loop() is loop:
            self._track(loop.create_task(run()))
        else:
            loop.call_soon_threadsafe(lambda: self._track(loop.create_task(run())))

    def _track(self, task: asyncio.Task[Any]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _current_loop(self) -> asyncio.AbstractEventLoop | None:
        running = _running_loop()
        if running is not None and self._loop is None:
            self.bind(running)
        return self._loop

    def _keep_ticking(self) -> None:
        """Start the periodic tick unless it runs; it stops by itself once nothing waits."""
        loop = self._current_loop()
        if loop is None or self._closed or loop.is_closed():
            return
        if _running_loop() is not loop:
            loop.call_soon_threadsafe(self._keep_ticking)
            return
        if self._ticker is None or self._ticker.done():
            self._ticker = loop.create_task(self._ticking())

    async def _ticking(self) -> None:
        while not self._closed:
            await asyncio.sleep(self._tick)
            self.run_all_due()
            with self._lock:
                if self._size == 0:
                    return

    async def aclose(self) -> None:
        """Stop ticking and cancel running async jobs; waiting jobs are dropped (their
        `on_drop` runs)."""
        self._closed = True
        tasks = [*self._tasks, *([self._ticker] if self._ticker is not None else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        with self._lock:
            waiting = [job for queue in self._queues.values() for job in queue]
            self._queues.clear()
            self._size = 0
        for job in sorted(waiting):
            if not job.cancelled and job.on_drop is not None:
                self._run(job, job.on_drop)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
