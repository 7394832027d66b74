"""A cache of encoded replies to reads, valid until the session's state changes.

A twin's answer to a GET is a function of the request and the session's state (every random
choice is seeded from them), so an identical GET against unchanged state may be answered with the
bytes of the last one. Any write to a session moves its version on and strands its entries.

Only sound when this process sees every write: on for SQLite files and memory served by one
process, off for PostgreSQL (replicas write behind our back) and for several workers.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

MAX_ENTRIES = 4096
MAX_PAYLOAD = 256 * 1024


@dataclass(frozen=True, slots=True)
class CachedReply:
    version: int
    status: int
    headers: list[tuple[bytes, bytes]]
    payload: bytes
    label: str
    journal_response: dict[str, Any]  # what the journal records of the reply


class ReplyCache:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._versions: dict[str, int] = {}
        self._entries: dict[Hashable, CachedReply] = {}

    def version(self, session: str) -> int:
        return self._versions.get(session, 0)

    def changed(self, session: str) -> None:
        """The session's state changed (or may have): its cached replies are stale."""
        self._versions[session] = self._versions.get(session, 0) + 1

    def get(self, session: str, key: Hashable) -> CachedReply | None:
        if not self.enabled:
            return None
        found = self._entries.get(key)
        if found is None or found.version != self._versions.get(session, 0):
            return None
        return found

    def put(self, key: Hashable, reply: CachedReply) -> None:
        if not self.enabled or len(reply.payload) > MAX_PAYLOAD:
            return
        if len(self._entries) >= MAX_ENTRIES:
            # Oldest first: dicts keep insertion order, and stale entries are the oldest.
            for stale in list(self._entries)[: MAX_ENTRIES // 4]:
                del self._entries[stale]
        self._entries[key] = reply

    def clear(self) -> None:
        self._entries.clear()
        self._versions.clear()


class WatchedStore:
    """A store whose writes mark the session changed in a `ReplyCache`; reads pass through."""

    def __init__(self, store: Any, cache: ReplyCache) -> None:
        self._store = store
        self._cache = cache

    def put(self, session: str, *args: Any, **kwargs: Any) -> Any:
        self._cache.changed(session)
        return self._store.put(session, *args, **kwargs)

    def delete(self, session: str, *args: Any, **kwargs: Any) -> Any:
        self._cache.changed(session)
        return self._store.delete(session, *args, **kwargs)

    def import_resources(self, session: str, *args: Any, **kwargs: Any) -> Any:
        self._cache.changed(session)
        return self._store.import_resources(session, *args, **kwargs)

    def reset_session(self, session: str) -> Any:
        self._cache.changed(session)
        return self._store.reset_session(session)

    def fork_snapshot(self, name: str, session: str) -> Any:
        self._cache.changed(session)
        try:
            return self._store.fork_snapshot(name, session)
        finally:
            # Again once written: a read served between the first mark and the write's commit
            # would otherwise be cached under the new version with the old state.
            self._cache.changed(session)

    def set_session_seed(self, session: str, seed: int) -> Any:
        self._cache.changed(session)
        return self._store.set_session_seed(session, seed)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)
