#!/usr/bin/env python3
"""dtu against the OpenAPI mock servers of ../shared/bench, in one interleaved run.

    python3 benchmarks/peers.py [--setup] [--reps 3] [--duration 10] [--checks] [--no-large]
                                [PEER ...]                  # default: dtu prism fastapi-ceiling

Runs ../shared/bench/run_peers.py with dtu added as a server (the `dtu` console script of
this Python environment, else `python -m twins.cli`), prints its tables, then one verdict line:
dtu against Prism per column, as "times better than Prism" (target >= 1.5x).
Other run_peers options are passed through; give their values with `=` (--conns=16).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO.parent / "shared" / "bench"
PEERS = Path(os.environ.get("BENCH_PEERS", "/tmp/peers"))
TARGET = 1.5
# (label, key in run_peers' aggregate, True when higher is better)
COLUMNS = [
    ("GET id rps", "get_id.rps", True),
    ("list rps", "list.rps", True),
    ("POST rps", "post.rps", True),
    ("start shop", "startup_shop_s", False),
    ("start large", "startup_large_s", False),
    ("RSS load", "rss_load_mb", False),
]


def dtu_command() -> list[str]:
    """The dtu of this environment; run_peers starts servers in their own work directory."""
    here = shutil.which("dtu", path=str(Path(sys.executable).parent)) or shutil.which("dtu")
    return [here] if here else [sys.executable, "-m", "twins.cli"]


def run_peers_argv(a: argparse.Namespace, passthrough: list[str]) -> list[str]:
    dtu = f"{shlex.join(dtu_command())} serve shop={{spec}} --port {{port}} --db {a.db}"
    # the twin named `shop` lives under /shop; shop.yaml and large.yaml have base path /
    conf = ["prefix=/shop", "prefix_large=/shop", "stateful=1"]
    argv = [sys.executable, str(BENCH / "run_peers.py"), f"--reps={a.reps}"]
    argv += [f"--duration={a.duration}", f"--out={a.out}", f"--add=dtu={dtu}"]
    argv += [f"--add-conf=dtu:{c}" for c in conf] + [f"--add-env=dtu:PYTHONPATH={REPO}"]
    if a.checks:
        argv.append("--checks")
    if a.no_large:
        argv.append("--no-large")
    return [*argv, *passthrough, *a.peers]


def ensure_peers(setup: bool) -> None:
    if PEERS.is_dir():
        return
    if not setup:
        sys.exit(f"peers: {PEERS} is missing; rerun with --setup to install the peer servers")
    subprocess.run(["bash", str(BENCH / "setup_peers.sh")], check=True)


def newest_run(out: Path, since: float) -> dict[str, Any] | None:
    runs = [p for p in out.glob("run-*.json") if p.stat().st_mtime >= since]
    if not runs:
        return None
    data: dict[str, Any] = json.loads(max(runs, key=lambda p: p.stat().st_mtime).read_text())
    return data


def verdict(agg: dict[str, Any]) -> str:
    if "dtu" not in agg or "prism" not in agg:
        return "verdict: needs both dtu and prism in the run"
    parts = []
    for label, key, higher_is_better in COLUMNS:
        ours, theirs = agg["dtu"].get(key), agg["prism"].get(key)
        if not ours or not theirs:
            parts.append(f"{label} -")
            continue
        times = ours / theirs if higher_is_better else theirs / ours
        parts.append(f"{label} {times:.2f}x {'ok' if times >= TARGET else 'MISS'}")
    return f"verdict, dtu vs prism (times better, target >= {TARGET}x): " + " | ".join(parts)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("peers", nargs="*", default=["dtu", "prism", "fastapi-ceiling"])
    ap.add_argument(
        "--setup",
        action="store_true",
        help=f"install the peers with setup_peers.sh when {PEERS} is missing",
    )
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--duration", type=int, default=10, help="wrk seconds per measurement")
    ap.add_argument("--checks", action="store_true", help="also probe statefulness/validation")
    ap.add_argument("--no-large", action="store_true", help="skip the 1,000-operation startup")
    ap.add_argument("--db", default="memory", help="dtu's --db (default: memory)")
    ap.add_argument("--out", type=Path, default=Path("/tmp/bench-results"))
    a, passthrough = ap.parse_known_args()
    if not (BENCH / "run_peers.py").is_file():
        sys.exit(f"peers: {BENCH}/run_peers.py not found; ../shared must sit beside the repo")
    ensure_peers(a.setup)
    started = time.time()
    rc = subprocess.run(run_peers_argv(a, passthrough), check=False).returncode
    run = newest_run(a.out, started)
    if run and run.get("aggregate"):
        print("\n" + verdict(run["aggregate"]))
    return rc


if __name__ == "__main__":
    sys.exit(main())
