"""What a behaviour works with during a request: `StateAccess`, and `Transaction`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from twins.state.connectors import DBConnection
from twins.state.journal import JournalEntry, JournalRecord
from twins.state.ops import Body, Ops, Page


class StateAccess(Protocol):
    """What a behaviour needs during a request; both `Store` and `Transaction` offer it."""

    def get(self, session: str, twin: str, collection: str, key: str) -> Body | None: ...
    def put(
        self,
        session: str,
        twin: str,
        collection: str,
        key: str,
        parent: str,
        body: Body,
        *,
        fresh: bool = False,
    ) -> int: ...
    def delete(self, session: str, twin: str, collection: str, key: str) -> bool: ...
    def list(
        self,
        session: str,
        twin: str,
        collection: str,
        parent: str | None = None,
        *,
        after_seq: int | None = None,
        limit: int | None = None,
        filters: Mapping[str, Any] | None = None,
    ) -> Page: ...
    def count(
        self,
        session: str,
        twin: str,
        collection: str,
        parent: str | None = None,
        *,
        filters: Mapping[str, Any] | None = None,
    ) -> int: ...
    def next_value(self, session: str, twin: str, name: str) -> int: ...
    def session_seed(self, session: str, default_seed: int) -> int: ...
    def journal_append(self, entry: JournalEntry) -> None: ...


class Transaction:
    """One atomic unit: everything done through it commits together or not at all.

    Its journal entries are queued when it commits and dropped if it rolls back, so the
    journal keeps one order (append order) whether or not an entry came from a transaction.
    """

    __slots__ = ("_cap", "_conn", "_ops", "journal", "puts")

    def __init__(self, ops: Ops, conn: DBConnection, cap: int) -> None:
        self._ops = ops
        self._conn = conn
        self._cap = cap
        self.journal: list[JournalRecord] = []
        self.puts = 0

    def get(self, session: str, twin: str, collection: str, key: str) -> Body | None:
        return self._ops.get(self._conn, session, twin, collection, key)

    def put(
        self,
        session: str,
        twin: str,
        collection: str,
        key: str,
        parent: str,
        body: Body,
        *,
        fresh: bool = False,
    ) -> int:
        """Insert or replace; a replaced resource keeps its seq. Returns the seq. `fresh`: the
        key was just made up, so it is almost surely new (an insert, no update tried first)."""
        self.puts += 1
        return self._ops.put(self._conn, session, twin, collection, key, parent, body, fresh)

    def delete(self, session: str, twin: str, collection: str, key: str) -> bool:
        return self._ops.delete(self._conn, session, twin, collection, key)

    def list(
        self,
        session: str,
        twin: str,
        collection: str,
        parent: str | None = None,
        *,
        after_seq: int | None = None,
        limit: int | None = None,
        filters: Mapping[str, Any] | None = None,
    ) -> Page:
        return self._ops.page(
            self._conn, session, twin, collection, parent, after_seq, limit, filters
        )

    def count(
        self,
        session: str,
        twin: str,
        collection: str,
        parent: str | None = None,
        *,
        filters: Mapping[str, Any] | None = None,
    ) -> int:
        return self._ops.count(self._conn, session, twin, collection, parent, filters)

    def next_value(self, session: str, twin: str, name: str) -> int:
        return self._ops.next_value(self._conn, session, twin, name)

    def session_seed(self, session: str, default_seed: int) -> int:
        return self._ops.session_seed(self._conn, session, default_seed)

    def journal_append(self, entry: JournalEntry) -> None:
        self.journal.append(entry.record(self._cap))
