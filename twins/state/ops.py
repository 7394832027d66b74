"""The store's work, as statements on a connection the caller holds (the hot path).

Nothing here begins or commits: `Store` decides where transactions start and end.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import orjson

from twins.state.connectors import DBConnection
from twins.state.dialect import Dialect
from twins.state.filters import FilterPlan, plan_filters
from twins.state.journal import JournalEntry, JournalRecord
from twins.state.sql import Statements

Body = dict[str, Any]
Page = list[tuple[int, Body]]  # (seq, body) in seq order


def dumps(value: Any) -> str:
    # TEXT, not bytes: sqlite3 would store bytes as a BLOB, which json_extract rejects.
    return orjson.dumps(value).decode()


class Ops:
    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.sql = Statements.for_dialect(dialect)

    def get(
        self, conn: DBConnection, session: str, twin: str, collection: str, key: str
    ) -> Body | None:
        row = conn.execute(self.sql.get, (session, twin, collection, key)).fetchone()
        return None if row is None else orjson.loads(row[0])

    def put(
        self,
        conn: DBConnection,
        session: str,
        twin: str,
        collection: str,
        key: str,
        parent: str,
        body: Body,
        fresh: bool = False,
    ) -> int:
        """A fresh key skips the update: the insert's ON CONFLICT still replaces (keeping the
        first seq) in the rare case that a made-up key was taken."""
        text = dumps(body)
        if not fresh:
            rows = conn.execute(
                self.sql.update, (parent, text, session, twin, collection, key)
            ).fetchall()
            if rows:
                return int(rows[0][0])
        seq = conn.execute(self.sql.next_seq, (session, time.time())).fetchall()[0][0]
        params = (session, twin, collection, key, parent, seq, text)
        return int(conn.execute(self.sql.insert, params).fetchall()[0][0])

    def delete(
        self, conn: DBConnection, session: str, twin: str, collection: str, key: str
    ) -> bool:
        return conn.execute(self.sql.delete, (session, twin, collection, key)).rowcount > 0

    def page(
        self,
        conn: DBConnection,
        session: str,
        twin: str,
        collection: str,
        parent: str | None,
        after_seq: int | None,
        limit: int | None,
        filters: Mapping[str, Any] | None,
    ) -> Page:
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be >= 0, not {limit}")
        plan = plan_filters(self.dialect, filters)
        where, params = self._where(session, twin, collection, parent, after_seq, plan)
        sql = f"SELECT seq, body FROM dtu_resource WHERE {where} ORDER BY seq"
        if limit is not None and not plan.residual:
            sql += " LIMIT ?"
            params.append(limit)
        rows = conn.execute(self.dialect.sql(sql), params).fetchall()
        page = [(seq, orjson.loads(text)) for seq, text in rows]
        if plan.residual:
            page = [item for item in page if plan.matches(item[1])][:limit]
        return page

    def count(
        self,
        conn: DBConnection,
        session: str,
        twin: str,
        collection: str,
        parent: str | None,
        filters: Mapping[str, Any] | None,
    ) -> int:
        plan = plan_filters(self.dialect, filters)
        where, params = self._where(session, twin, collection, parent, None, plan)
        if plan.residual:
            sql = self.dialect.sql(f"SELECT body FROM dtu_resource WHERE {where}")
            rows = conn.execute(sql, params).fetchall()
            return sum(1 for (text,) in rows if plan.matches(orjson.loads(text)))
        sql = self.dialect.sql(f"SELECT COUNT(*) FROM dtu_resource WHERE {where}")
        return int(conn.execute(sql, params).fetchone()[0])

    @staticmethod
    def _where(
        session: str,
        twin: str,
        collection: str,
        parent: str | None,
        after_seq: int | None,
        plan: FilterPlan,
    ) -> tuple[str, list[Any]]:
        clauses = ["session = ? AND twin = ? AND collection = ?"]
        params: list[Any] = [session, twin, collection]
        if parent is not None:
            clauses.append("parent = ?")
            params.append(parent)
        if after_seq is not None:
            clauses.append("seq > ?")
            params.append(after_seq)
        clauses.extend(plan.clauses)
        params.extend(plan.params)
        return " AND ".join(clauses), params

    def next_value(self, conn: DBConnection, session: str, twin: str, name: str) -> int:
        # fetchall, not fetchone: sqlite3 only finishes (and so commits) a statement with
        # RETURNING once every row has been read.
        return int(conn.execute(self.sql.next_value, (session, twin, name)).fetchall()[0][0])

    def session_seed(self, conn: DBConnection, session: str, default_seed: int) -> int:
        row = conn.execute(self.sql.get_session, (session,)).fetchone()
        if row is not None and row[0] is not None:
            return int(row[0])
        # First use: pin the default, so the session replays the same even if it changes.
        params = (session, default_seed, time.time())
        return int(conn.execute(self.sql.pin_seed, params).fetchall()[0][0])

    def set_session_seed(self, conn: DBConnection, session: str, seed: int) -> None:
        conn.execute(self.sql.set_seed, (session, seed, time.time()))

    def set_session_meta(self, conn: DBConnection, session: str, meta: Mapping[str, Any]) -> None:
        conn.execute(self.sql.set_meta, (session, time.time(), dumps(meta)))

    def reset_session(self, conn: DBConnection, session: str) -> None:
        for sql in (self.sql.reset_resources, self.sql.reset_counters, self.sql.reset_journal):
            conn.execute(sql, (session,))
        conn.execute(self.sql.reset_seq, (session,))

    def drop_session(self, conn: DBConnection, session: str) -> None:
        self.reset_session(conn, session)
        conn.execute(self.sql.drop_session, (session,))

    def sessions(self, conn: DBConnection) -> list[str]:
        return [name for (name,) in conn.execute(self.sql.sessions).fetchall()]

    def export_session(self, conn: DBConnection, session: str) -> dict[str, Any]:
        info = conn.execute(self.sql.get_session, (session,)).fetchone()
        resources: dict[str, dict[str, list[Body]]] = {}
        for twin, collection, key, parent, seq, body in conn.execute(
            self.sql.export_resources, (session,)
        ).fetchall():
            item = {"key": key, "parent": parent, "seq": seq, "body": orjson.loads(body)}
            resources.setdefault(twin, {}).setdefault(collection, []).append(item)
        counters: dict[str, dict[str, int]] = {}
        for twin, name, value in conn.execute(self.sql.export_counters, (session,)).fetchall():
            counters.setdefault(twin, {})[name] = value
        return {
            "session": session,
            "seed": None if info is None else info[0],
            "meta": {} if info is None else orjson.loads(info[2]),
            "resources": resources,
            "counters": counters,
        }

    def journal_write(self, conn: DBConnection, records: list[JournalRecord]) -> None:
        conn.cursor().executemany(self.sql.journal_insert, records)

    def journal_read(
        self,
        conn: DBConnection,
        session: str,
        twin: str | None,
        operation: str | None,
        since_seq: int | None,
        limit: int | None,
    ) -> list[JournalEntry]:
        sql = self.sql.journal_select
        params: list[Any] = [session]
        if twin is not None:
            sql += " AND twin = ?"
            params.append(twin)
        if since_seq is not None:
            sql += " AND seq > ?"
            params.append(since_seq)
        if operation is not None:
            clause, more = self.dialect.glob("operation", operation)
            sql += f" AND {clause}"
            params.extend(more)
        sql += " ORDER BY seq"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = conn.execute(self.dialect.sql(sql), params).fetchall()
        return [JournalEntry.from_row(row) for row in rows]
