"""Sessions: isolated worlds inside one server, each with its own seed and clock.

A session exists from its first use; nothing is created before. Its seed decides every random
choice the twins make for it, so a reset session replays exactly.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from twins.state import Store
from twins.state.snapshots import SnapshotInfo


@dataclass
class Clock:
    """A session's clock: real time, optionally frozen or shifted."""

    frozen_at: float | None = None
    offset: float = 0.0

    def now(self) -> float:
        if self.frozen_at is not None:
            return self.frozen_at
        return time.time() + self.offset

    def set(self, at: float) -> None:
        """Read `at` now and run on from there in real time (a frozen clock thaws)."""
        self.frozen_at = None
        self.offset = at - time.time()


class Sessions:
    def __init__(self, store: Store, default_seed: int) -> None:
        self.store = store
        self.default_seed = default_seed
        self._seeds: dict[str, int] = {}
        self._clocks: dict[str, Clock] = {}
        self._lock = threading.Lock()

    def seed(self, session: str) -> int:
        found = self._seeds.get(session)
        if found is None:
            found = self.store.session_seed(session, self.default_seed)
            with self._lock:
                self._seeds[session] = found
        return found

    def set_seed(self, session: str, seed: int) -> None:
        self.store.set_session_seed(session, seed)
        with self._lock:
            self._seeds[session] = seed

    def clock(self, session: str) -> Clock:
        found = self._clocks.get(session)
        if found is None:
            found = self._clocks.setdefault(session, Clock())
        return found

    def now(self, session: str) -> float:
        found = self._clocks.get(session)
        return found.now() if found is not None else time.time()

    def reset(self, session: str) -> None:
        self.store.reset_session(session)
        with self._lock:
            self._seeds.pop(session, None)
            self._clocks.pop(session, None)

    def snapshot(self, session: str, name: str, *, replace: bool = False) -> SnapshotInfo:
        """Keep the session's world (state, seed, clock) as snapshot `name`."""
        clock = self._clocks.get(session)
        state = None if clock is None else {"frozen_at": clock.frozen_at, "offset": clock.offset}
        seed = self.seed(session)
        return self.store.snapshot_session(session, name, seed=seed, clock=state, replace=replace)

    def fork(self, name: str, session: str) -> SnapshotInfo:
        """Make `session` a copy of snapshot `name`, whatever it held before; its clock starts
        where the snapshot's was (frozen at the same instant, or with the same offset)."""
        info = self.store.fork_snapshot(name, session)
        with self._lock:
            self._seeds[session] = info.seed
            if info.clock is None:
                self._clocks.pop(session, None)
            else:
                self._clocks[session] = Clock(info.clock["frozen_at"], info.clock["offset"])
        return info
