"""Everything that differs between SQLite and PostgreSQL, and nothing else.

SQL elsewhere is written once, in the subset both understand, with `?` placeholders; a dialect
turns it into its own form and supplies the few clauses that cannot be shared: how a
transaction begins, JSON field equality, and glob matching.
"""

from __future__ import annotations

from typing import Any, Literal

import orjson

Clause = tuple[str, tuple[Any, ...]]  # SQL text with `?` placeholders, and its parameters

_INT64 = range(-(2**63), 2**63)


class Dialect:
    name: Literal["sqlite", "postgresql"]
    begin: str
    begin_snapshot: str  # a read-only transaction that sees one state throughout
    sqlalchemy_url: str  # for create_all only: a driver name, no address (we pass a creator)
    schema_lock: str | None = None  # run before create_all, in its transaction
    analyze: str | None = None  # refreshes the planner's statistics, where that matters

    def sql(self, text: str) -> str:
        """`text` in this dialect's placeholder style."""
        return text

    def json_equals(self, field: str, value: Any) -> Clause | None:
        """A clause true when top-level `field` of `body` equals `value` as JSON values do
        (see `filters.json_equal`), or None when this dialect cannot say it in SQL."""
        raise NotImplementedError

    def glob(self, column: str, pattern: str) -> Clause:
        """`column` matches `pattern`, where `*` is any run, `?` any one character, and
        everything else is literal and case-sensitive."""
        raise NotImplementedError


class SqliteDialect(Dialect):
    name = "sqlite"
    # IMMEDIATE takes the write lock up front: a deferred transaction that reads, then
    # writes, can fail with SQLITE_BUSY halfway when another process writes the same file.
    begin = "BEGIN IMMEDIATE"
    begin_snapshot = "BEGIN"  # every SQLite transaction reads one snapshot
    sqlalchemy_url = "sqlite://"

    def json_equals(self, field: str, value: Any) -> Clause | None:
        if '"' in field or "\\" in field:
            return None  # a quoted JSON path label cannot contain these
        path = f'$."{field}"'
        # json_extract maps true to 1 and objects to text, so json_type keeps kinds apart.
        if isinstance(value, bool):
            return "json_type(body, ?) = ?", (path, "true" if value else "false")
        if value is None:
            return "json_type(body, ?) = 'null'", (path,)
        if isinstance(value, int | float):
            if isinstance(value, int) and value not in _INT64:
                return None
            clause = "json_type(body, ?) IN ('integer', 'real') AND json_extract(body, ?) = ?"
            return clause, (path, path, value)
        if isinstance(value, str):
            return "json_type(body, ?) = 'text' AND json_extract(body, ?) = ?", (path, path, value)
        return None  # objects and arrays: compared in Python

    def glob(self, column: str, pattern: str) -> Clause:
        # GLOB is case-sensitive (LIKE is not, in SQLite); `[` would open a character class.
        return f"{column} GLOB ?", (pattern.replace("[", "[[]"),)


class PostgresDialect(Dialect):
    name = "postgresql"
    begin = "BEGIN"
    begin_snapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    sqlalchemy_url = "postgresql+psycopg://"
    # Replicas starting together would race between create_all's check and its CREATE.
    schema_lock = "SELECT pg_advisory_xact_lock(7412851)"
    # Until a table is first analyzed, the planner cannot tell the primary key from the list
    # index (same leading columns) and may answer a get by scanning a whole collection;
    # autovacuum analyzes only a minute or so later. SQLite's planner needs no statistics.
    analyze = "ANALYZE dtu_resource, dtu_counter"

    def sql(self, text: str) -> str:
        return text.replace("?", "%s")

    def json_equals(self, field: str, value: Any) -> Clause | None:
        try:
            literal = orjson.dumps(value).decode()
        except TypeError:
            return None  # not JSON (an int beyond 64 bits, say): no stored body can match
        # jsonb equality is JSON's: numbers by value, true is not 1, object keys unordered.
        return "(body::jsonb -> ?::text) = ?::jsonb", (field, literal)

    def glob(self, column: str, pattern: str) -> Clause:
        like = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"{column} LIKE ? ESCAPE '\\'", (like.replace("*", "%").replace("?", "_"),)


SQLITE = SqliteDialect()
POSTGRES = PostgresDialect()
