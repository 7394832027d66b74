"""Rate limits: quotas per credential, session or operation, counted on the session's clock.

A quota is a fixed window: it opens at the first request it counts and refills once `window`
seconds of the session clock have passed, so advancing a session's clock refills it. Which
quotas apply to a twin, most specific first:

    the session's own quotas (control plane), when it has any set, for every twin they name;
    else the twin's quotas (control plane); else the vendor pack's defaults (`Pack.rate_limits`).

Every reply a quota covers carries the pack's rate-limit headers (`X-RateLimit-*` by default);
a request over a quota is refused with `RateLimited` (429, `Retry-After`, the vendor's body) and
does not count. Credentials are kept only as hashes. State lives in this process's memory.
"""

from __future__ import annotations

import functools
import hashlib
import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import parse_qsl

from twins.behaviour.call import Reply
from twins.errors import RateLimited
from twins.exchange import Exchange, Stage
from twins.sessions import Sessions
from twins.twin import Twin

PER_KINDS = ("credential", "session", "operation")
MAX_QUOTAS = 100  # per twin or session configuration
MAX_WINDOWS_PER_SESSION = 50_000  # open windows kept per session (credentials x quotas)
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Quota:
    """`limit` requests per `window` seconds, for the operations whose label matches the glob
    `operation`, counted per credential, per session, or per operation."""

    limit: int
    window: float
    operation: str = "*"
    per: str = "credential"
    twin: str = "*"  # a glob on twin names; only session quotas name twins
    resource: str | None = None  # what the "resource" header says; default: the glob

    def covers(self, label: str) -> bool:
        return fnmatchcase(label, self.operation)

    def describe(self) -> dict[str, Any]:
        return {
            "twin": self.twin,
            "operation": self.operation,
            "limit": self.limit,
            "window": self.window,
            "per": self.per,
            "resource": self.resource,
        }


@dataclass
class _Window:
    opened: float
    used: int = 0


@dataclass(frozen=True)
class Usage:
    """Where one quota stands for one request."""

    quota: Quota
    used: int  # counted in the window, this request included when allowed
    resets_at: float  # epoch seconds on the session clock

    @property
    def remaining(self) -> int:
        return max(0, self.quota.limit - self.used)


class RateLimits:
    """Quota configuration per twin and per session, and the open windows of each session."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._twins: dict[str, tuple[Quota, ...]] = {}
        self._sessions: dict[str, tuple[Quota, ...]] = {}
        self._windows: dict[str, dict[tuple[str, Quota, str], _Window]] = {}

    def set_twin(self, twin: str, quotas: Iterable[Quota]) -> None:
        with self._lock:
            self._twins[twin] = _bounded(quotas)

    def clear_twin(self, twin: str) -> None:
        with self._lock:
            self._twins.pop(twin, None)

    def twin_quotas(self, twin: Twin) -> tuple[tuple[Quota, ...], str]:
        """The quotas a twin has outside any session override, and where they come from."""
        configured = self._twins.get(twin.name)
        if configured is not None:
            return configured, "control plane"
        return pack_quotas(twin), "pack"

    def set_session(self, session: str, quotas: Iterable[Quota]) -> None:
        with self._lock:
            self._sessions[session] = _bounded(quotas)

    def session_quotas(self, session: str) -> tuple[Quota, ...] | None:
        return self._sessions.get(session)

    def reset(self, session: str) -> None:
        """Forget a session's own quotas and every window it has open."""
        with self._lock:
            self._sessions.pop(session, None)
            self._windows.pop(session, None)

    def applying(self, session: str, twin: Twin) -> tuple[Quota, ...]:
        own = self._sessions.get(session)
        if own is not None:
            return tuple(q for q in own if fnmatchcase(twin.name, q.twin))
        return self.twin_quotas(twin)[0]

    def take(
        self, session: str, twin: str, quotas: list[Quota], scopes: list[str], now: float
    ) -> tuple[list[Usage], Usage | None]:
        """Count one request against every quota (each in its scope) unless one is spent.
        Returns where each quota stands and the spent quota that refuses it, if any."""
        with self._lock:
            windows = self._windows.setdefault(session, {})
            opened = [
                _current(windows, (twin, quota, scope), quota, now)
                for quota, scope in zip(quotas, scopes, strict=True)
            ]
            refused = next(
                (
                    i
                    for i, (q, w) in enumerate(zip(quotas, opened, strict=True))
                    if w.used >= q.limit
                ),
                None,
            )
            if refused is None:
                for window in opened:
                    window.used += 1
            usages = [
                Usage(q, w.used, w.opened + q.window) for q, w in zip(quotas, opened, strict=True)
            ]
            _evict(windows, now)
        return usages, None if refused is None else usages[refused]

    def usage(self, session: str, now: float) -> list[dict[str, Any]]:
        """The windows a session has open (scopes are hashes, never credentials)."""
        with self._lock:
            windows = list(self._windows.get(session, {}).items())
        return [
            {
                **quota.describe(),
                "twin": twin,
                "scope": scope,
                "used": window.used,
                "resets_at": window.opened + quota.window,
            }
            for (twin, quota, scope), window in windows
            if now < window.opened + quota.window
        ]


