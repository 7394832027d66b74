"""The journal: one entry per served request, written in batches.

Writing every entry in the request's own commit would double the cost of a request, so
entries wait in memory and are written together: when `batch_size` are pending, every
`flush_interval` seconds, and always before the journal is read. The price is that a killed
process loses the entries of its last `flush_interval`; resources and counters are not
buffered and lose nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

log = logging.getLogger(__name__)

# What a buffered entry becomes: the columns of dtu_journal after `seq`, JSON already encoded.
JournalRecord = tuple[str, str, float, str, str, str, int, str, str, float, str]


@dataclass(frozen=True, slots=True)
class JournalPolicy:
    flush_interval: float = 0.2  # seconds an entry may wait in memory
    batch_size: int = 256  # pending entries that trigger a write at once
    body_cap: int = 64 * 1024  # bytes of encoded JSON kept per request, response and extra


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """A served request. `seq` is None until the entry is stored."""

    session: str
    twin: str
    operation: str  # the operation's label, e.g. "POST /v1/customers"
    method: str
    path: str
    status: int
    request: Any = None  # JSON-able
    response: Any = None  # JSON-able
    duration_ms: float = 0.0
    at: float = field(default_factory=time.time)
    extra: dict[str, Any] = field(default_factory=dict)
    seq: int | None = None

    def record(self, cap: int) -> JournalRecord:
        return (
            self.session,
            self.twin,
            self.at,
            self.operation,
            self.method,
            self.path,
            self.status,
            capped_json(self.request, cap),
            capped_json(self.response, cap),
            self.duration_ms,
            capped_json(self.extra, cap),
        )

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> JournalEntry:
        seq, session, twin, at, operation, method, path, status, req, resp, ms, extra = row
        return cls(
            session=session,
            twin=twin,
            operation=operation,
            method=method,
            path=path,
            status=status,
            request=orjson.loads(req),
            response=orjson.loads(resp),
            duration_ms=ms,
            at=at,
            extra=orjson.loads(extra),
            seq=seq,
        )


TRUNCATED = "dtu_truncated"  # the key that marks a value cut down to the cap


def capped_json(value: Any, cap: int) -> str:
    """`value` as JSON text of at most `cap` bytes; a bigger one becomes a marker object
    holding its size and the start of its text."""
    raw = orjson.dumps(value)
    if len(raw) <= cap:
        return raw.decode()
    # Escaping can double the prefix inside the marker, so keep under half the cap.
    prefix = raw[: max(0, cap // 2 - 64)].decode("utf-8", errors="ignore")
    return orjson.dumps({TRUNCATED: True, "bytes": len(raw), "prefix": prefix}).decode()


class JournalBuffer:
    """Pending records, written by `write` in append order, from a daemon thread or at once.

    Thread-safe. A failed write puts its batch back in front, to be retried by the next flush.
    """

    def __init__(self, policy: JournalPolicy, write: Callable[[list[JournalRecord]], None]):
        self._policy = policy
        self._write = write
        self._pending: list[JournalRecord] = []
        self._lock = threading.Lock()
        # One flush at a time, so batches reach the table (and get seqs) in append order.
        self._flushing = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dtu-journal", daemon=True)
        self._thread.start()

    def append(self, records: Sequence[JournalRecord]) -> None:
        with self._lock:
            self._pending.extend(records)
            full = len(self._pending) >= self._policy.batch_size
        if full:
            self.flush()

    def flush(self) -> None:
        with self._flushing:
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch:
                return
            try:
                self._write(batch)
            except BaseException:
                with self._lock:
                    self._pending[:0] = batch
                raise

    def close(self) -> None:
        self._stopped.set()
        self._thread.join()
        self.flush()

    def _run(self) -> None:
        while not self._stopped.wait(self._policy.flush_interval):
            try:
                self.flush()
            except Exception:  # kept pending; the next tick or read retries
                log.exception("writing %d journal entries failed", len(self._pending))
