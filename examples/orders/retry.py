"""Calling a vendor again after a transient failure, honouring `Retry-After` within a budget."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

# The longest a single order may spend waiting between attempts: an HTTP client is waiting on us.
WAIT_BUDGET_SECONDS = 5.0
FIRST_BACKOFF_SECONDS = 0.2


@dataclass(frozen=True)
class Transient:
    """A failure worth another attempt; `retry_after` is the vendor's hint in seconds, if any."""

    retry_after: float | None


def with_retries(
    call: Callable[[], T],
    *,
    attempts: int,
    transient: Callable[[Exception], Transient | None],
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`call()`, tried up to `attempts` times while it fails transiently.

    Waits `Retry-After` when the vendor gives one, else an exponential backoff; the last
    failure is raised when the attempts or the wait budget run out."""
    waited = 0.0
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except Exception as error:
            verdict = transient(error)
            if verdict is None or attempt == attempts:
                raise
            pause = (
                verdict.retry_after
                if verdict.retry_after is not None
                else FIRST_BACKOFF_SECONDS * 2 ** (attempt - 1)
            )
            if waited + pause > WAIT_BUDGET_SECONDS:
                raise
            sleep(pause)
            waited += pause
    raise ValueError(f"attempts must be at least 1, not {attempts}")


def retry_after_seconds(headers: object) -> float | None:
    """The `Retry-After` header in seconds (the delta form; dates are not used by these vendors)."""
    getter = getattr(headers, "get", None)
    if getter is None:
        return None
    value = getter("Retry-After") or getter("retry-after")
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if seconds >= 0 else None
