"""Fault injection: per-session rules that make a twin slow, failing or broken on the wire.

A rule matches requests by twin and operation label (globs, `"POST /v1/*"`) and does one thing:

    latency    wait first (fixed ms, or drawn: uniform, normal, exponential)
    error      answer an error status instead, in the vendor's format (or a given body)
    sequence   one step per matching request: `[503, 503, "ok"]`, then nothing more
    reset      drop the connection before the twin acts on the request
    timeout    act on it, then hold the connection (`latency`, default 30 s) and drop it
    truncate   act on it, then send half the reply body and drop the connection
    malformed  act on it, then answer with the same status and a body that is not JSON

and may fire only after the first `after` matches, at most `count` times, with `probability`.
The first rule (in order) that fires wins; rules after it do not see the request. Every draw
comes from `Rng.derive(seed, twin, "fault", rule id, match number)`, so the same seed and the
same requests fire the same faults, and each request's journal entry says which fired.
"""

from __future__ import annotations

import dataclasses
import json
import math
import threading
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from http import HTTPStatus
from typing import Any

import orjson

from twins.behaviour.call import Reply
from twins.behaviour.render import error_reply, problem_details
from twins.errors import (
    Conflict,
    Forbidden,
    NotFoundError,
    RateLimited,
    RequestError,
    Unauthorized,
)
from twins.exchange import Exchange, Stage
from twins.fake import Rng
from twins.sessions import Sessions

KINDS = ("latency", "error", "sequence", "reset", "timeout", "truncate", "malformed")
SEQUENCE_WORDS = ("ok", "reset", "timeout", "truncate", "malformed")
MAX_LATENCY_MS = 300_000.0
DEFAULT_TIMEOUT_MS = 30_000.0
MAX_RULES = 100  # per session
RESET_STATUS = 503  # what the journal records for a connection dropped before any reply
BODILESS_STATUSES = frozenset({204, 205, 304})


@dataclass(frozen=True)
class Latency:
    """Milliseconds to wait: fixed, or drawn from a distribution (clamped to 0..5 minutes)."""

    distribution: str  # "fixed", "uniform", "normal", "exponential"
    parameters: tuple[float, ...]  # (ms,) | (low, high) | (mean, sd) | (mean,)

    def draw(self, rng: Rng) -> float:
        p = self.parameters
        if self.distribution == "uniform":
            drawn = rng.uniform(p[0], p[1])
        elif self.distribution == "normal":
            # Box-Muller from two draws of the rule's own stream (Rng has no gauss of its own).
            radius = math.sqrt(-2.0 * math.log(1.0 - rng.random()))
            drawn = p[0] + p[1] * radius * math.cos(2.0 * math.pi * rng.random())
        elif self.distribution == "exponential":
            drawn = -p[0] * math.log(1.0 - rng.random())
        else:
            drawn = p[0]
        return min(MAX_LATENCY_MS, max(0.0, drawn))

    def describe(self) -> Any:
        p = self.parameters
        if self.distribution == "uniform":
            return {"uniform": [p[0], p[1]]}
        if self.distribution == "normal":
            return {"normal": {"mean": p[0], "sd": p[1]}}
        if self.distribution == "exponential":
            return {"exponential": p[0]}
        return p[0]


@dataclass(frozen=True)
class FaultRule:
    """One rule of a session. `id` is given by the session's rule book when left empty."""

    kind: str
    id: str = ""
    twin: str = "*"
    operation: str = "*"
    latency: Latency | None = None
    status: int | None = None  # error
    body: Any = None  # error: answered as is instead of the vendor's error body
    headers: tuple[tuple[str, str], ...] = ()  # error: extra reply headers
    sequence: tuple[int | str, ...] = ()  # sequence: statuses and SEQUENCE_WORDS
    probability: float = 1.0
    count: int | None = None  # fires at most this many times
    after: int = 0  # the first `after` matching requests pass untouched

    def matches(self, twin: str, label: str) -> bool:
        return fnmatchcase(twin, self.twin) and fnmatchcase(label, self.operation)

    def step(self, position: int) -> int | str:
        """What the rule does to its `position`-th request past `after`: a status or a word."""
        if self.kind == "sequence":
            return self.sequence[position] if position < len(self.sequence) else "ok"
        if self.kind == "error":
            return self.status or 500
        return self.kind

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "twin": self.twin,
            "operation": self.operation,
            "probability": self.probability,
            "count": self.count,
            "after": self.after,
        }
        if self.latency is not None:
            described["latency"] = self.latency.describe()
        if self.kind == "error":
            described.update(status=self.status, body=self.body, headers=dict(self.headers))
        if self.kind == "sequence":
            described["sequence"] = list(self.sequence)
        return described


