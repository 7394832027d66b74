"""µs per store call, printed as a table (not a test: nothing is asserted).

    python -m tests.twins.state.bench_store [N]   # best of 5 rounds of N calls, default 2000

Runs on a SQLite file (in a temp dir) and memory, and on PostgreSQL when
DTU_TEST_POSTGRES_URL is set. One thread, warm caches, bodies of ~300 bytes.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.pg import ENV, fresh_schema
from twins.state import JournalEntry, Store, open_store

S, T, C = "bench", "stripe", "customers"
BODY = {"object": "customer", "email": "a@example.com", "name": "Ada", "balance": 0,
        "livemode": False, "metadata": {"plan": "pro", "seats": 3}, "address": None,
        "description": "x" * 150}  # fmt: skip


def per_call(n: int, call: Callable[[int], object], rounds: int = 5) -> float:
    """The best of `rounds` rounds: the machine may be busy with something else."""
    best = float("inf")
    for r in range(rounds):
        start = time.perf_counter()
        for i in range(r * n, (r + 1) * n):
            call(i)
        best = min(best, (time.perf_counter() - start) / n * 1e6)
    return best


def bench(store: Store, n: int) -> dict[str, float]:
    bodies = [{**BODY, "id": f"cus_{i}", "even": i % 2 == 0} for i in range(1000)]
    for i, body in enumerate(bodies):  # a collection to list from and get in
        store.put(S, T, C, f"cus_{i}", "", body)
    entry = JournalEntry(S, T, "POST /v1/customers", "POST", "/v1/customers", 200, BODY, BODY)

    def create(i: int) -> None:
        with store.transaction() as tx:
            k = tx.next_value(S, T, "customer")
            tx.put(S, T, "made", f"cus_{k}", "", BODY)
            tx.journal_append(entry)

    rows = {
        "get": per_call(n, lambda i: store.get(S, T, C, f"cus_{i % 1000}")),
        "get (missing)": per_call(n, lambda i: store.get(S, T, C, "nope")),
        "put (new)": per_call(n, lambda i: store.put(S, T, "new", f"k{i}", "", BODY)),
        "put (replace)": per_call(
            n, lambda i: store.put(S, T, C, f"cus_{i % 1000}", "", bodies[i % 1000])
        ),
        "delete": per_call(n, lambda i: store.delete(S, T, "new", f"k{i}")),
        "next_value": per_call(n, lambda i: store.next_value(S, T, "n")),
        "list 10": per_call(n // 5, lambda i: store.list(S, T, C, "", limit=10)),
        "list 10 after_seq": per_call(
            n // 5, lambda i: store.list(S, T, C, "", after_seq=500, limit=10)
        ),
        "list 10 filtered": per_call(
            n // 5, lambda i: store.list(S, T, C, "", limit=10, filters={"even": True})
        ),
        "count": per_call(n // 5, lambda i: store.count(S, T, C, "")),
        "journal_append": per_call(n, lambda i: store.journal_append(entry)),
        "tx: counter+put+journal": per_call(n, create),
    }
    store.flush_journal()
    return rows


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in [("sqlite file", str(Path(tmp) / "bench.sqlite")), ("memory", "memory")]:
            with open_store(url) as store:
                results[name] = bench(store, n)
        if os.environ.get(ENV):
            with fresh_schema(os.environ[ENV]) as url, open_store(url) as store:
                results["postgresql"] = bench(store, n // 5)
    names = list(results)
    print(f"{'µs per call':26}" + "".join(f"{name:>14}" for name in names))
    for row in results[names[0]]:
        print(f"{row:26}" + "".join(f"{results[name][row]:14.1f}" for name in names))


if __name__ == "__main__":
    main()
