"""Reading a scenario's checks: `check` names the kind; `name`, `weight`, `critical` and
`behaviour` are common to all."""

from __future__ import annotations

import re
from collections.abc import Callable

from harness.scenario.model import (
    Check,
    CheckMeta,
    Condition,
    Count,
    JournalCheck,
    ResilienceCheck,
    ResilienceKind,
    ResponseCheck,
    StateCheck,
)
from harness.scenario.reader import Node, optional_items, required

RESILIENCE: tuple[ResilienceKind, ...] = (
    "honours_retry_after",
    "reuses_idempotency_key",
    "no_duplicate_side_effects",
)

META_FIELDS = {"check", "name", "weight", "critical", "behaviour"}


def parse_check(node: Node) -> Check:
    fields = node.mapping()
    kind = required(fields, node, "check").text(50)
    builders: dict[str, Callable[[Node, dict[str, Node], CheckMeta], Check]] = {
        "response": _response,
        "journal": _journal,
        "state": _state,
    }
    if kind not in builders and kind not in RESILIENCE:
        raise fields["check"].fail(f"unknown check kind; one of {sorted([*builders, *RESILIENCE])}")
    meta = CheckMeta(
        name=fields["name"].text(200)
        if "name" in fields
        else f"{kind} #{node.pointer.rsplit('/', 1)[-1]}",
        weight=fields["weight"].number(0, 1000) if "weight" in fields else 1.0,
        critical=fields["critical"].boolean() if "critical" in fields else False,
        behaviour=fields["behaviour"].text(1000) if "behaviour" in fields else "",
    )
    body = {key: value for key, value in fields.items() if key not in META_FIELDS}
    if kind in builders:
        return builders[kind](node, body, meta)
    return _resilience(node, body, meta, kind)


def _only(node: Node, body: dict[str, Node], allowed: set[str]) -> None:
    for key, value in body.items():
        if key not in allowed:
            raise value.fail(f"unknown field; expected one of {sorted(allowed | META_FIELDS)}")


def _response(node: Node, body: dict[str, Node], meta: CheckMeta) -> ResponseCheck:
    _only(node, body, {"step", "status", "exit_code", "stdout_contains", "json"})
    return ResponseCheck(
        meta=meta,
        step=required(body, node, "step").text(100),
        status=body["status"].integer(100, 599) if "status" in body else None,
        exit_code=body["exit_code"].integer(0, 255) if "exit_code" in body else None,
        stdout_contains=body["stdout_contains"].text(10_000) if "stdout_contains" in body else None,
        conditions=tuple(_condition(item) for item in optional_items(body, "json", 50)),
    )


def _journal(node: Node, body: dict[str, Node], meta: CheckMeta) -> JournalCheck:
    _only(node, body, {"twin", "operation", "status", "where", *COUNTS})
    return JournalCheck(
        meta=meta,
        twin=required(body, node, "twin").text(100),
        operation=required(body, node, "operation").text(500),
        status=body["status"].integer(100, 599) if "status" in body else None,
        where=tuple(_condition(item) for item in optional_items(body, "where", 50)),
        count=_count(node, body),
    )


def _state(node: Node, body: dict[str, Node], meta: CheckMeta) -> StateCheck:
    _only(node, body, {"twin", "resource", "where", *COUNTS})
    return StateCheck(
        meta=meta,
        twin=required(body, node, "twin").text(100),
        resource=required(body, node, "resource").text(200),
        where=tuple(_condition(item) for item in optional_items(body, "where", 50)),
        count=_count(node, body),
    )


def _resilience(node: Node, body: dict[str, Node], meta: CheckMeta, kind: str) -> ResilienceCheck:
    duplicates = kind == "no_duplicate_side_effects"
    _only(node, body, {"twin", "operation", "fields"} if duplicates else {"twin", "operation"})
    fields = (
        tuple(item.pointer_text() for item in required(body, node, "fields").items(20))
        if duplicates
        else ()
    )
    return ResilienceCheck(
        meta=meta,
        kind=next(known for known in RESILIENCE if known == kind),  # narrowed to the Literal
        twin=required(body, node, "twin").text(100),
        operation=required(body, node, "operation").text(500),
        fields=fields,
    )


COUNTS = ("exactly", "at_least", "at_most")


def _count(node: Node, body: dict[str, Node]) -> Count:
    given = {key: body[key].integer(0, 1_000_000) for key in COUNTS if key in body}
    if not given:
        raise node.fail(f"give a count: one or more of {list(COUNTS)}")
    if "exactly" in given and len(given) > 1:
        raise body["exactly"].fail("`exactly` cannot be combined with `at_least`/`at_most`")
    return Count(**given)


def _condition(node: Node) -> Condition:
    fields = node.mapping({"pointer", "equals", "contains", "matches"})
    tests = [key for key in ("equals", "contains", "matches") if key in fields]
    if len(tests) != 1:
        raise node.fail("give `pointer` and exactly one of `equals`, `contains`, `matches`")
    matches = fields["matches"].text(500) if "matches" in fields else None
    if matches is not None:
        try:
            re.compile(matches)
        except re.error as error:
            raise fields["matches"].fail(f"is not a regular expression: {error}") from error
    return Condition(
        pointer=required(fields, node, "pointer").pointer_text(),
        equals=fields["equals"].value if "equals" in fields else None,
        contains=fields["contains"].value if "contains" in fields else None,
        matches=matches,
        has_equals="equals" in fields,
    )
