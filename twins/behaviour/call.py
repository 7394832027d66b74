"""What a behaviour receives (a validated call) and what it returns (a reply)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from twins.fake import Rng, stable_seed
from twins.spec.model import Operation
from twins.spec.resources import Behaviour

if TYPE_CHECKING:
    from twins.state import Store
    from twins.twin import Twin


@dataclass
class Call:
    twin: Twin
    session: str
    seed: int
    operation: Operation
    behaviour: Behaviour
    path_params: dict[str, str]
    query: dict[str, Any]
    headers: dict[str, Any]
    body: Any
    base_url: str  # the twin's URL for this session, e.g. "http://127.0.0.1:8080/_s/s1/shop"
    now: float
    store: Store
    # webhooks this request owes receivers, delivered once its writes commit
    outbound: list[Outbound] = field(default_factory=list)

    def rng(self, *parts: str | int) -> Rng:
        """A random stream owned by this session, this operation and the given parts."""
        return LazyRng(self.seed, (self.twin.name, self.operation.label, *parts))


class LazyRng(Rng):
    """An Rng seeded on first use: most replies (a stored record that already fits its schema)
    never draw, and deriving a seed costs more than the rest of a GET."""

    __slots__ = ("_pending",)

    def __init__(self, seed: int, parts: tuple[str | int, ...]) -> None:  # noqa: D107
        self._pending = (seed, parts)

    def __getattr__(self, name: str) -> object:
        if name in ("seed", "_random", "random", "getrandbits"):
            seed, parts = self._pending
            Rng.__init__(self, stable_seed(seed, *parts))
            return object.__getattribute__(self, name)
        raise AttributeError(name)


@dataclass
class Reply:
    status: int
    body: Any = None  # JSON-able value, or bytes/str already encoded
    media_type: str | None = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)
    # How the reply leaves (faults): seconds to wait first, and a broken transport:
    # "reset" (connection dropped before the body), "truncate" (half the body, then dropped),
    # "timeout" (nothing until the client gives up; `delay` says how long to hold)
    delay: float = 0.0
    transport: str | None = None


@dataclass
class Outbound:
    """A webhook owed to a receiver: an event and where it goes. Senders sign it when it
    leaves (`sign(body, at)` -> headers), since signatures carry the time of each attempt."""

    url: str
    event: str  # the vendor's event type, e.g. "payment_intent.succeeded"
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    sign: Callable[[bytes, float], list[tuple[str, str]]] | None = None
    deliver_at: float | None = None  # on the session clock; None: at once
