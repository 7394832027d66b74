"""Fault rules of a session: set, add, list and remove them (see `twins.faults`)."""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase
from http import HTTPStatus
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from twins.app import TwinServer
from twins.control.common import checked_session
from twins.faults import (
    MAX_LATENCY_MS,
    MAX_RULES,
    FaultRule,
    FaultStage,
    Latency,
    RuleBookError,
)
from twins.stubs import MAX_BODY_DEPTH, nesting_depth

MAX_BODY_BYTES = 64 * 1024
MAX_HEADERS = 20
MAX_SEQUENCE = 1000
_FORBIDDEN_HEADERS = frozenset(
    {"content-length", "content-type", "transfer-encoding", "connection"}
)
# What a server may send in a header value (uvicorn refuses the rest and drops the reply).
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")
_TOKEN_CHARS = frozenset(
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)

Milliseconds = Annotated[float, Field(ge=0, le=MAX_LATENCY_MS)]
ErrorStatus = Annotated[int, Field(ge=400, le=599)]
SequenceWord = Literal["ok", "reset", "timeout", "truncate", "malformed"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Uniform(_Strict):
    uniform: tuple[Milliseconds, Milliseconds] = Field(description="[low, high] in ms.")

    @model_validator(mode="after")
    def ordered(self) -> Uniform:
        if self.uniform[0] > self.uniform[1]:
            raise ValueError(f"uniform [{self.uniform[0]:g}, {self.uniform[1]:g}]: low > high")
        return self


class NormalParameters(_Strict):
    mean: Milliseconds
    sd: Milliseconds


class Normal(_Strict):
    normal: NormalParameters = Field(description="Mean and standard deviation in ms.")


class Exponential(_Strict):
    exponential: Annotated[float, Field(gt=0, le=MAX_LATENCY_MS)] = Field(description="Mean in ms.")


def _latency_shape(given: Any) -> str | None:
    """Which form a latency takes, so a mistake is reported against that form alone."""
    if isinstance(given, int | float) and not isinstance(given, bool):
        return "fixed"
    if isinstance(given, dict) and len(given) == 1:
        (form,) = given
        return form if form in ("uniform", "normal", "exponential") else None
    if isinstance(given, Uniform | Normal | Exponential):
        return next(iter(type(given).model_fields))
    return None


LatencyIn = Annotated[
    Annotated[Milliseconds, Tag("fixed")]
    | Annotated[Uniform, Tag("uniform")]
    | Annotated[Normal, Tag("normal")]
    | Annotated[Exponential, Tag("exponential")],
    Discriminator(
        _latency_shape,
        custom_error_type="latency",
        custom_error_message="latency is ms, or one of {uniform: [low, high]}, "
        "{normal: {mean, sd}}, {exponential: mean}",
    ),
]


class FaultRuleIn(_Strict):
    kind: Literal["latency", "error", "sequence", "reset", "timeout", "truncate", "malformed"]
    id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9._-]{1,64}$",
        description="A name for the rule (default f1, f2, ...); draws derive from it.",
    )
    twin: str = Field(default="*", min_length=1, max_length=200, description="Glob on twins.")
    operation: str = Field(
        default="*",
        min_length=1,
        max_length=500,
        description='Glob on operation labels, e.g. "POST /v1/*".',
    )
    latency: LatencyIn | None = Field(
        default=None,
        description="Wait first: ms, or {uniform: [a, b]}, {normal: {mean, sd}}, "
        "{exponential: mean}. For a timeout: how long the connection is held (default 30 s).",
    )
    status: ErrorStatus | None = Field(default=None, description="error: the status answered.")
    body: Any = Field(default=None, description="error: the body (default: the vendor's).")
    headers: dict[str, str] = Field(default_factory=dict, description="error: extra headers.")
    sequence: list[ErrorStatus | SequenceWord] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_SEQUENCE,
        description='sequence: one step per matching request, e.g. [503, 503, "ok"].',
    )
    probability: float = Field(default=1.0, ge=0, le=1, description="Chance to fire per match.")
    count: int | None = Field(default=None, ge=1, le=10**9, description="Fire at most N times.")
    after: int = Field(default=0, ge=0, le=10**9, description="Let the first N matches pass.")

    @model_validator(mode="after")
    def fits_its_kind(self) -> FaultRuleIn:
        for problem in _problems(self):
            raise ValueError(problem)
        return self

    def rule(self) -> FaultRule:
        return FaultRule(
            kind=self.kind,
            id=self.id or "",
            twin=self.twin,
            operation=self.operation,
            latency=_latency(self.latency),
            status=self.status,
            body=self.body,
            headers=tuple(self.headers.items()),
            sequence=tuple(self.sequence or ()),
            probability=self.probability,
            count=self.count,
            after=self.after,
        )


class FaultRulesIn(_Strict):
    rules: list[FaultRuleIn] = Field(max_length=MAX_RULES, description="In the order tried.")


