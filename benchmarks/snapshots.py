#!/usr/bin/env python3
"""How long a snapshot and a fork take, per backend, printed as a table.

A world of RECORDS resources (four collections, one nested) and a few counters is seeded into
one session and snapshotted; then FORKS new sessions are forked from it, one at a time, each
timed. PostgreSQL is measured when a URL is given (--postgres, or DTU_TEST_POSTGRES_URL, which
`source scripts/pg-start && dtu_pg_start` sets).

    python3 benchmarks/snapshots.py
    python3 benchmarks/snapshots.py --records 200 --forks 1000 --postgres postgresql://...
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twins.state import Record, Store, open_store  # noqa: E402

COLLECTIONS = ("/v1/customers", "/v1/products", "/v1/invoices", "/repos/{o}/{r}/issues")


def seed_world(store: Store, session: str, records: int) -> None:
    items = []
    for i in range(records):
        collection = COLLECTIONS[i % len(COLLECTIONS)]
        parent = "octo/hello" if "{" in collection else ""
        body = {"id": f"obj_{i:05d}", "name": f"Record {i}", "amount": i * 100, "tags": ["a"]}
        items.append(Record(collection, f"obj_{i:05d}", body, parent))
    store.import_resources(session, "twin", items)
    for collection in COLLECTIONS:
        for _ in range(records // len(COLLECTIONS)):
            store.next_value(session, "twin", collection)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure(url: str, records: int, forks: int) -> dict[str, float]:
    with open_store(url) as store:
        seed_world(store, "source", records)
        snapshot_ms = [
            timed(lambda: store.snapshot_session("source", "world", seed=1, replace=True))
            for _ in range(10)
        ]
        fork_ms = [timed(forker(store, f"trial-{i}")) for i in range(forks)]
        # into a session that already holds a world: its old state is dropped first
        refork_ms = [timed(forker(store, "trial-0")) for _ in range(20)]
        assert store.count("trial-0", "twin", COLLECTIONS[0]) == records // len(COLLECTIONS)
    return {
        "snapshot ms": statistics.median(snapshot_ms),
        "fork ms": statistics.median(fork_ms),
        "fork p95 ms": statistics.quantiles(fork_ms, n=20)[-1],
        "refork ms": statistics.median(refork_ms),
        "all forks s": sum(fork_ms) / 1000,
    }


def forker(store: Store, session: str) -> Callable[[], object]:
    return lambda: store.fork_snapshot("world", session)


def postgres_schema(url: str) -> tuple[str, Callable[[], None]]:
    """A fresh schema on `url`, so the benchmark never touches existing tables."""
    import psycopg

    from tests.pg import with_search_path

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")

    return with_search_path(url, schema), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--forks", type=int, default=200)
    parser.add_argument("--postgres", default=os.environ.get("DTU_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    rows: list[tuple[str, dict[str, float]]] = []
    rows.append(("memory", measure("memory", args.records, args.forks)))
    with tempfile.TemporaryDirectory() as folder:
        rows.append(("sqlite", measure(f"{folder}/bench.sqlite", args.records, args.forks)))
    if args.postgres:
        url, drop = postgres_schema(args.postgres)
        try:
            rows.append(("postgresql", measure(url, args.records, args.forks)))
        finally:
            drop()
    columns = list(rows[0][1])
    print(f"{args.records} records per world, {args.forks} forks (medians but p95 and total)")
    print(f"| backend | {' | '.join(columns)} |")
    print("|---|" + "---:|" * len(columns))
    for name, values in rows:
        print(f"| {name} | " + " | ".join(f"{values[c]:.2f}" for c in columns) + " |")


if __name__ == "__main__":
    main()