@dataclass(frozen=True)
class Fault:
    """A fault that fired for one request."""

    rule: FaultRule
    match: int  # how many requests the rule had matched before this one
    effect: str  # "error", "latency", "reset", "timeout", "truncate", "malformed"
    status: int | None
    delay_ms: float

    def note(self) -> dict[str, Any]:
        """What the journal keeps (`extra["fault"]`)."""
        note: dict[str, Any] = {"rule": self.rule.id, "kind": self.rule.kind, "match": self.match}
        if self.effect != self.rule.kind:
            note["effect"] = self.effect
        if self.status is not None:
            note["status"] = self.status
        if self.delay_ms:
            note["delay_ms"] = round(self.delay_ms, 3)
        return note


def decide(rule: FaultRule, match: int, fired: int, rng: Rng) -> Fault | None:
    """Whether `rule` fires for its `match`-th matching request (0-based), having fired
    `fired` times so far. `rng` is that match's own stream."""
    if match < rule.after or (rule.count is not None and fired >= rule.count):
        return None
    if not rng.chance(rule.probability):
        return None
    step = rule.step(match - rule.after)
    if step == "ok":
        return None
    effect, status = ("error", step) if isinstance(step, int) else (step, None)
    if rule.latency is not None:
        delay = rule.latency.draw(rng)
    else:
        delay = DEFAULT_TIMEOUT_MS if effect == "timeout" else 0.0
    return Fault(rule, match, effect, status, delay)


@dataclass
class _SessionRules:
    rules: list[FaultRule] = field(default_factory=list)
    matched: dict[str, int] = field(default_factory=dict)
    fired: dict[str, int] = field(default_factory=dict)
    numbered: int = 0  # rules ever numbered in this session: ids are never reused


class RuleBookError(ValueError):
    """A set of rules the book cannot take (too many, an id used twice)."""


class FaultRules:
    """The fault rules of every session, and how often each has matched and fired."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, _SessionRules] = {}

    def replace(self, session: str, rules: list[FaultRule]) -> list[FaultRule]:
        """Make `rules` the session's rules, with fresh counters."""
        fresh = _SessionRules()
        fresh.rules = _numbered(fresh, [], rules)
        with self._lock:
            self._sessions[session] = fresh
        return list(fresh.rules)

    def append(self, session: str, rule: FaultRule) -> FaultRule:
        with self._lock:
            book = self._sessions.setdefault(session, _SessionRules())
            (added,) = _numbered(book, book.rules, [rule])
            book.rules.append(added)
        return added

    def remove(self, session: str, rule_id: str) -> bool:
        with self._lock:
            book = self._sessions.get(session)
            if book is None or all(rule.id != rule_id for rule in book.rules):
                return False
            book.rules = [rule for rule in book.rules if rule.id != rule_id]
            book.matched.pop(rule_id, None)  # a rule added again under this id starts afresh
            book.fired.pop(rule_id, None)
        return True

    def clear(self, session: str) -> int:
        with self._lock:
            book = self._sessions.pop(session, None)
        return 0 if book is None else len(book.rules)

    def listed(self, session: str) -> list[dict[str, Any]]:
        with self._lock:
            book = self._sessions.get(session) or _SessionRules()
            return [
                {
                    **rule.describe(),
                    "matched": book.matched.get(rule.id, 0),
                    "fired": book.fired.get(rule.id, 0),
                }
                for rule in book.rules
            ]

    def has_rules(self, session: str) -> bool:
        book = self._sessions.get(session)
        return book is not None and bool(book.rules)

    def any_for(self, session: str, twin: str) -> bool:
        book = self._sessions.get(session)
        return book is not None and any(fnmatchcase(twin, rule.twin) for rule in book.rules)

    def draw(self, session: str, twin: str, label: str, seed: int) -> Fault | None:
        """The fault that fires for one request, advancing the counters of every rule that
        sees it."""
        if session not in self._sessions:  # most sessions have no rules: no lock for them
            return None
        with self._lock:
            book = self._sessions.get(session)
            if book is None:
                return None
            for rule in book.rules:
                if not rule.matches(twin, label):
                    continue
                match = book.matched.get(rule.id, 0)
                book.matched[rule.id] = match + 1
                rng = Rng.derive(seed, twin, "fault", rule.id, match)
                fault = decide(rule, match, book.fired.get(rule.id, 0), rng)
                if fault is not None:
                    book.fired[rule.id] = book.fired.get(rule.id, 0) + 1
                    return fault
        return None