def _problems(rule: FaultRuleIn) -> list[str]:
    only_for_errors = {"status": rule.status, "body": rule.body, "headers": rule.headers or None}
    problems = [
        f"{name!r} is for kind 'error', not {rule.kind!r}"
        for name, value in only_for_errors.items()
        if value is not None and rule.kind != "error"
    ]
    if rule.kind == "latency" and rule.latency is None:
        problems.append("kind 'latency' needs 'latency' (ms or a distribution)")
    if rule.kind == "error" and rule.status is None:
        problems.append("kind 'error' needs 'status' (400-599)")
    if (rule.sequence is None) == (rule.kind == "sequence"):
        problems.append("'sequence' goes with kind 'sequence', and kind 'sequence' needs it")
    statuses = [rule.status] if rule.status is not None else []
    statuses += [step for step in rule.sequence or () if isinstance(step, int)]
    problems += [f"{status} is no HTTP status" for status in statuses if not _known(status)]
    if nesting_depth(rule.body) > MAX_BODY_DEPTH:  # orjson and the answer stop at ~250
        problems.append(f"'body' nests more than {MAX_BODY_DEPTH} levels deep")
    elif rule.body is not None and len(_encoded(rule.body)) > MAX_BODY_BYTES:
        problems.append(f"'body' is over {MAX_BODY_BYTES} bytes")
    problems += _header_problems(rule.headers)
    return problems


def _encoded(body: Any) -> bytes:
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:  # integers beyond 64 bits: the reply falls back as well
        return json.dumps(body, separators=(",", ":")).encode()


def _header_problems(headers: dict[str, str]) -> list[str]:
    problems = [f"at most {MAX_HEADERS} headers"] if len(headers) > MAX_HEADERS else []
    for name, value in headers.items():
        if not name or not set(name) <= _TOKEN_CHARS:
            problems.append(f"header name {name!r} is not an HTTP token")
        elif name.lower() in _FORBIDDEN_HEADERS:
            problems.append(f"header {name!r} is set by the server")
        if not _HEADER_VALUE.fullmatch(value) or len(value) > 4096:
            problems.append(
                f"header {name!r}: a value is at most 4096 latin-1 characters, without control "
                "characters (tab aside)"
            )
    return problems


def _known(status: int) -> bool:
    try:
        HTTPStatus(status)
    except ValueError:
        return False
    return True


def _latency(given: LatencyIn | None) -> Latency | None:
    if given is None:
        return None
    if isinstance(given, Uniform):
        return Latency("uniform", given.uniform)
    if isinstance(given, Normal):
        return Latency("normal", (given.normal.mean, given.normal.sd))
    if isinstance(given, Exponential):
        return Latency("exponential", (given.exponential,))
    return Latency("fixed", (float(given),))


def fault_stage(server: TwinServer) -> FaultStage:
    found = next((s for s in server.stages if isinstance(s, FaultStage)), None)
    if found is None:
        raise HTTPException(404, "this server runs without fault injection")
    return found


def router_for(server: TwinServer) -> APIRouter:
    api = APIRouter(tags=["faults"])
    path = "/_twin/sessions/{session}/faults"

    def checked(session: str, rules: list[FaultRuleIn]) -> tuple[list[FaultRule], list[str]]:
        checked_session(session)
        warnings: list[str] = []
        for index, given in enumerate(rules):
            twins = [t for name, t in server.twins.items() if fnmatchcase(name, given.twin)]
            if not twins:
                raise HTTPException(
                    422,
                    f"rule {index}: twin {given.twin!r} matches no twin; twins: "
                    f"{sorted(server.twins)}",
                )
            labels = (op.label for twin in twins for op in twin.spec.operations)
            if not any(fnmatchcase(label, given.operation) for label in labels):
                warnings.append(
                    f"rule {index}: operation {given.operation!r} matches no operation of "
                    f"{given.twin!r} (labels look like 'POST /v1/customers/{{customer}}')"
                )
        return [given.rule() for given in rules], warnings

    @api.get(path, summary="A session's fault rules, with how often each matched and fired")
    def listed(session: str) -> dict[str, Any]:
        return {
            "session": session,
            "rules": fault_stage(server).rules.listed(checked_session(session)),
        }

    @api.put(path, summary="Replace a session's fault rules (their counters start again)")
    def replace(session: str, body: FaultRulesIn) -> dict[str, Any]:
        rules, warnings = checked(session, body.rules)
        try:
            stored = fault_stage(server).rules.replace(session, rules)
        except RuleBookError as error:
            raise HTTPException(422, str(error)) from error
        return {"session": session, "rules": [r.describe() for r in stored], "warnings": warnings}

    @api.post(path, summary="Add one fault rule after a session's others", status_code=201)
    def append(session: str, body: FaultRuleIn) -> dict[str, Any]:
        (rule,), warnings = checked(session, [body])
        try:
            stored = fault_stage(server).rules.append(session, rule)
        except RuleBookError as error:
            raise HTTPException(422, str(error)) from error
        return {"session": session, "rule": stored.describe(), "warnings": warnings}

    @api.delete(path, summary="Remove every fault rule of a session")
    def clear(session: str) -> dict[str, Any]:
        removed = fault_stage(server).rules.clear(checked_session(session))
        return {"session": session, "removed": removed}

    @api.delete(path + "/{rule_id}", summary="Remove one fault rule")
    def remove(session: str, rule_id: str) -> dict[str, Any]:
        if not fault_stage(server).rules.remove(checked_session(session), rule_id):
            raise HTTPException(404, f"session {session!r} has no fault rule {rule_id!r}")
        return {"session": session, "removed": rule_id}

    return api
