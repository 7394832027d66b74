"""A SQLite store killed with SIGKILL keeps every write it acknowledged."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from twins.state import open_store

PROJECT = Path(__file__).resolve().parents[3]

# Prints "acked <n>" only after the writes for n have returned, i.e. committed.
WRITER = """
import sys
from twins.state import open_store

store = open_store(sys.argv[1])
for i in range(1, 1_000_000):
    store.put("s", "t", "plain", f"k{i}", "", {"i": i, "pad": "x" * 200})
    with store.transaction() as tx:
        n = tx.next_value("s", "t", "customer")
        tx.put("s", "t", "customers", f"cus_{n}", "", {"id": f"cus_{n}"})
    print(f"acked {i} {n}", flush=True)
"""


def run_and_kill(path: Path, after: int) -> list[tuple[int, int]]:
    """Start the writer, SIGKILL it once it has acknowledged `after` writes; every ack."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert writer.stdout is not None
    acked: list[tuple[int, int]] = []
    for line in writer.stdout:
        acked.append((int(line.split()[1]), int(line.split()[2])))
        if len(acked) == after:
            writer.send_signal(signal.SIGKILL)
            break
    acked.extend((int(w[1]), int(w[2])) for w in map(str.split, writer.stdout))  # in the pipe
    writer.stdout.close()
    assert writer.wait(timeout=30) == -signal.SIGKILL
    return acked


@pytest.mark.parametrize("after", [1, 40, 400])
def test_every_acknowledged_write_survives_sigkill(tmp_path: Path, after: int) -> None:
    path = tmp_path / "state.sqlite"
    acked = run_and_kill(path, after)
    assert len(acked) >= after
    with closing(sqlite3.connect(path)) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with open_store(str(path)) as store:
        for i, n in acked:
            assert store.get("s", "t", "plain", f"k{i}") is not None
            assert store.get("s", "t", "customers", f"cus_{n}") == {"id": f"cus_{n}"}
        # The counter never goes back on a value a client may have seen.
        assert store.next_value("s", "t", "customer") > acked[-1][1]
