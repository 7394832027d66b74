"""Stubbed answers: what a twin cannot simulate (an LLM's reply, a vendor's quirk), given by
the test per session, twin and operation.

An operation is named by its label (`"POST /v1/customers/{customer}"`; parameter names do not
matter) or by a glob on labels (`"GET /v1/*"`: `*` any run, `?` one character). For each, a
session may hold

- a queue of responses, each answering once, in order, and
- a pinned response, answering every time once the queue is used up, until removed.

A rule naming the label exactly is tried before globs; globs in the order they were first set.
A stub answers after the request is validated and instead of the behaviour, so a request that
breaks the spec still gets its 400. Each stub is checked when set against the response the
operation declares for its status (status, media type, body schema) and refused with the JSON
pointer of the failing field; `force` lets a deliberately off-spec answer through. Wire safety
(header names, sizes, delay) is never waived. The journal records a stub's answer like any
other, with `extra.stub` saying which rule served it.

Stubs live in the server process (like faults): a server of several workers keeps them apart.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
import orjson

from twins.behaviour.call import Call, Reply
from twins.catalog import route_key
from twins.errors import DtuError, NotFoundError
from twins.exchange import Exchange, Proceed, Stage
from twins.spec.model import MediaType, Operation, Response, is_json_media_type
from twins.spec.refs import encode
from twins.spec.validation import schema_validator
from twins.twin import Twin

MAX_RULES = 200  # per session and twin
MAX_QUEUE = 1000  # responses waiting in one rule's queue
MAX_DELAY = 60.0  # seconds
MAX_BODY_BYTES = 1024 * 1024
MAX_HEADERS = 50
MAX_HEADER_VALUE = 8192
MAX_PROBLEMS = 20
# JSON nested deeper than this is refused: the control plane's own answer (which shows the
# body) cannot be encoded past ~250 levels, and no vendor's reply comes close to 64.
MAX_BODY_DEPTH = 64
# The server writes these from the reply itself; a stub sets the media type instead.
_WIRE_HEADERS = frozenset({"content-length", "content-type", "transfer-encoding", "connection"})
# \Z, not $: `$` also matches before a final line break, which would reach the wire.
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")
_MEDIA_TYPE = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(;[ -~]*)?\Z")


@dataclass(frozen=True, slots=True)
class StubResponse:
    """One canned answer. A non-JSON media type takes a text body; None: no body at all."""

    status: int
    body: Any = None
    media_type: str | None = None  # None: the declared one (JSON first), else application/json
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0  # seconds before the answer leaves
    forced: bool = False  # set with `force`: not checked against the spec

    def reply(self) -> Reply:
        media_type = self.media_type if self.body is not None else None
        return Reply(self.status, self.body, media_type, list(self.headers), delay=self.delay)

    def describe(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "media_type": self.media_type,
            "headers": dict(self.headers),
            "body": self.body,
            "delay": self.delay,
            "forced": self.forced,
        }


@dataclass(frozen=True, slots=True)
class StubProblem:
    operation: str  # the label the stub was checked against
    pointer: str  # JSON pointer into what was submitted: "/responses/0/body/books"
    rule: str  # the JSON Schema keyword or the check: "status", "media_type", "minimum", ...
    message: str

    def describe(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in ("operation", "pointer", "rule", "message")}


class StubRejected(DtuError):
    """A stub does not fit the operation's declared response, or the wire."""

    def __init__(self, problems: list[StubProblem]) -> None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first.operation}: {first.pointer or '/'}: {first.message}{more}")
        self.problems = problems


@dataclass
class StubRule:
    pattern: str  # an operation label, or a glob on labels
    matcher: re.Pattern[str] | None  # None for an exact label
    operations: list[str]  # the labels it covers now
    queued: deque[StubResponse] = field(default_factory=deque)
    pinned: StubResponse | None = None
    served: int = 0

    def describe(self) -> dict[str, Any]:
        return {
            "operation": self.pattern,
            "matches": self.operations,
            "queued": [stub.describe() for stub in self.queued],
            "pinned": self.pinned.describe() if self.pinned else None,
            "served": self.served,
        }


