"""The tables of the state store, declared with sqlmodel.

sqlmodel declares them and `create_all` creates them; nothing on the request path goes through
the ORM (see `ops.py`). JSON is kept as TEXT written by orjson on every backend, so one row
looks the same in SQLite and PostgreSQL and a body is decoded exactly once, by orjson.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, Table, Text, create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from sqlmodel import Field, SQLModel

from twins.errors import ConfigError
from twins.state.connectors import Connector
from twins.state.snapshots import SNAPSHOT_MODELS

# SQLite only makes an INTEGER PRIMARY KEY an alias of the rowid (and so autoincrementing);
# PostgreSQL wants a 64-bit identity.
_ROWID = BigInteger().with_variant(Integer(), "sqlite")


class SessionRow(SQLModel, table=True):
    """A session: created by its first write, never by a read."""

    __tablename__ = "dtu_session"

    name: str = Field(primary_key=True)
    seed: int | None = Field(default=None, sa_type=BigInteger)  # None until pinned
    created_at: float
    meta: str = Field(default="{}", sa_type=Text)
    # The last resource seq handed out in this session: seqs are dense per session and
    # restart at 1 after a reset, so a replayed session yields the same cursors.
    last_seq: int = Field(default=0, sa_type=BigInteger)


class ResourceRow(SQLModel, table=True):
    __tablename__ = "dtu_resource"
    # Lists read one parent's children in seq order; the index serves that without a sort.
    __table_args__ = (Index("dtu_resource_list", "session", "twin", "collection", "parent", "seq"),)

    session: str = Field(primary_key=True)
    twin: str = Field(primary_key=True)
    collection: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    parent: str = ""
    seq: int = Field(sa_type=BigInteger)
    body: str = Field(sa_type=Text)


class CounterRow(SQLModel, table=True):
    __tablename__ = "dtu_counter"

    session: str = Field(primary_key=True)
    twin: str = Field(primary_key=True)
    name: str = Field(primary_key=True)
    value: int = Field(sa_type=BigInteger)


class JournalRow(SQLModel, table=True):
    """One served request. `seq` is global and grows in the order entries are flushed."""

    __tablename__ = "dtu_journal"
    __table_args__ = (Index("dtu_journal_session", "session", "seq"),)

    seq: int | None = Field(default=None, primary_key=True, sa_type=_ROWID)
    session: str
    twin: str
    at: float
    operation: str
    method: str
    path: str
    status: int
    request: str = Field(sa_type=Text)
    response: str = Field(sa_type=Text)
    duration_ms: float
    extra: str = Field(sa_type=Text)


def tables() -> list[Table]:
    """Our tables only: other packages may register their own on the shared metadata."""
    models: list[type[SQLModel]] = [SessionRow, ResourceRow, CounterRow, JournalRow]
    models += SNAPSHOT_MODELS
    return [SQLModel.metadata.tables[str(m.__tablename__)] for m in models]


def create_tables(connector: Connector) -> None:
    """Create whatever of our tables is missing. Safe when several processes start at once."""
    dialect = connector.dialect
    engine = create_engine(dialect.sqlalchemy_url, creator=connector.raw, poolclass=NullPool)
    try:
        for attempt in range(3):
            try:
                with engine.begin() as conn:
                    if dialect.schema_lock:
                        conn.exec_driver_sql(dialect.schema_lock)
                    SQLModel.metadata.create_all(conn, tables=tables())
                return
            except DBAPIError as exc:
                # SQLite has no lock to take first: a process that lost the race to create a
                # table sees "already exists", and the next pass finds everything there.
                if attempt == 2:
                    raise ConfigError(f"cannot create the store's tables: {exc.orig}") from exc
    finally:
        engine.dispose()
