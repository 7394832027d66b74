"""The journal: buffered, but never stale for a reader of the same store."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.twins.state.backends import BACKENDS
from twins.state import TRUNCATED, JournalEntry, JournalPolicy, Store, open_store
from twins.state.journal import JournalBuffer, JournalRecord

S, T = "s1", "stripe"
DURABLE = [b for b in BACKENDS if b.values != ("memory",)]
NEVER = 3600.0  # a flush interval no test waits for


def entry(operation: str = "GET /v1/customers", session: str = S, **more: Any) -> JournalEntry:
    method, path = operation.split(" ", 1)
    fields: dict[str, Any] = {"twin": T, "status": 200, "request": {}, "response": {}} | more
    return JournalEntry(session=session, operation=operation, method=method, path=path, **fields)


def test_an_appended_entry_is_read_back_at_once_with_a_seq(store: Store) -> None:
    sent = entry(request={"q": [1, "x"]}, response={"id": "cus_1"}, duration_ms=1.5, extra={"k": 1})
    store.journal_append(sent)
    [got] = store.journal(S)
    assert got.seq is not None
    assert got == JournalEntry(**{**_fields(sent), "seq": got.seq})


def _fields(e: JournalEntry) -> dict[str, Any]:
    return {name: getattr(e, name) for name in JournalEntry.__slots__}


def test_entries_come_back_in_append_order_and_page_by_since_seq(store: Store) -> None:
    for i in range(5):
        store.journal_append(entry(f"GET /v1/customers/{i}"))
    first = store.journal(S, limit=2)
    rest = store.journal(S, since_seq=first[-1].seq)
    assert [e.path for e in first + rest] == [f"/v1/customers/{i}" for i in range(5)]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("POST /v1/*", ["POST /v1/customers", "POST /v1/a_b", "POST /v1/a%b", "POST /v1/[x]"]),
        ("POST /v1/a_b", ["POST /v1/a_b"]),
        ("POST /v1/a%b", ["POST /v1/a%b"]),
        ("POST /v1/[x]", ["POST /v1/[x]"]),
        ("POST /v1/a?b", ["POST /v1/a_b", "POST /v1/a%b"]),
        ("post /v1/*", []),
        ("* /v1/customers", ["POST /v1/customers", "GET /v1/customers"]),
    ],
)
def test_operation_is_a_case_sensitive_glob_with_only_star_and_question_mark(
    store: Store, pattern: str, expected: list[str]
) -> None:
    labels = ["POST /v1/customers", "POST /v1/a_b", "POST /v1/a%b", "POST /v1/[x]"]
    for label in [*labels, "GET /v1/customers", "POST /v2/x"]:
        store.journal_append(entry(label))
    assert [e.operation for e in store.journal(S, operation=pattern)] == expected


def test_journal_keeps_sessions_and_twins_apart(store: Store) -> None:
    store.journal_append(entry())
    store.journal_append(entry(session="s2"))
    store.journal_append(entry(twin="github"))
    assert len(store.journal(S)) == 2
    assert [e.twin for e in store.journal(S, twin="github")] == ["github"]
    assert len(store.journal("s2")) == 1


def test_bodies_over_the_cap_are_stored_as_a_truncation_marker(store_url: str) -> None:
    policy = JournalPolicy(body_cap=300)
    with open_store(store_url, journal=policy) as store:
        store.journal_append(entry(request={"small": 1}, response={"big": "é" * 1000}))
        [got] = store.journal(S)
    assert got.request == {"small": 1}
    assert got.response[TRUNCATED] is True
    assert got.response["bytes"] > 2000
    assert got.response["prefix"].startswith('{"big":"éé')
    assert len(str(got.response).encode()) < 2 * 300


def test_reset_forgets_the_journal_even_entries_not_yet_written(store: Store) -> None:
    store.journal_append(entry())
    store.flush_journal()
    store.journal_append(entry())
    store.reset_session(S)
    assert store.journal(S) == []


def test_transaction_entries_are_kept_on_commit_and_dropped_on_rollback(store: Store) -> None:
    with store.transaction() as tx:
        tx.journal_append(entry("POST /v1/customers"))
        store.journal_append(entry("POST /v1/joined"))  # the store's method joins the transaction
    with pytest.raises(KeyError), store.transaction() as tx:
        tx.journal_append(entry("POST /v1/failed"))
        raise KeyError("behaviour failed")
    assert [e.operation for e in store.journal(S)] == ["POST /v1/customers", "POST /v1/joined"]


def eventually(check: Any, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return False


@pytest.mark.parametrize("store_url", DURABLE, indirect=True)
def test_pending_entries_are_written_on_a_timer_without_any_read(store_url: str) -> None:
    policy = JournalPolicy(flush_interval=0.05)
    with (
        open_store(store_url, journal=policy, exclusive=False) as writer,
        open_store(store_url, exclusive=False) as reader,  # flushes only its own buffer
    ):
        writer.journal_append(entry())
        assert eventually(lambda: len(reader.journal(S)) == 1)


@pytest.mark.parametrize("store_url", DURABLE, indirect=True)
def test_a_full_batch_is_written_at_once(store_url: str) -> None:
    policy = JournalPolicy(flush_interval=NEVER, batch_size=3)
    with (
        open_store(store_url, journal=policy, exclusive=False) as writer,
        open_store(store_url, exclusive=False) as reader,
    ):
        writer.journal_append(entry())
        writer.journal_append(entry())
        assert reader.journal(S) == []
        writer.journal_append(entry())
        assert len(reader.journal(S)) == 3


@pytest.mark.parametrize("store_url", DURABLE, indirect=True)
def test_closing_writes_pending_entries(store_url: str) -> None:
    with open_store(store_url, journal=JournalPolicy(flush_interval=NEVER)) as store:
        store.journal_append(entry())
    with open_store(store_url) as store:
        assert len(store.journal(S)) == 1


def test_a_failed_write_keeps_its_batch_for_the_next_flush() -> None:
    written: list[JournalRecord] = []
    failures = [RuntimeError("database is down")]

    def write(records: list[JournalRecord]) -> None:
        if failures:
            raise failures.pop()
        written.extend(records)

    buffer = JournalBuffer(JournalPolicy(flush_interval=NEVER), write)
    first, second = (entry(f"GET /{i}").record(1000) for i in range(2))
    buffer.append([first])
    with pytest.raises(RuntimeError):
        buffer.flush()
    buffer.append([second])
    buffer.close()
    assert written == [first, second]
