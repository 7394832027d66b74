"""Per-session state of every twin: resources, counters, seeds and the request journal.

    store = open_store("dtu.sqlite")          # or "memory", or "postgresql://..."
    with store.transaction() as tx:           # one commit for a multi-step behaviour
        n = tx.next_value(session, "stripe", "customer")
        tx.put(session, "stripe", "customers", f"cus_{n}", "", {"id": f"cus_{n}"})
        tx.journal_append(entry)

Modules, leaves first: `url` (which database), `dialect` (all SQLite/PostgreSQL
differences), `tables` (sqlmodel tables, create_all), `connectors` (raw connections and
thread rules), `sql` + `filters` + `ops` (the hot path, raw DB-API), `journal` (buffered
writes), `store` (the API).
"""

from twins.state.filters import json_equal
from twins.state.journal import TRUNCATED, JournalEntry, JournalPolicy
from twins.state.ops import Body, Page
from twins.state.store import (
    Record,
    SessionInfo,
    StateAccess,
    Store,
    Transaction,
    open_store,
)

__all__ = [
    "TRUNCATED",
    "Body",
    "JournalEntry",
    "JournalPolicy",
    "Page",
    "Record",
    "SessionInfo",
    "StateAccess",
    "Store",
    "Transaction",
    "json_equal",
    "open_store",
]
