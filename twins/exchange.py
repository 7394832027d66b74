"""One request on its way through the server, and the stages that may act on it.

Stages are the session-level features around every behaviour: authentication, rate limits,
faults, stubbed answers, idempotent replays. The server runs them in a fixed order:

    route -> before (each stage) -> validate -> around (each stage, nested) -> behaviour
          -> after (each stage, reverse order)

A stage may answer a request itself (return a `Reply` from `before`, or not call `proceed`
in `around`), raise a `RequestError` (rendered in the vendor's format), add reply headers, and
leave notes that the journal records (which fault fired, which stub answered), so a run can
be read back and replayed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from twins.behaviour.call import Call, Reply
from twins.fake import Rng
from twins.spec.model import Operation
from twins.twin import Twin


@dataclass
class Exchange:
    session: str
    twin: Twin
    method: str
    path: str  # inside the twin, base path included: "/v1/customers"
    headers: dict[str, str]  # lower-cased names
    query_string: bytes
    body: bytes
    base_url: str  # the twin's URL for this session (no base path)
    seed: int
    now: float
    session_explicit: bool = True  # False when no URL or header named the session
    operation: Operation | None = None  # None when no operation matched the path
    path_params: dict[str, str] = field(default_factory=dict)
    credential: str | None = None  # set by authentication: the credential the request used
    reply_headers: list[tuple[str, str]] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)  # kept in the journal entry's `extra`

    @property
    def label(self) -> str:
        return self.operation.label if self.operation else f"{self.method} {self.path}"

    def rng(self, *parts: str | int) -> Rng:
        """A random stream owned by this session, twin and the given parts."""
        return Rng.derive(self.seed, self.twin.name, *parts)


Proceed = Callable[[], Reply]


class Stage:
    """A step of every request. The defaults do nothing."""

    name = "stage"

    def affects_reads(self, session: str, twin: str) -> bool:
        """True when this stage may answer a GET differently from last time for the same
        request (then the reply cache is bypassed for it)."""
        return False

    def before(self, exchange: Exchange) -> Reply | None:
        """After routing (`exchange.operation` may be None), before validation."""
        return None

    def around(self, exchange: Exchange, call: Call, proceed: Proceed) -> Reply:
        """After validation; `proceed()` runs the rest (inner stages, then the behaviour).
        Runs inside the request's store transaction for writes."""
        return proceed()

    def after(self, exchange: Exchange, reply: Reply) -> None:
        """Once a reply exists (also for errors and stage answers)."""

    def reset(self, session: str) -> None:
        """The session was reset: forget whatever this stage keeps for it (rules, counters)."""