def pack_quotas(twin: Twin) -> tuple[Quota, ...]:
    return _quotas_of(twin.pack.rate_limits)


@functools.cache
def _quotas_of(defaults: tuple[tuple[str, int, float, str], ...]) -> tuple[Quota, ...]:
    # Read on every request: built once per pack class.
    return tuple(
        Quota(limit=limit, window=window, operation=operation, per=per)
        for operation, limit, window, per in defaults
    )


def _bounded(quotas: Iterable[Quota]) -> tuple[Quota, ...]:
    found = tuple(quotas)
    if len(found) > MAX_QUOTAS:
        raise ValueError(f"at most {MAX_QUOTAS} quotas, not {len(found)}")
    return found


def _current(
    windows: dict[tuple[str, Quota, str], _Window],
    key: tuple[str, Quota, str],
    quota: Quota,
    now: float,
) -> _Window:
    window = windows.get(key)
    # A clock set back before the window opened starts a new one, not a wait of hours.
    if window is None or not window.opened <= now < window.opened + quota.window:
        window = windows[key] = _Window(now)
    return window


def _evict(windows: dict[tuple[str, Quota, str], _Window], now: float) -> None:
    """Keep a session's windows bounded: closed ones go first, then the oldest."""
    if len(windows) <= MAX_WINDOWS_PER_SESSION:
        return
    for key in [k for k, w in windows.items() if now >= w.opened + k[1].window]:
        del windows[key]
    while len(windows) > MAX_WINDOWS_PER_SESSION:
        del windows[next(iter(windows))]


class RateLimitStage(Stage):
    """Counts every request against the quotas that cover it; refuses those over one."""

    name = "rate limits"

    def __init__(self, sessions: Sessions, twins: dict[str, Twin]) -> None:
        # The session's own clock is read here, not `exchange.now`: a credential may have
        # moved the request to another session in an earlier stage, after that was read.
        self.sessions = sessions
        self.twins = twins
        self.limits = RateLimits()

    def affects_reads(self, session: str, twin: str) -> bool:
        # A GET answered from cache would not be counted: any quota on the twin means no cache.
        found = self.twins.get(twin)
        return found is not None and bool(self.limits.applying(session, found))

    def before(self, exchange: Exchange) -> Reply | None:
        label = exchange.label
        quotas = [
            q for q in self.limits.applying(exchange.session, exchange.twin) if q.covers(label)
        ]
        if not quotas:
            return None
        credential = credential_of(exchange)
        scopes = [scope_of(quota, credential, label) for quota in quotas]
        now = self.sessions.now(exchange.session)
        usages, refused = self.limits.take(
            exchange.session, exchange.twin.name, quotas, scopes, now
        )
        shown = refused or min(usages, key=lambda usage: usage.remaining)
        exchange.reply_headers.extend(usage_headers(exchange.twin, shown))
        if refused is None:
            return None
        retry_after = max(0.0, refused.resets_at - now)
        exchange.notes["rate_limit"] = {**refused.quota.describe(), "retry_after": retry_after}
        raise RateLimited(_refusal(refused.quota, retry_after), retry_after)

    def reset(self, session: str) -> None:
        self.limits.reset(session)


def credential_of(exchange: Exchange) -> str:
    """A hash of the credential a request used: the one authentication settled on, else the
    Authorization header, else an API key the spec names (header or query); or "anonymous"."""
    secret = exchange.credential or exchange.headers.get("authorization")
    if not secret:
        secret = _api_key(exchange)
    if not secret:
        return ANONYMOUS
    digest = hashlib.blake2b(secret.encode(), digest_size=8, person=b"dtu.ratelimit")
    return "credential:" + digest.hexdigest()


def _api_key(exchange: Exchange) -> str | None:
    query: dict[str, str] | None = None
    for scheme in exchange.twin.spec.security_schemes.values():
        if scheme.type != "apiKey" or not scheme.parameter_name:
            continue
        if scheme.location == "header":
            found = exchange.headers.get(scheme.parameter_name.lower())
        elif scheme.location == "query":
            if query is None:
                query = dict(parse_qsl(exchange.query_string.decode("latin-1")))
            found = query.get(scheme.parameter_name)
        else:
            continue
        if found:
            return found
    return None


def scope_of(quota: Quota, credential: str, label: str) -> str:
    """Which counter of a quota a request goes to."""
    if quota.per == "credential":
        return credential
    if quota.per == "operation":
        return label
    return "session"


def usage_headers(twin: Twin, usage: Usage) -> list[tuple[str, str]]:
    values = {
        "limit": str(usage.quota.limit),
        "remaining": str(usage.remaining),
        "reset": str(math.ceil(usage.resets_at)),
        "used": str(min(usage.used, usage.quota.limit)),
        "resource": usage.quota.resource or usage.quota.operation,
    }
    return [(name, values[role]) for role, name in twin.pack.rate_limit_headers if role in values]


def _refusal(quota: Quota, retry_after: float) -> str:
    return (
        f"rate limit exceeded: {quota.limit} requests per {quota.window:g} s per {quota.per}"
        f" for {quota.operation!r}; retry in {max(1, math.ceil(retry_after))} s"
    )