class StubStage(Stage):
    """Answers requests with stubs set through the control plane (`twins/control/stubs.py`)."""

    name = "stubs"

    def __init__(self) -> None:
        self._rules: dict[tuple[str, str], dict[str, StubRule]] = {}
        self._lock = threading.Lock()

    def affects_reads(self, session: str, twin: str) -> bool:
        return (session, twin) in self._rules

    def around(self, exchange: Exchange, call: Call, proceed: Proceed) -> Reply:
        if (exchange.session, exchange.twin.name) not in self._rules:
            return proceed()
        taken = self._take(exchange.session, exchange.twin.name, call.operation.label)
        if taken is None:
            return proceed()
        rule, stub, mode = taken
        exchange.notes["stub"] = {
            "operation": rule.pattern,
            "mode": mode,
            "status": stub.status,
            "queued_left": len(rule.queued),
            "forced": stub.forced,
        }
        return stub.reply()

    def reset(self, session: str) -> None:
        """Forget every stub of the session."""
        with self._lock:
            for key in [key for key in self._rules if key[0] == session]:
                del self._rules[key]

    # -- the control plane's side ------------------------------------------------------

    def queue(
        self, twin: Twin, session: str, pattern: str, stubs: list[StubResponse], *, force: bool
    ) -> dict[str, Any]:
        """Append `stubs` to the operation's queue. Raises StubRejected, NotFoundError."""
        rule = self._new_rule(twin, pattern)
        checked = [
            _checked(twin, rule, stub, f"/responses/{i}", force) for i, stub in enumerate(stubs)
        ]
        with self._lock:
            found = self._rules.get((session, twin.name), {}).get(rule.pattern)
            if len(found.queued if found else ()) + len(checked) > MAX_QUEUE:
                problem = f"a queue holds at most {MAX_QUEUE} responses"
                raise StubRejected([StubProblem(rule.pattern, "/responses", "maxItems", problem)])
            rule = self._adopt(session, twin.name, rule)
            rule.queued.extend(checked)
            return rule.describe()

    def pin(
        self, twin: Twin, session: str, pattern: str, stub: StubResponse, *, force: bool
    ) -> dict[str, Any]:
        """Answer the operation with `stub` every time (after its queue). Raises as `queue`."""
        rule = self._new_rule(twin, pattern)
        checked = _checked(twin, rule, stub, "/response", force)
        with self._lock:
            rule = self._adopt(session, twin.name, rule)
            rule.pinned = checked
            return rule.describe()

    def listed(self, session: str, twin: str) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.describe() for rule in self._rules.get((session, twin), {}).values()]

    def remove(self, twin: Twin, session: str, pattern: str | None, part: str | None = None) -> int:
        """Drop the rule of `pattern` (every rule when None), or only its "queued" or "pinned"
        part. Returns how many rules were touched."""
        key = pattern if pattern is None else self._new_rule(twin, pattern).pattern
        with self._lock:
            rules = self._rules.get((session, twin.name), {})
            chosen = [rule for name, rule in rules.items() if key in (None, name)]
            for rule in chosen:
                if part in (None, "queued"):
                    rule.queued.clear()
                if part in (None, "pinned"):
                    rule.pinned = None
                if not rule.queued and rule.pinned is None:
                    del rules[rule.pattern]
            if not rules:
                self._rules.pop((session, twin.name), None)
            return len(chosen)

    # -- inside ---------------------------------------------------------------------------

    def _take(
        self, session: str, twin: str, label: str
    ) -> tuple[StubRule, StubResponse, str] | None:
        with self._lock:
            rules = self._rules.get((session, twin))
            if not rules:
                return None
            exact = rules.get(label)
            globs = [r for r in rules.values() if r.matcher and r.matcher.fullmatch(label)]
            for rule in ([exact] if exact else []) + globs:
                if rule.queued:
                    stub, mode = rule.queued.popleft(), "queued"
                elif rule.pinned is not None:
                    stub, mode = rule.pinned, "pinned"
                else:
                    continue
                rule.served += 1
                if not rule.queued and rule.pinned is None:  # used up: reads may cache again
                    del rules[rule.pattern]
                    if not rules:
                        del self._rules[(session, twin)]
                return rule, stub, mode
            return None

    def _adopt(self, session: str, twin: str, rule: StubRule) -> StubRule:
        """The session's existing rule for the same pattern, or `rule`, now registered."""
        rules = self._rules.get((session, twin), {})
        found = rules.get(rule.pattern)
        if found is not None:
            return found
        if len(rules) >= MAX_RULES:
            problem = f"a session holds at most {MAX_RULES} stubbed operations per twin"
            raise StubRejected([StubProblem(rule.pattern, "/operation", "maxItems", problem)])
        rules[rule.pattern] = rule
        self._rules[(session, twin)] = rules
        return rule

    @staticmethod
    def _new_rule(twin: Twin, pattern: str) -> StubRule:
        labels = [operation.label for operation in twin.spec.operations]
        if "*" in pattern or "?" in pattern:
            matcher = glob_matcher(pattern)
            matched = [label for label in labels if matcher.fullmatch(label)]
            if not matched:
                raise NotFoundError(f"{pattern!r} matches no operation of twin {twin.name!r}")
            return StubRule(pattern, matcher, matched)
        method, _, path = pattern.strip().partition(" ")
        wanted = route_key(f"{method.upper()} {path.strip()}")
        for label in labels:
            if route_key(label) == wanted:
                return StubRule(label, None, [label])
        near = difflib.get_close_matches(pattern, labels, n=5)
        hint = f"; did you mean {near}?" if near else ""
        raise NotFoundError(f"twin {twin.name!r} has no operation {pattern!r}{hint}")


