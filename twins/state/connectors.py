"""Raw DB-API connections to SQLite or PostgreSQL, and who may use them when.

The hot path runs its statements on these directly; SQLAlchemy only ever sees `raw()`
connections, once, to create the tables.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from twins.errors import ConfigError
from twins.state.dialect import POSTGRES, SQLITE, Dialect
from twins.state.url import Target

if TYPE_CHECKING:
    import psycopg


class DBCursor(Protocol):
    @property
    def rowcount(self) -> int: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> object: ...


class DBConnection(Protocol):
    """What sqlite3.Connection and psycopg.Connection have in common, as far as we use it."""

    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> DBCursor: ...
    def cursor(self) -> DBCursor: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def close(self) -> None: ...


class Connector(Protocol):
    dialect: Dialect

    def hold(self) -> AbstractContextManager[DBConnection]:
        """The connection this thread may use now; the same one again when re-entered."""
        ...

    def raw(self) -> Any:
        """A DB-API connection to the same database for SQLAlchemy (create_all), which will
        close it when done."""
        ...

    def close(self) -> None: ...


class _Held:
    """A lock held for as long as the connection is used: cheaper than @contextmanager."""

    __slots__ = ("_conn", "_lock")

    def __init__(self, lock: threading.RLock, conn: DBConnection) -> None:
        self._lock = lock
        self._conn = conn

    def __enter__(self) -> DBConnection:
        self._lock.acquire()
        return self._conn

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._lock.release()


class _Borrowed:
    """Our connection, lent to SQLAlchemy for create_all: its close() must not close ours."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def close(self) -> None:
        pass


class SqliteConnector:
    """One connection for all threads, behind a re-entrant lock.

    Not a connection per thread: SQLite lets one writer in at a time anyway, waiting on a lock
    is cheaper than SQLITE_BUSY retries, and "memory" could only be shared between connections
    through shared-cache table locks (SQLITE_LOCKED, which ignores busy_timeout). A statement
    takes ~10 µs, so readers queueing behind a writer cost little. Re-entrant, so a thread in
    a transaction can call the store's one-statement methods and stay in that transaction.

    `exclusive` (the default) keeps the file locked for this process until close: SQLite then
    keeps its WAL index in our memory and takes no file locks per statement, which makes every
    call ~30% cheaper. Another process opening the file fails instead; with exclusive=False
    (in every process) they share it, WAL and busy_timeout doing the rest.
    """

    dialect: Dialect = SQLITE

    def __init__(self, target: Target, *, exclusive: bool = True) -> None:
        self._memory = target.kind == "memory"
        self._describe = target.describe()
        self._conn = self._open(":memory:" if self._memory else target.location, exclusive)
        self._held = _Held(threading.RLock(), self._conn)

    def _open(self, database: str, exclusive: bool) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                database,
                isolation_level=None,  # autocommit; transactions are explicit BEGIN..COMMIT
                check_same_thread=False,  # guarded by our lock instead
                cached_statements=256,
            )
        except sqlite3.Error as exc:
            raise self._unusable(exc) from exc
        try:
            # A file held by another process should fail the start soon, not in 5 s.
            conn.execute("PRAGMA busy_timeout = 1000")
            if not self._memory:
                if exclusive:  # before the first access, or SQLite uses shared memory anyway
                    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
                # WAL + NORMAL: a commit is in the WAL (the OS's cache) when it returns, so it
                # survives a killed process; only a power cut can lose the last commits.
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA cache_size = -32768")  # KiB
            conn.execute("PRAGMA busy_timeout = 5000")
        except sqlite3.Error as exc:
            conn.close()
            raise self._unusable(exc) from exc
        return conn

    def _unusable(self, exc: sqlite3.Error) -> ConfigError:
        hint = " (another process has it open?)" if "locked" in str(exc) else ""
        return ConfigError(f"cannot open SQLite database {self._describe!r}: {exc}{hint}")

    def hold(self) -> AbstractContextManager[DBConnection]:
        return self._held

    def raw(self) -> Any:
        # Not a second connection: "memory" would be a different database, and an exclusive
        # file cannot be opened twice.
        return _Borrowed(self._conn)

    def close(self) -> None:
        self._conn.close()


class _PerThread:
    __slots__ = ("_connector",)

    def __init__(self, connector: PostgresConnector) -> None:
        self._connector = connector

    def __enter__(self) -> DBConnection:
        return self._connector.current()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None


class PostgresConnector:
    """A connection per thread, in autocommit mode.

    A lone statement commits by itself (one round trip); anything longer is an explicit
    BEGIN .. COMMIT (`Store.transaction`). Connections of threads that have ended stay open
    until `close()`: a server's thread pool is small and long-lived.
    """

    dialect: Dialect = POSTGRES

    def __init__(self, target: Target) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise ConfigError("PostgreSQL needs psycopg: pip install 'dtu[postgres]'") from exc
        self._psycopg = psycopg
        self._conninfo = target.location
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[psycopg.Connection[Any]] = []
        try:
            self.current()
        except psycopg.Error as exc:
            raise ConfigError(f"cannot connect to {target.describe()!r}: {exc}") from exc

    def current(self) -> DBConnection:
        conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = self._psycopg.connect(self._conninfo, autocommit=True)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def hold(self) -> AbstractContextManager[DBConnection]:
        return _PerThread(self)

    def raw(self) -> psycopg.Connection[Any]:
        return self._psycopg.connect(self._conninfo)

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
