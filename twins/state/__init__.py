"""Per-session state of every twin: resources, counters, seeds and the request journal.

    store = open_store("dtu.sqlite")          # or "memory", or "postgresql://..."
    with store.transaction() as tx:           # one commit for a multi-step behaviour
        n = tx.next_value(session, "stripe", "customer")
        tx.put(session, "stripe", "customers", f"cus_{n}", "", {"id": f"cus_{n}"})
        tx.journal_append(entry)

Modules, leaves first: `url` (which database), `dialect` (all SQLite/PostgreSQL
differences), `connectors` (raw connections and who may use them when), `tables` (sqlmodel
tables, create_all), `sql` + `filters` + `ops` (the hot path, raw DB-API), `journal`
(buffered writes), `transaction` (what a behaviour holds), `store` (the API).
"""

from twins.state.filters import json_equal
from twins.state.journal import TRUNCATED, JournalEntry, JournalPolicy
from twins.state.ops import Body, Page
from twins.state.store import Record, SessionInfo, Store, open_store
from twins.state.transaction import StateAccess, Transaction

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
