"""A session's deliveries: its fault rules and retry policy, and the deliveries in hand.

One lane per session sends one try at a time, in order, so a receiver sees a session's events
in the order the twin emitted them unless the reorder fault says otherwise (and a replay sees
the same order). Sessions send side by side.

Where a delivery can be, and whether it counts as busy (what a flush waits for):

    scheduled on the clock (deliver_at, delay on the clock)   in hand, not busy
    held by the reorder fault                                 in hand, not busy
    waiting real seconds (delay), queued, sending, backing off  in hand, busy
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from dataclasses import dataclass, field

from twins.webhooks.delivery import Delivery
from twins.webhooks.policy import DeliveryFaults, FaultBudget, RetryPolicy


@dataclass(eq=False)
class Lane:
    session: str
    faults: DeliveryFaults = field(default_factory=DeliveryFaults)
    budget: FaultBudget = field(default_factory=FaultBudget)
    retry: RetryPolicy | None = None  # None: the server's
    queue: deque[Delivery] = field(default_factory=deque)
    held: list[Delivery] = field(default_factory=list)
    in_hand: set[Delivery] = field(default_factory=set)  # every delivery not yet finished
    busy: int = 0
    worker: asyncio.Task[None] | None = None
    idle: asyncio.Event = field(default_factory=asyncio.Event)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    hurrying: int = 0  # flushes under way: real-time waits are skipped meanwhile
    closed: bool = False  # its session was reset: nothing more is sent or journaled

    def __post_init__(self) -> None:
        self.idle.set()

    def set_faults(self, faults: DeliveryFaults) -> None:
        self.faults = faults
        self.budget = FaultBudget()  # limits (`count`) count from the new rules

    def busier(self, change: int) -> None:
        self.busy += change
        if self.busy > 0:
            self.idle.clear()
        else:
            self.idle.set()

    async def pause(self, seconds: float) -> None:
        """Wait `seconds` of real time, or less when a flush hurries the lane."""
        if self.hurrying or seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wake.wait(), seconds)

    def hurry(self) -> None:
        """Cut every current wait short (waits started later are skipped while hurrying)."""
        self.wake.set()
        self.wake = asyncio.Event()

    def close(self) -> None:
        self.closed = True
        self.queue.clear()
        self.held.clear()
        self.in_hand.clear()
        self.busy = 0
        self.idle.set()
        self.hurry()

    def rebind(self) -> None:
        """The server's event loop changed (a test client was replaced): events bound to the
        old loop cannot be awaited on the new one, and its tasks are gone."""
        self.idle = asyncio.Event()
        self.wake = asyncio.Event()
        self.worker = None
        if self.busy <= 0:
            self.idle.set()