def glob_matcher(pattern: str) -> re.Pattern[str]:
    """`*` any run, `?` one character, everything else literal (as the journal's filter).

    Translated by `fnmatch` (with `[` made literal): it puts each run between stars in an
    atomic group, so a pattern such as `*?*?*?...X` fails in linear time instead of
    backtracking for minutes with the GIL held."""
    return re.compile(fnmatch.translate(pattern.replace("[", "[[]")))


def _checked(twin: Twin, rule: StubRule, stub: StubResponse, at: str, force: bool) -> StubResponse:
    operations = [op for op in twin.spec.operations if op.label in rule.operations]
    if stub.media_type is None and stub.body is not None:
        stub = _with_media_type(stub, operations[0].response_for(stub.status))
    problems = _wire_problems(rule.pattern, stub, at)
    if not force:
        for operation in operations:
            problems.extend(_spec_problems(twin, operation, stub, at))
    if problems:
        raise StubRejected(problems[:MAX_PROBLEMS])
    return StubResponse(
        stub.status, stub.body, stub.media_type, stub.headers, stub.delay, forced=force
    )


def _with_media_type(stub: StubResponse, declared: Response | None) -> StubResponse:
    media_type = "application/json"
    if declared is not None and declared.content:
        json_media = declared.json_media()
        chosen = json_media.media_type if json_media else next(iter(declared.content))
        if "*" not in chosen:
            media_type = chosen
    return StubResponse(stub.status, stub.body, media_type, stub.headers, stub.delay)


def _wire_problems(label: str, stub: StubResponse, at: str) -> list[StubProblem]:
    found: list[tuple[str, str, str]] = []
    if not 100 <= stub.status <= 599:
        found.append(("/status", "status", f"{stub.status} is no HTTP status (100-599)"))
    if not 0 <= stub.delay <= MAX_DELAY:
        found.append(("/delay", "maximum", f"a delay is 0-{MAX_DELAY:g} seconds"))
    if len(stub.headers) > MAX_HEADERS:
        found.append(("/headers", "maxProperties", f"at most {MAX_HEADERS} headers"))
    for name, value in stub.headers:
        where = f"/headers/{encode([name])[1:]}"
        if not _TOKEN.match(name) or name.lower() in _WIRE_HEADERS:
            why = "is set from the stub itself" if name.lower() in _WIRE_HEADERS else "no name"
            found.append((where, "header", f"{name!r}: {why}"))
        elif len(value) > MAX_HEADER_VALUE or not _wire_safe(value):
            found.append(
                (
                    where,
                    "header",
                    f"a value is latin-1 text without control characters (tab aside), "
                    f"at most {MAX_HEADER_VALUE} characters",
                )
            )
    if stub.media_type is not None and not _MEDIA_TYPE.match(stub.media_type):
        found.append(("/media_type", "media_type", f"{stub.media_type!r} is no media type"))
    elif _needs_text(stub):
        found.append(("/body", "type", f"a {stub.media_type} body is text: give a string"))
    if nesting_depth(stub.body) > MAX_BODY_DEPTH:
        found.append(("/body", "maxDepth", f"a body nests at most {MAX_BODY_DEPTH} levels deep"))
    elif stub.body is not None and _size(stub.body) > MAX_BODY_BYTES:
        found.append(("/body", "maxLength", f"a stubbed body is at most {MAX_BODY_BYTES} bytes"))
    return [StubProblem(label, at + pointer, rule, why) for pointer, rule, why in found]


