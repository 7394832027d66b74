"""Snapshots: a session's world kept under a name, and new sessions forked from it.

A snapshot holds what decides a session's future answers: its resources (with their seqs),
counters, seed, meta and last seq, plus the clock state the caller hands over (clocks live in
`twins.sessions`, not in the store). The journal is not copied: a fork starts with none.

Both directions are `INSERT ... SELECT` inside the database, one statement per table, so a
world never passes through Python and forking ~200 records costs about a millisecond
(`benchmarks/snapshots.py`). The "memory" backend is SQLite in memory and takes the same path.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

import orjson
from sqlalchemy import BigInteger, Text
from sqlmodel import Field, SQLModel

from twins.errors import Conflict, NotFoundError
from twins.state.connectors import DBConnection
from twins.state.dialect import Dialect

MAX_SNAPSHOTS = 10_000  # each is a full copy of a world: a runaway script must stop somewhere


class SnapshotRow(SQLModel, table=True):
    __tablename__ = "dtu_snapshot"

    name: str = Field(primary_key=True)
    session: str  # the session it was taken from
    seed: int = Field(sa_type=BigInteger)
    meta: str = Field(default="{}", sa_type=Text)
    last_seq: int = Field(default=0, sa_type=BigInteger)
    clock: str = Field(default="null", sa_type=Text)  # JSON: {"frozen_at", "offset"} or null
    created_at: float
    resources: int = Field(default=0, sa_type=BigInteger)
    counters: int = Field(default=0, sa_type=BigInteger)


class SnapshotResourceRow(SQLModel, table=True):
    __tablename__ = "dtu_snapshot_resource"

    snapshot: str = Field(primary_key=True)
    twin: str = Field(primary_key=True)
    collection: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    parent: str = ""
    seq: int = Field(sa_type=BigInteger)
    body: str = Field(sa_type=Text)


class SnapshotCounterRow(SQLModel, table=True):
    __tablename__ = "dtu_snapshot_counter"

    snapshot: str = Field(primary_key=True)
    twin: str = Field(primary_key=True)
    name: str = Field(primary_key=True)
    value: int = Field(sa_type=BigInteger)


SNAPSHOT_MODELS: list[type[SQLModel]] = [SnapshotRow, SnapshotResourceRow, SnapshotCounterRow]

_COLUMNS = "name, session, seed, meta, last_seq, clock, created_at, resources, counters"


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    name: str
    session: str  # taken from
    seed: int
    meta: dict[str, Any]
    last_seq: int
    clock: dict[str, Any] | None  # {"frozen_at": float | None, "offset": float}
    created_at: float
    resources: int
    counters: int

    @classmethod
    def from_row(cls, row: Any) -> SnapshotInfo:
        name, session, seed, meta, last_seq, clock, created_at, resources, counters = row
        return cls(
            name,
            session,
            int(seed),
            orjson.loads(meta),
            int(last_seq),
            orjson.loads(clock),
            float(created_at),
            int(resources),
            int(counters),
        )


@dataclass(frozen=True, slots=True)
class _Statements:
    count: str = "SELECT COUNT(*) FROM dtu_snapshot"
    get: str = f"SELECT {_COLUMNS} FROM dtu_snapshot WHERE name = ?"
    all: str = f"SELECT {_COLUMNS} FROM dtu_snapshot ORDER BY name"
    insert: str = f"INSERT INTO dtu_snapshot ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    source_session: str = "SELECT meta, last_seq FROM dtu_session WHERE name = ?"
    resources_out: str = (
        "INSERT INTO dtu_snapshot_resource (snapshot, twin, collection, key, parent, seq, body)"
        " SELECT ?, twin, collection, key, parent, seq, body FROM dtu_resource WHERE session = ?"
    )
    counters_out: str = (
        "INSERT INTO dtu_snapshot_counter (snapshot, twin, name, value)"
        " SELECT ?, twin, name, value FROM dtu_counter WHERE session = ?"
    )
    resources_in: str = (
        "INSERT INTO dtu_resource (session, twin, collection, key, parent, seq, body)"
        " SELECT ?, twin, collection, key, parent, seq, body"
        " FROM dtu_snapshot_resource WHERE snapshot = ?"
    )
    counters_in: str = (
        "INSERT INTO dtu_counter (session, twin, name, value)"
        " SELECT ?, twin, name, value FROM dtu_snapshot_counter WHERE snapshot = ?"
    )
    # The forked session keeps its creation time if it existed; everything else is the
    # snapshot's, so seqs continue where the snapshot's world left off.
    restore_session: str = (
        "INSERT INTO dtu_session (name, seed, created_at, meta, last_seq) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET seed = excluded.seed, meta = excluded.meta,"
        " last_seq = excluded.last_seq"
    )
    delete_resources: str = "DELETE FROM dtu_snapshot_resource WHERE snapshot = ?"
    delete_counters: str = "DELETE FROM dtu_snapshot_counter WHERE snapshot = ?"
    delete: str = "DELETE FROM dtu_snapshot WHERE name = ?"

    @classmethod
    def for_dialect(cls, dialect: Dialect) -> _Statements:
        base = cls()
        return replace(base, **{f.name: dialect.sql(getattr(base, f.name)) for f in fields(cls)})


# Statements that run first in the transaction taking a snapshot, so that resources and
# counters are read from one state (PostgreSQL's default, read committed, would let a commit
# land between the two copies). SQLite's BEGIN IMMEDIATE already keeps writers out.
_CONSISTENT_READ = {"postgresql": "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"}
# A fork locks the snapshot's row until it commits, so that a concurrent replace or delete
# waits instead of leaving the fork half of one version and half of another.
_HOLD_ROW = {"postgresql": " FOR SHARE"}


class SnapshotOps:
    """The statements of snapshots, on a connection inside a transaction the caller holds."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.sql = _Statements.for_dialect(dialect)
        self._get_held = self.sql.get + _HOLD_ROW.get(dialect.name, "")

    def take(
        self,
        conn: DBConnection,
        session: str,
        name: str,
        seed: int,
        clock: Mapping[str, Any] | None,
        replace: bool,
    ) -> SnapshotInfo:
        """Copy `session` into a snapshot called `name`. Must run first in its transaction."""
        if (isolation := _CONSISTENT_READ.get(self.dialect.name)) is not None:
            conn.execute(isolation)
        if conn.execute(self.sql.get, (name,)).fetchone() is not None:
            if not replace:
                raise Conflict(f"a snapshot named {name!r} exists; delete it or pass replace")
            self.delete(conn, name)
        elif int(conn.execute(self.sql.count).fetchone()[0]) >= MAX_SNAPSHOTS:
            raise Conflict(f"there are {MAX_SNAPSHOTS} snapshots already; delete some first")
        row = conn.execute(self.sql.source_session, (session,)).fetchone()
        meta, last_seq = row if row is not None else ("{}", 0)
        resources = conn.execute(self.sql.resources_out, (name, session)).rowcount
        counters = conn.execute(self.sql.counters_out, (name, session)).rowcount
        clock_text = orjson.dumps(dict(clock) if clock is not None else None).decode()
        values = (name, session, seed, meta, last_seq, clock_text, time.time(), resources, counters)
        conn.execute(self.sql.insert, values)
        return SnapshotInfo.from_row(values)

    def fork(self, conn: DBConnection, name: str, session: str) -> SnapshotInfo:
        """Fill `session`, which the caller has emptied in this transaction, from `name`."""
        row = conn.execute(self._get_held, (name,)).fetchone()
        if row is None:
            raise NotFoundError(f"no snapshot named {name!r}")
        info = SnapshotInfo.from_row(row)
        conn.execute(self.sql.resources_in, (session, name))
        conn.execute(self.sql.counters_in, (session, name))
        meta = orjson.dumps(info.meta).decode()
        conn.execute(
            self.sql.restore_session, (session, info.seed, time.time(), meta, info.last_seq)
        )
        return info

    def get(self, conn: DBConnection, name: str) -> SnapshotInfo | None:
        row = conn.execute(self.sql.get, (name,)).fetchone()
        return None if row is None else SnapshotInfo.from_row(row)

    def all(self, conn: DBConnection) -> list[SnapshotInfo]:
        return [SnapshotInfo.from_row(row) for row in conn.execute(self.sql.all).fetchall()]

    def delete(self, conn: DBConnection, name: str) -> bool:
        """Whether there was such a snapshot."""
        conn.execute(self.sql.delete_resources, (name,))
        conn.execute(self.sql.delete_counters, (name,))
        return conn.execute(self.sql.delete, (name,)).rowcount > 0
