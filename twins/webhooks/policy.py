"""How a session's webhooks are sent: retries when a receiver fails, and injected faults.

Receivers must cope with what real senders do: retries after failures, the same event twice,
events late or out of order. A session's `DeliveryFaults` make the twin do exactly that, with
every choice drawn from the session's seed, so a run replays identically.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from twins.fake import Rng


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: try 1, wait `backoff`, try 2, wait `backoff * factor`, ..."""

    attempts: int = 5  # tries in all, the first one included
    backoff: float = 1.0  # seconds before the second try
    factor: float = 2.0  # each wait is this many times the one before
    max_backoff: float = 300.0
    timeout: float = 10.0  # seconds a receiver has to answer one try

    def wait_after(self, attempt: int) -> float | None:
        """Seconds to wait after failed try number `attempt` (from 1), or None: give up."""
        if attempt >= self.attempts:
            return None
        return min(self.backoff * self.factor ** (attempt - 1), self.max_backoff)


@dataclass(frozen=True)
class Duplicates:
    """A delivery sent more than once (the same event id each time)."""

    probability: float = 1.0  # chance per delivery
    copies: int = 1  # extra copies of an affected delivery
    count: int | None = None  # deliveries affected at most; None: no limit


@dataclass(frozen=True)
class Delay:
    """A delivery held back before its first try."""

    seconds: float
    probability: float = 1.0
    on_clock: bool = True  # True: until the session clock moves on; False: real seconds
    count: int | None = None  # deliveries delayed at most; None: no limit


@dataclass(frozen=True)
class Reorder:
    """Deliveries held until `hold` of them wait, then released in a shuffled order."""

    hold: int


@dataclass(frozen=True)
class DeliveryFaults:
    duplicates: Duplicates | None = None
    delay: Delay | None = None
    reorder: Reorder | None = None
    events: tuple[str, ...] = ()  # event types (globs) the faults apply to; empty: every one

    def applies_to(self, event: str) -> bool:
        return not self.events or any(fnmatchcase(event, pattern) for pattern in self.events)

    @property
    def empty(self) -> bool:
        return self.duplicates is None and self.delay is None and self.reorder is None


@dataclass(frozen=True)
class FaultPlan:
    """What the faults do to one delivery."""

    copies: int = 0
    delay: float = 0.0
    delay_on_clock: bool = True
    reorder: bool = False


@dataclass
class FaultBudget:
    """How often each limited fault has struck since the rules were set."""

    duplicates: int = 0
    delay: int = 0


def plan_faults(faults: DeliveryFaults, budget: FaultBudget, event: str, rng: Rng) -> FaultPlan:
    """Draw the faults of one delivery. Each fault draws from its own stream of `rng`, so
    adding one fault does not change what another decides."""
    if faults.empty or not faults.applies_to(event):
        return FaultPlan()
    copies = 0
    duplicates = faults.duplicates
    if (
        duplicates is not None
        and _within(duplicates.count, budget.duplicates)
        and rng.fork("duplicate").chance(duplicates.probability)
    ):
        copies = duplicates.copies
        budget.duplicates += 1
    delay = 0.0
    on_clock = True
    rule = faults.delay
    if (
        rule is not None
        and _within(rule.count, budget.delay)
        and rng.fork("delay").chance(rule.probability)
    ):
        delay, on_clock = rule.seconds, rule.on_clock
        budget.delay += 1
    return FaultPlan(copies, delay, on_clock, faults.reorder is not None)


def _within(limit: int | None, used: int) -> bool:
    return limit is None or used < limit
