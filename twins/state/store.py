"""`Store`: the per-session state of every twin, and `open_store` to get one.

Every method is safe to call from any thread. A method returns once its writes are
committed, except `journal_append`, whose entries are buffered (see `journal.py`).
"""

from __future__ import annotations

import builtins
import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal

import orjson

from twins.state.connectors import Connector, PostgresConnector, SqliteConnector
from twins.state.journal import JournalBuffer, JournalEntry, JournalPolicy, JournalRecord
from twins.state.ops import Body, Ops, Page
from twins.state.snapshots import SnapshotInfo, SnapshotOps
from twins.state.tables import create_tables
from twins.state.transaction import Transaction
from twins.state.url import parse_url

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Record:
    """A resource as given to `import_resources`."""

    collection: str
    key: str
    body: Body
    parent: str = ""


@dataclass(frozen=True, slots=True)
class SessionInfo:
    name: str
    seed: int | None  # None until pinned by `session_seed` or set
    created_at: float
    meta: dict[str, Any]
    last_seq: int  # the seq of the session's latest new resource


class _ThreadState(threading.local):
    tx: Transaction | None = None


class Store:
    """Resources, counters, seeds and journal of every session of every twin.

    A session springs into being with its first write; reading an unknown one costs nothing
    and creates nothing. Within a session, `seq` numbers new resources 1, 2, 3, ... (a
    replaced resource keeps its own), so lists are in creation order and `after_seq` is a
    stable cursor.
    """

    def __init__(
        self,
        connector: Connector,
        kind: Literal["memory", "sqlite", "postgresql"],
        policy: JournalPolicy,
    ) -> None:
        self.kind = kind
        self._connector = connector
        self._ops = Ops(connector.dialect)
        self._snapshots = SnapshotOps(connector.dialect)
        self._begin = connector.dialect.begin
        self._policy = policy
        self._tls = _ThreadState()
        self._journal = JournalBuffer(policy, self._write_journal)
        self._closed = False
        # Puts after which the dialect's ANALYZE runs: 100, 1,000, 10,000, ... (or never).
        self._analyze_at = 100 if connector.dialect.analyze else None
        self._puts = 0

    # -- one request's work ------------------------------------------------------------

    def get(self, session: str, twin: str, collection: str, key: str) -> Body | None:
        with self._connector.hold() as conn:
            return self._ops.get(conn, session, twin, collection, key)

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
        tx = self._tls.tx
        if tx is not None:
            return tx.put(session, twin, collection, key, parent, body, fresh=fresh)
        # What transaction() does, spelled out: this is the hottest write.
        with self._connector.hold() as conn:
            conn.execute(self._begin)
            try:
                seq = self._ops.put(conn, session, twin, collection, key, parent, body, fresh)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        if self._analyze_at is not None:
            self._count_puts(1)
        return seq

    def delete(self, session: str, twin: str, collection: str, key: str) -> bool:
        """Whether there was such a resource."""
        with self._connector.hold() as conn:
            return self._ops.delete(conn, session, twin, collection, key)

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
        """(seq, body) pairs in seq order. `parent=None` spans every parent; `filters` keeps
        bodies whose top-level fields equal the given JSON values (see `filters.py`)."""
        with self._connector.hold() as conn:
            return self._ops.page(
                conn, session, twin, collection, parent, after_seq, limit, filters
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
        with self._connector.hold() as conn:
            return self._ops.count(conn, session, twin, collection, parent, filters)

    def next_value(self, session: str, twin: str, name: str) -> int:
        """1, 2, 3, ... per (session, twin, name), atomically, across threads and replicas."""
        with self._connector.hold() as conn:
            return self._ops.next_value(conn, session, twin, name)

    def session_seed(self, session: str, default_seed: int) -> int:
        """The session's seed; at first use `default_seed` becomes it, for good."""
        with self._connector.hold() as conn:
            return self._ops.session_seed(conn, session, default_seed)

    def journal_append(self, entry: JournalEntry) -> None:
        """Buffer `entry`; inside a transaction, only once that commits."""
        tx = self._tls.tx
        if tx is not None:
            tx.journal_append(entry)
        else:
            self._journal.append([entry.record(self._policy.body_cap)])

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Commit everything done through the yielded `Transaction` at once, or nothing.

        While it is open, this thread's calls on the store join it, and so does a nested
        `transaction()`. Keep it short (SQLite: other threads wait) and never hold it across
        an `await`: coroutines of the same thread would join it.
        """
        if self._tls.tx is not None:
            yield self._tls.tx
            return
        with self._connector.hold() as conn:
            tx = Transaction(self._ops, conn, self._policy.body_cap)
            conn.execute(self._begin)
            self._tls.tx = tx
            try:
                yield tx
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            finally:
                self._tls.tx = None
        if tx.journal:  # after the lock is released: a flush may need it
            self._journal.append(tx.journal)
        if self._analyze_at is not None and tx.puts:
            self._count_puts(tx.puts)

    # -- sessions, for the control plane -----------------------------------------------

    def set_session_seed(self, session: str, seed: int) -> None:
        with self._connector.hold() as conn:
            self._ops.set_session_seed(conn, session, seed)

    def set_session_meta(self, session: str, meta: Mapping[str, Any]) -> None:
        with self._connector.hold() as conn:
            self._ops.set_session_meta(conn, session, meta)

    def session_info(self, session: str) -> SessionInfo | None:
        with self._connector.hold() as conn:
            row = conn.execute(self._ops.sql.get_session, (session,)).fetchone()
        if row is None:
            return None
        seed, created_at, meta, last_seq = row
        return SessionInfo(session, seed, created_at, orjson.loads(meta), last_seq)

    def sessions(self) -> builtins.list[str]:
        """Every session that has written anything, sorted."""
        self._flush_journal()
        with self._connector.hold() as conn:
            return self._ops.sessions(conn)

    def reset_session(self, session: str) -> None:
        """Forget the session's resources, counters and journal; its seed and meta stay, and
        seqs and counters start again from 1."""
        self._flush_journal()  # or a pending entry would outlive the reset
        with self.transaction() as tx:
            self._ops.reset_session(tx._conn, session)

    def drop_session(self, session: str) -> None:
        """`reset_session`, and forget its seed and meta too."""
        self._flush_journal()
        with self.transaction() as tx:
            self._ops.drop_session(tx._conn, session)

    def export_session(self, session: str) -> dict[str, Any]:
        """JSON-able: {session, seed, meta, resources: {twin: {collection: [{key, parent,
        seq, body}]}}, counters: {twin: {name: value}}}. Journal not included."""
        if self._tls.tx is not None:
            return self._ops.export_session(self._tls.tx._conn, session)
        with self._connector.hold() as conn:
            # One snapshot: PostgreSQL's default (read committed) would let a commit land
            # between reading resources and reading counters.
            conn.execute(self._ops.dialect.begin_snapshot)
            try:
                return self._ops.export_session(conn, session)
            finally:
                conn.rollback()  # read only

    def import_resources(self, session: str, twin: str, items: Iterable[Record]) -> None:
        """Put every item, in order, in one transaction (seeding a session)."""
        with self.transaction() as tx:
            for item in items:
                tx.put(session, twin, item.collection, item.key, item.parent, item.body)

    # -- snapshots (see snapshots.py) ----------------------------------------------------

    def snapshot_session(
        self,
        session: str,
        name: str,
        *,
        seed: int,
        clock: Mapping[str, Any] | None = None,
        replace: bool = False,
    ) -> SnapshotInfo:
        """Copy the session's resources, counters and meta, with `seed` and `clock`, into a
        snapshot called `name`. Raises Conflict when it exists (unless `replace`) or when
        there are too many."""
        if self._tls.tx is not None:
            raise RuntimeError("a snapshot must begin its own transaction")
        with self.transaction() as tx:
            return self._snapshots.take(tx._conn, session, name, seed, clock, replace)

    def fork_snapshot(self, name: str, session: str) -> SnapshotInfo:
        """Make `session` the snapshot's world: its own resources, counters and journal are
        dropped first. Raises NotFoundError when there is no such snapshot."""
        self._flush_journal()  # or a pending entry of the old session would outlive the fork
        with self.transaction() as tx:
            self._ops.reset_session(tx._conn, session)
            return self._snapshots.fork(tx._conn, name, session)

    def snapshots(self) -> builtins.list[SnapshotInfo]:
        with self._connector.hold() as conn:
            return self._snapshots.all(conn)

    def snapshot_info(self, name: str) -> SnapshotInfo | None:
        with self._connector.hold() as conn:
            return self._snapshots.get(conn, name)

    def delete_snapshot(self, name: str) -> bool:
        """Whether there was such a snapshot."""
        with self.transaction() as tx:
            return self._snapshots.delete(tx._conn, name)

    # -- journal ------------------------------------------------------------------------

    def journal(
        self,
        session: str,
        *,
        twin: str | None = None,
        operation: str | None = None,
        since_seq: int | None = None,
        limit: int | None = None,
    ) -> builtins.list[JournalEntry]:
        """Entries oldest first. `operation` is a glob on the label ("POST /v1/*"): `*` any
        run, `?` one character, case-sensitive. Pending entries are written first."""
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be >= 0, not {limit}")
        self._flush_journal()
        with self._connector.hold() as conn:
            return self._ops.journal_read(conn, session, twin, operation, since_seq, limit)

    def flush_journal(self) -> None:
        """Write pending journal entries now."""
        self._flush_journal()

    def _flush_journal(self) -> None:
        # The flusher takes its lock before the connection's; a thread holding the
        # connection (in a transaction) waiting for the flusher could deadlock.
        if self._tls.tx is not None:
            raise RuntimeError("journal reads and session resets cannot run inside a transaction")
        self._journal.flush()

    def _write_journal(self, records: builtins.list[JournalRecord]) -> None:
        with self._connector.hold() as conn:
            conn.execute(self._begin)
            try:
                self._ops.journal_write(conn, records)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise

    # -- planner statistics (PostgreSQL) ------------------------------------------------

    def _count_puts(self, n: int) -> None:
        self._puts += n  # racy under threads; it only decides when to analyze
        if self._analyze_at is not None and self._puts >= self._analyze_at:
            self._analyze_at *= 10
            threading.Thread(target=self._analyze, name="dtu-analyze", daemon=True).start()

    def _analyze(self) -> None:
        analyze = self._ops.dialect.analyze
        try:
            conn = self._connector.raw()
            try:
                conn.execute(analyze)
                conn.commit()
            finally:
                conn.close()
        except Exception:  # a missed ANALYZE only costs speed, and autovacuum will do it
            log.warning("%s failed", analyze, exc_info=True)

    # -- lifetime -----------------------------------------------------------------------

    def close(self) -> None:
        """Write pending journal entries and close every connection. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            self._journal.close()
        finally:
            self._connector.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_store(url: str, *, journal: JournalPolicy | None = None, exclusive: bool = True) -> Store:
    """A store at `url`: "memory" (private to this store, gone on close), a file path or
    "sqlite:///path" (SQLite, WAL), or "postgresql://..." (shared by replicas).

    `exclusive`: a SQLite file is this process's alone until close (faster); pass False in
    every process that should share it. Ignored for memory and PostgreSQL.
    Raises ConfigError when the URL is unusable or the database cannot be opened.
    """
    target = parse_url(url)
    connector: Connector = (
        PostgresConnector(target)
        if target.kind == "postgresql"
        else SqliteConnector(target, exclusive=exclusive)
    )
    try:
        create_tables(connector)
    except BaseException:
        connector.close()
        raise
    return Store(connector, target.kind, journal or JournalPolicy())
