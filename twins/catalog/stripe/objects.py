"""The Stripe objects of one session: read, kept, listed newest first, and given fresh ids."""

from __future__ import annotations

from typing import Any

import orjson

from twins.behaviour.call import Call
from twins.catalog.stripe.errors import missing
from twins.catalog.stripe.kinds import BY_NAME, Kind, kind_of_id

Obj = dict[str, Any]
MAX_LISTED = 100_000  # objects of one kind a list looks through (a session is a test world)


class Objects:
    """The session's objects, as one request sees them."""

    def __init__(self, call: Call) -> None:
        self.call = call
        self._session = call.session
        self._twin = call.twin.name

    @property
    def now(self) -> int:
        return int(self.call.now)

    def get(self, kind: Kind, ident: str) -> Obj | None:
        return self.call.store.get(self._session, self._twin, kind.collection, ident)

    def require(self, kind: Kind, ident: str, param: str | None = None) -> Obj:
        """The object, or Stripe's 404 resource_missing naming `param`. A deleted object is
        missing too (only customers answer a read with their tombstone, see `customers`)."""
        found = self.get(kind, ident)
        if found is None or found.get("deleted") is True:
            raise missing(kind.noun, ident, param)
        return found

    def by_id(self, ident: str) -> Obj | None:
        """Any object, found by the prefix of its id (`cus_...`)."""
        kind = kind_of_id(ident)
        return None if kind is None else self.get(kind, ident)

    def save(self, obj: Obj) -> Obj:
        kind = BY_NAME[obj["object"]]
        self.call.store.put(self._session, self._twin, kind.collection, obj["id"], "", obj)
        return obj

    def delete(self, kind: Kind, ident: str) -> None:
        self.call.store.delete(self._session, self._twin, kind.collection, ident)

    def newest_first(self, kind: Kind, **equal: Any) -> list[Obj]:
        """Every live object of a kind whose top-level fields equal `equal`, newest first."""
        rows = self.call.store.list(
            self._session,
            self._twin,
            kind.collection,
            filters=equal or None,
            limit=MAX_LISTED,
        )
        return [body for _, body in reversed(rows) if body.get("deleted") is not True]

    def new_id(self, kind: Kind) -> str:
        """`cus_` + a token drawn from the session's seed: the n-th customer of a session is
        the same in every replay."""
        number = self.call.store.next_value(self._session, self._twin, f"stripe:{kind.prefix}")
        token = self.call.rng("id", kind.prefix, number).token(kind.id_length)
        return f"{kind.prefix}_{token}"

    def token(self, *parts: str | int, length: int = 24) -> str:
        """A seeded token for secrets and fingerprints, named by `parts`."""
        return self.call.rng("token", *parts).token(length)


def snapshot(obj: Obj) -> Obj:
    """A deep copy (what an event carries must not change with the object)."""
    copied: Obj = orjson.loads(orjson.dumps(obj))
    return copied
