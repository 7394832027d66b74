"""A PostgreSQL for tests: DTU_TEST_POSTGRES_URL when set, else a throwaway server of our own.

    with running_postgres() as url:      # skips the calling test when neither is possible
        with fresh_schema(url) as test_url:
            ...                          # tables created through test_url land in a new schema

The throwaway server lives in one temp directory (data, socket, log), listens on a free
loopback port, trusts local connections and runs without fsync; it is stopped and deleted on
exit. As root it runs as the `postgres` user (postgres refuses to run as root), via runuser.
`scripts/pg-start` does the same for shell users.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest

ENV = "DTU_TEST_POSTGRES_URL"


class PostgresUnavailable(Exception):
    """Why no throwaway server could be started."""


@contextmanager
def running_postgres() -> Iterator[str]:
    """The URL of a PostgreSQL to test against, for as long as the block runs."""
    if url := os.environ.get(ENV):
        yield url
        return
    try:
        server = _Throwaway.start()
    except PostgresUnavailable as exc:
        pytest.skip(f"no PostgreSQL: set {ENV}, or make initdb/pg_ctl usable ({exc})")
    try:
        yield server.url
    finally:
        server.stop()


@contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """`url` with a new, empty schema first on its search_path; the schema is dropped after."""
    import psycopg

    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_search_path(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def with_search_path(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-c search_path={schema}"))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def _bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Throwaway:
    def __init__(self, bindir: Path, directory: Path, as_owner: list[str]) -> None:
        self.bindir = bindir
        self.directory = directory
        self.as_owner = as_owner  # prefix that runs a command as the cluster's owner
        self.url = ""

    @classmethod
    def start(cls) -> _Throwaway:
        bindir = _bindir()
        if bindir is None:
            raise PostgresUnavailable("no initdb found")
        as_owner: list[str] = []
        directory = Path(tempfile.mkdtemp(prefix="dtu-pg-"))
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                raise PostgresUnavailable("running as root without runuser")
            try:
                shutil.chown(directory, user="postgres")
            except (LookupError, OSError) as exc:
                shutil.rmtree(directory, ignore_errors=True)
                raise PostgresUnavailable(f"root, and no usable 'postgres' user: {exc}") from exc
            as_owner = ["runuser", "-u", "postgres", "--"]
        server = cls(bindir, directory, as_owner)
        try:
            server._init()
            server._launch()
        except PostgresUnavailable:
            server.stop()
            raise
        return server

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        argv = [*self.as_owner, *args]
        return subprocess.run(argv, cwd=self.directory, capture_output=True, text=True, check=False)

    def _init(self) -> None:
        done = self._run(
            str(self.bindir / "initdb"),
            *("-D", str(self.directory / "data"), "-U", "postgres", "-A", "trust"),
            *("-E", "UTF8", "--no-locale", "--no-sync"),
        )
        if done.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {done.stderr.strip()[-500:]}")

    def _launch(self) -> None:
        # The free port can be taken between our probe and the server's bind: try a few.
        for _ in range(3):
            port = _free_port()
            options = (
                f"-p {port} -k {self.directory} -c listen_addresses=127.0.0.1"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            done = self._run(
                str(self.bindir / "pg_ctl"),
                *("-D", str(self.directory / "data"), "-l", str(self.directory / "server.log")),
                *("-w", "-t", "60", "-o", options, "start"),
            )
            if done.returncode == 0:
                self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
                return
        raise PostgresUnavailable(f"pg_ctl start failed: {done.stderr.strip()[-500:]}")

    def stop(self) -> None:
        if (self.directory / "data" / "postmaster.pid").exists():
            self._run(
                str(self.bindir / "pg_ctl"),
                *("-D", str(self.directory / "data"), "-m", "immediate", "-w", "stop"),
            )
        shutil.rmtree(self.directory, ignore_errors=True)