def _numbered(book: _SessionRules, kept: list[FaultRule], new: list[FaultRule]) -> list[FaultRule]:
    """`new` with an id each (`f1`, `f2`, ... when none was given), checked against `kept`."""
    if len(kept) + len(new) > MAX_RULES:
        raise RuleBookError(f"a session holds at most {MAX_RULES} fault rules")
    taken = {rule.id for rule in kept}
    numbered: list[FaultRule] = []
    for rule in new:
        rule_id = rule.id
        if not rule_id:
            while not rule_id or rule_id in taken:
                book.numbered += 1
                rule_id = f"f{book.numbered}"
        elif rule_id in taken:
            raise RuleBookError(f"the session already has a fault rule {rule_id!r}")
        taken.add(rule_id)
        numbered.append(dataclasses.replace(rule, id=rule_id))
    return numbered


class InjectedError(RequestError):
    """An error status a fault rule answers with."""

    def __init__(self, status: int) -> None:
        super().__init__(HTTPStatus(status).description or HTTPStatus(status).phrase)
        self.status = status
        self.kind = HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")


def injected_error(status: int) -> RequestError:
    """The error of a status, as the engine's own class where it has one (so a 401 says
    `WWW-Authenticate` and a 429 `Retry-After`)."""
    message = HTTPStatus(status).description or HTTPStatus(status).phrase
    simple: dict[int, type[RequestError]] = {
        401: Unauthorized,
        403: Forbidden,
        404: NotFoundError,
        409: Conflict,
    }
    if status in simple:
        return simple[status](message)
    if status == 429:
        return RateLimited(message, retry_after=1.0)
    return InjectedError(status)


class FaultStage(Stage):
    """Fires each session's fault rules; see the module's docstring."""

    name = "faults"

    def __init__(self, sessions: Sessions) -> None:
        # Seeds are read from the sessions, not `exchange.seed`: a credential may have moved
        # the request to another session in an earlier stage, after that was read.
        self.sessions = sessions
        self.rules = FaultRules()

    def affects_reads(self, session: str, twin: str) -> bool:
        return self.rules.any_for(session, twin)

    def before(self, exchange: Exchange) -> Reply | None:
        if not self.rules.has_rules(exchange.session):
            return None
        seed = self.sessions.seed(exchange.session)
        fault = self.rules.draw(exchange.session, exchange.twin.name, exchange.label, seed)
        if fault is None:
            return None
        exchange.notes["fault"] = fault.note()
        if fault.effect == "error" and fault.status is not None:
            if fault.rule.body is not None:
                return _given_error(fault.status, fault.rule)
            exchange.reply_headers.extend(fault.rule.headers)
            raise injected_error(fault.status)
        if fault.effect == "reset":
            return _reset_reply(exchange, Rng.derive(seed, exchange.twin.name, "fault", "reset"))
        return None  # the rest happens to the reply, once the twin has acted

    def after(self, exchange: Exchange, reply: Reply) -> None:
        note = exchange.notes.get("fault")
        if not isinstance(note, dict):
            return
        reply.delay += float(note.get("delay_ms", 0.0)) / 1000.0
        effect = note.get("effect", note["kind"])
        if effect in ("reset", "timeout", "truncate"):
            reply.transport = effect
        elif effect == "malformed":
            if reply.status in BODILESS_STATUSES:
                note["skipped"] = f"a {reply.status} reply has no body to break"
            else:
                reply.body = _malformed(reply)

    def reset(self, session: str) -> None:
        self.rules.clear(session)


def _given_error(status: int, rule: FaultRule) -> Reply:
    media_type = "text/plain" if isinstance(rule.body, str) else "application/json"
    return Reply(status, rule.body, media_type, list(rule.headers))


def _reset_reply(exchange: Exchange, rng: Rng) -> Reply:
    """What would frame the dropped reply: the headers leave, the body never does."""
    error = InjectedError(RESET_STATUS)
    reply = exchange.twin.pack.error(exchange.operation, error, rng) or error_reply(
        exchange.twin.tools, exchange.operation, error, rng
    )
    if reply.body in (None, b"", ""):
        # An empty body would be a complete reply: the client must be left waiting for bytes.
        reply = Reply(
            RESET_STATUS, problem_details(RESET_STATUS, error), "application/problem+json"
        )
    reply.transport = "reset"
    return reply


def _malformed(reply: Reply) -> bytes:
    """Half the reply's body and then `<`: never valid JSON, whatever the half held (an open
    string stays open, a complete value gains a stray byte)."""
    payload = _wire_body(reply)
    return payload[: len(payload) // 2] + b"<"


def _wire_body(reply: Reply) -> bytes:
    """The body as `twins.app` puts it on the wire."""
    body = reply.body
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str) and not (reply.media_type or "").endswith("json"):
        return body.encode()
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:  # orjson stops at 64-bit integers; JSON itself does not
        return json.dumps(body, separators=(",", ":"), default=str).encode()
