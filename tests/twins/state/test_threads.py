"""Many threads at once (a server's thread pool) neither lose nor duplicate anything."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from twins.state import JournalEntry, Store

S, T, C = "s1", "stripe", "customers"
THREADS, EACH = 8, 50
R = TypeVar("R")


def in_threads(work: Callable[[int], list[R]]) -> list[R]:
    with ThreadPoolExecutor(THREADS) as pool:
        return [r for results in pool.map(work, range(THREADS)) for r in results]


def test_concurrent_counters_hand_out_each_value_once(store: Store) -> None:
    values = in_threads(lambda _: [store.next_value(S, T, "customer") for _ in range(EACH)])
    assert sorted(values) == list(range(1, THREADS * EACH + 1))


def test_concurrent_puts_get_distinct_dense_seqs(store: Store) -> None:
    def work(t: int) -> list[int]:
        return [store.put(S, T, C, f"k{t}-{i}", "", {"t": t}) for i in range(EACH)]

    seqs = in_threads(work)
    assert sorted(seqs) == list(range(1, THREADS * EACH + 1))
    assert [seq for seq, _ in store.list(S, T, C)] == sorted(seqs)


def test_concurrent_transactions_are_each_atomic(store: Store) -> None:
    def work(t: int) -> list[str]:
        keys = []
        for _ in range(EACH):
            with store.transaction() as tx:
                n = tx.next_value(S, T, "customer")
                tx.put(S, T, C, f"cus_{n}", "", {"n": n})
                tx.journal_append(JournalEntry(S, T, "POST /v1/customers", "POST", "/c", 200))
            keys.append(f"cus_{n}")
        return keys

    keys = in_threads(work)
    assert len(set(keys)) == THREADS * EACH
    assert store.count(S, T, C) == THREADS * EACH
    assert len(store.journal(S)) == THREADS * EACH
