#!/usr/bin/env python3
"""Startup time and memory of `dtu serve` on large real vendor specs, printed as a table.

For each spec: process spawn -> first 200 from a twin route (cold: empty spec cache; warm: the
normalised document cached), and the server's RSS after that first answer.

    python3 benchmarks/startup.py                  # GitHub, Stripe, Slack from ../shared/specs
    python3 benchmarks/startup.py --runs 3
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT.parent / "shared" / "specs"
CASES = [
    ("github", "github/api.github.com.json", "/github/user"),
    ("stripe", "stripe/spec3.yaml", "/stripe/v1/customers"),
    ("slack", "slack/slack_web_openapi_v2.json", "/slack/api/users.list"),
]
AUTH = {"Authorization": "Bearer bench"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(name: str, spec: Path, probe: str, cache: str) -> tuple[float, float]:
    port = free_port()
    env = {**os.environ, "DTU_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}
    argv = [
        sys.executable,
        "-m",
        "twins.cli",
        "serve",
        f"{name}={spec}",
        "--port",
        str(port),
        "--db",
        "memory",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(f"{name}: dtu serve exited with {process.returncode}")
            try:
                response = httpx.get(f"http://127.0.0.1:{port}{probe}", headers=AUTH, timeout=30)
                if response.status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.02)
        return time.perf_counter() - started, rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not SPECS.exists():
        raise SystemExit(f"{SPECS} is absent: the vendor specs live in ../shared/specs")
    print("| spec | operations | first 200, cold s | first 200, warm s | RSS MB |")
    print("|---|---|---|---|---|")
    for name, relative, probe in CASES:
        spec = SPECS / relative
        with tempfile.TemporaryDirectory() as cache:
            cold, _ = measure(name, spec, probe, cache)
            warm = [measure(name, spec, probe, cache) for _ in range(args.runs)]
        operations = _operations(spec)
        print(
            f"| {name} | {operations} | {cold:.2f} | "
            f"{statistics.median(t for t, _ in warm):.2f} | "
            f"{statistics.median(m for _, m in warm):.0f} |"
        )


def _operations(spec: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from twins.spec import load_spec

    return len(load_spec(spec).operations)


if __name__ == "__main__":
    main()
