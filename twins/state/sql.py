"""The fixed statements of the store, in the SQL that SQLite (>= 3.35) and PostgreSQL share.

Each is parametrised and its text never varies, so SQLite's statement cache and psycopg's
automatic server-side prepare (after a few runs) both keep it prepared.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from twins.state.dialect import Dialect

_RESOURCE_KEY = "session = ? AND twin = ? AND collection = ? AND key = ?"
_NEW_SESSION = "INSERT INTO dtu_session (name, seed, created_at, meta, last_seq) VALUES"


@dataclass(frozen=True, slots=True)
class Statements:
    get: str = f"SELECT body FROM dtu_resource WHERE {_RESOURCE_KEY}"
    update: str = (
        f"UPDATE dtu_resource SET parent = ?, body = ? WHERE {_RESOURCE_KEY} RETURNING seq"
    )
    # Only run when `update` found nothing; a racing insert of the same key keeps the seq
    # it got first (the one handed out here is then skipped, leaving a harmless gap).
    insert: str = (
        "INSERT INTO dtu_resource (session, twin, collection, key, parent, seq, body)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (session, twin, collection, key)"
        " DO UPDATE SET parent = excluded.parent, body = excluded.body RETURNING seq"
    )
    delete: str = f"DELETE FROM dtu_resource WHERE {_RESOURCE_KEY}"
    next_seq: str = (
        f"{_NEW_SESSION} (?, NULL, ?, '{{}}', 1) ON CONFLICT (name)"
        " DO UPDATE SET last_seq = dtu_session.last_seq + 1 RETURNING last_seq"
    )
    next_value: str = (
        "INSERT INTO dtu_counter (session, twin, name, value) VALUES (?, ?, ?, 1)"
        " ON CONFLICT (session, twin, name) DO UPDATE SET value = dtu_counter.value + 1"
        " RETURNING value"
    )
    get_session: str = "SELECT seed, created_at, meta, last_seq FROM dtu_session WHERE name = ?"
    pin_seed: str = (
        f"{_NEW_SESSION} (?, ?, ?, '{{}}', 0) ON CONFLICT (name)"
        " DO UPDATE SET seed = COALESCE(dtu_session.seed, excluded.seed) RETURNING seed"
    )
    set_seed: str = (
        f"{_NEW_SESSION} (?, ?, ?, '{{}}', 0) ON CONFLICT (name) DO UPDATE SET seed = excluded.seed"
    )
    set_meta: str = (
        f"{_NEW_SESSION} (?, NULL, ?, ?, 0) ON CONFLICT (name) DO UPDATE SET meta = excluded.meta"
    )
    reset_resources: str = "DELETE FROM dtu_resource WHERE session = ?"
    reset_counters: str = "DELETE FROM dtu_counter WHERE session = ?"
    reset_journal: str = "DELETE FROM dtu_journal WHERE session = ?"
    reset_seq: str = "UPDATE dtu_session SET last_seq = 0 WHERE name = ?"
    drop_session: str = "DELETE FROM dtu_session WHERE name = ?"
    # A session exists from its first write of any kind; not every write makes a session row.
    sessions: str = (
        "SELECT name FROM dtu_session UNION SELECT session FROM dtu_resource"
        " UNION SELECT session FROM dtu_counter UNION SELECT session FROM dtu_journal ORDER BY 1"
    )
    export_resources: str = (
        "SELECT twin, collection, key, parent, seq, body FROM dtu_resource"
        " WHERE session = ? ORDER BY twin, collection, seq"
    )
    export_counters: str = (
        "SELECT twin, name, value FROM dtu_counter WHERE session = ? ORDER BY twin, name"
    )
    journal_insert: str = (
        "INSERT INTO dtu_journal (session, twin, at, operation, method, path, status,"
        " request, response, duration_ms, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    journal_select: str = (
        "SELECT seq, session, twin, at, operation, method, path, status,"
        " request, response, duration_ms, extra FROM dtu_journal WHERE session = ?"
    )

    @classmethod
    def for_dialect(cls, dialect: Dialect) -> Statements:
        base = cls()
        return replace(base, **{f.name: dialect.sql(getattr(base, f.name)) for f in fields(cls)})
