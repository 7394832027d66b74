"""A scenario as data: the world a trial starts from, what the user does, and what satisfies
them. YAML files and Python modules both produce these classes (see docs/scenarios.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

JsonValue = Any  # what JSON (and so YAML scenarios) can hold


@dataclass(frozen=True)
class Variable:
    """A value drawn per trial from its seed: a faker provider, an int range or a choice."""

    name: str
    faker: str | None = None  # a faker.Faker provider without arguments: "email", "name"
    int_range: tuple[int, int] | None = None  # inclusive
    choice: tuple[JsonValue, ...] | None = None


@dataclass(frozen=True)
class TwinWorld:
    """How one twin's world starts: records to seed, or a snapshot to fork the session from."""

    twin: str
    resources: tuple[ResourceSeed, ...] = ()
    snapshot: str | None = None


@dataclass(frozen=True)
class ResourceSeed:
    resource: str  # a resource name or collection path ("authors", "/authors")
    records: tuple[dict[str, JsonValue], ...]
    parent: dict[str, str] | None = None  # path parameters of a nested collection


@dataclass(frozen=True)
class HttpStep:
    method: str
    path: str  # on the app, templated
    json: JsonValue = None
    form: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    expect_status: int | None = None
    save: dict[str, str] = field(default_factory=dict)  # variable -> JSON pointer in the reply
    timeout: float = 30.0
    name: str | None = None
    kind: Literal["http"] = "http"


@dataclass(frozen=True)
class CommandStep:
    args: tuple[str, ...]  # appended to the app's argv, templated
    expect_exit: int | None = None
    save: dict[str, str] = field(default_factory=dict)  # from stdout parsed as JSON
    timeout: float = 60.0
    name: str | None = None
    kind: Literal["command"] = "command"


@dataclass(frozen=True)
class WaitForStep:
    twin: str
    operation: str  # glob over operation labels: "POST /orders*"
    status: int | None = None
    timeout: float = 10.0
    name: str | None = None
    kind: Literal["wait_for"] = "wait_for"


@dataclass(frozen=True)
class ClockStep:
    advance: float | None = None  # seconds
    set: float | None = None  # epoch seconds; freezes the clock there
    name: str | None = None
    kind: Literal["clock"] = "clock"


@dataclass(frozen=True)
class FaultsStep:
    rules: tuple[dict[str, JsonValue], ...]  # the twins' fault rules, tried before the profile's
    name: str | None = None
    kind: Literal["faults"] = "faults"


@dataclass(frozen=True)
class SleepStep:
    seconds: float
    name: str | None = None
    kind: Literal["sleep"] = "sleep"


Step = HttpStep | CommandStep | WaitForStep | ClockStep | FaultsStep | SleepStep


@dataclass(frozen=True)
class Condition:
    """A test on the value at `pointer`: equality, containment (substring or member) or a regex."""

    pointer: str
    equals: JsonValue = None
    contains: JsonValue = None
    matches: str | None = None
    has_equals: bool = False  # `equals: null` is a real expectation, so presence is explicit


@dataclass(frozen=True)
class Count:
    exactly: int | None = None
    at_least: int | None = None
    at_most: int | None = None


@dataclass(frozen=True)
class CheckMeta:
    name: str
    weight: float = 1.0
    critical: bool = False
    behaviour: str = ""


@dataclass(frozen=True)
class ResponseCheck:
    """On an app output: the reply of an http step or the result of a command step."""

    meta: CheckMeta
    step: str  # a step's name
    status: int | None = None
    exit_code: int | None = None
    stdout_contains: str | None = None
    conditions: tuple[Condition, ...] = ()  # pointers into the JSON reply (or stdout JSON)
    kind: Literal["response"] = "response"


@dataclass(frozen=True)
class JournalCheck:
    """How many requests (or webhooks) a twin saw that match."""

    meta: CheckMeta
    twin: str
    operation: str
    count: Count
    status: int | None = None
    where: tuple[Condition, ...] = ()  # pointers into the journal entry: "/request/body/text"
    kind: Literal["journal"] = "journal"


@dataclass(frozen=True)
class StateCheck:
    """How many records of a twin's resource, at the end, satisfy conditions on their body."""

    meta: CheckMeta
    twin: str
    resource: str
    count: Count
    where: tuple[Condition, ...] = ()
    kind: Literal["state"] = "state"


ResilienceKind = Literal[
    "honours_retry_after", "reuses_idempotency_key", "no_duplicate_side_effects"
]


@dataclass(frozen=True)
class ResilienceCheck:
    meta: CheckMeta
    kind: ResilienceKind
    twin: str
    operation: str
    fields: tuple[str, ...] = ()  # pointers into request bodies (no_duplicate_side_effects)


Check = ResponseCheck | JournalCheck | StateCheck | ResilienceCheck


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    story: str  # the user story: for humans and judges, never shown to the agent
    twins: tuple[str, ...]
    steps: tuple[Step, ...]
    checks: tuple[Check, ...]
    world: tuple[TwinWorld, ...] = ()
    variables: tuple[Variable, ...] = ()
    weight: float = 1.0
    critical: bool = False
    threshold: float = 1.0  # the score a trial needs to be satisfied
    source: str = ""  # the file it came from