def _spec_problems(
    twin: Twin, operation: Operation, stub: StubResponse, at: str
) -> list[StubProblem]:
    label = operation.label

    def problem(pointer: str, rule: str, message: str) -> list[StubProblem]:
        return [StubProblem(label, at + pointer, rule, message)]

    declared = operation.response_for(stub.status)
    if declared is None:
        codes = ", ".join(operation.responses) or "none"
        return problem("/status", "status", f"no response declared for {stub.status} ({codes})")
    if not declared.content:
        if stub.body is None:
            return []
        return problem("/body", "content", f"the {declared.status} response declares no body")
    if stub.body is None:
        return problem("/body", "required", f"the {declared.status} response declares a body")
    media = _declared_media(declared, stub.media_type or "")
    if media is None:
        offered = sorted(declared.content)
        return problem("/media_type", "media_type", f"{stub.media_type} is not one of {offered}")
    if not is_json_media_type(stub.media_type or "") or not media.schema:
        return []
    return _schema_problems(twin, label, media, stub.body, f"{at}/body")


def _declared_media(declared: Response, media_type: str) -> MediaType | None:
    base = media_type.split(";", 1)[0].strip().lower()
    for name, media in declared.content.items():
        offered = name.split(";", 1)[0].strip().lower()
        if offered in (base, "*/*") or (offered.endswith("/*") and base.startswith(offered[:-1])):
            return media
    return None


def _schema_problems(
    twin: Twin, label: str, media: MediaType, body: Any, at: str
) -> list[StubProblem]:
    try:
        validator = schema_validator(twin.spec, media.schema, validate_formats=True)
    except (ValueError, jsonschema_rs.ReferencingError):
        return []  # the twin cannot check this schema for its own replies either
    problems = []
    for error in validator.iter_errors(body):
        pointer = at + encode(error.instance_path)
        problems.append(StubProblem(label, pointer, error.kind.name, error.message))
        if len(problems) >= MAX_PROBLEMS:
            break
    return problems


def _needs_text(stub: StubResponse) -> bool:
    """A non-JSON media type with a body that is no string: there is no text to send."""
    textual = stub.media_type is not None and not is_json_media_type(stub.media_type)
    return textual and stub.body is not None and not isinstance(stub.body, str)


def _wire_safe(value: str) -> bool:
    """Latin-1 without control characters (tab aside): uvicorn refuses to send the rest, and
    the client would get a dropped connection instead of the stub."""
    return _HEADER_VALUE.fullmatch(value) is not None


def nesting_depth(value: Any) -> int:
    """How deep arrays and objects nest in a JSON value (a scalar: 0). Iterative: the value
    may be deeper than Python's recursion limit."""
    deepest = 0
    waiting: list[tuple[Any, int]] = [(value, 0)]
    while waiting:
        item, depth = waiting.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth + 1)
            waiting.extend((child, depth + 1) for child in item)
    return deepest


def _size(body: Any) -> int:
    if isinstance(body, str):
        return len(body.encode())
    try:
        return len(orjson.dumps(body))
    except orjson.JSONEncodeError:  # integers beyond 64 bits: the server falls back as well
        return len(json.dumps(body, default=str))
