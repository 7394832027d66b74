"""Reading a scenario's steps: one mapping each, holding `name` and exactly one kind key."""

from __future__ import annotations

from collections.abc import Callable

from harness.scenario.model import (
    ClockStep,
    CommandStep,
    FaultsStep,
    HttpStep,
    SleepStep,
    Step,
    WaitForStep,
)
from harness.scenario.reader import Node, required

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


def parse_step(node: Node) -> Step:
    fields = node.mapping()
    kinds = [kind for kind in STEP_KINDS if kind in fields]
    if len(kinds) != 1:
        raise node.fail(f"a step has exactly one kind key, one of {sorted(STEP_KINDS)}")
    kind = kinds[0]
    name = fields["name"].text(100) if "name" in fields else None
    for key, value in fields.items():
        if key not in (kind, "name"):
            raise value.fail(f"unknown field; a step holds `name` and `{kind}`")
    return STEP_KINDS[kind](fields[kind], name)


def _http(node: Node, name: str | None) -> HttpStep:
    allowed = {"method", "path", "json", "form", "headers", "expect_status", "save", "timeout"}
    fields = node.mapping(allowed)
    method = required(fields, node, "method").text(10).upper()
    if method not in METHODS:
        raise fields["method"].fail(f"must be one of {sorted(METHODS)}")
    if "json" in fields and "form" in fields:
        raise node.fail("give either `json` or `form`, not both")
    path = required(fields, node, "path").text(2000)
    if not path.startswith("/"):
        raise fields["path"].fail("must start with '/' (a path on the app)")
    return HttpStep(
        method=method,
        path=path,
        json=fields["json"].value if "json" in fields else None,
        form=fields["form"].strings(100) if "form" in fields else None,
        headers=fields["headers"].strings(50) if "headers" in fields else {},
        expect_status=fields["expect_status"].integer(100, 599)
        if "expect_status" in fields
        else None,
        save=_saves(fields),
        timeout=fields["timeout"].number(0.1, 300) if "timeout" in fields else 30.0,
        name=name,
    )


def _saves(fields: dict[str, Node]) -> dict[str, str]:
    if "save" not in fields:
        return {}
    saves = fields["save"].strings(50)
    for variable, pointer in saves.items():
        if pointer and not pointer.startswith("/"):
            raise (
                fields["save"]
                .child(variable, pointer)
                .fail("must be a JSON pointer starting with '/'")
            )
    return saves


def _command(node: Node, name: str | None) -> CommandStep:
    fields = node.mapping({"args", "expect_exit", "save", "timeout"})
    return CommandStep(
        args=tuple(item.scalar_text() for item in required(fields, node, "args").items(100)),
        expect_exit=fields["expect_exit"].integer(0, 255) if "expect_exit" in fields else None,
        save=_saves(fields),
        timeout=fields["timeout"].number(0.1, 600) if "timeout" in fields else 60.0,
        name=name,
    )


def _wait_for(node: Node, name: str | None) -> WaitForStep:
    fields = node.mapping({"twin", "operation", "status", "timeout"})
    return WaitForStep(
        twin=required(fields, node, "twin").text(100),
        operation=required(fields, node, "operation").text(500),
        status=fields["status"].integer(100, 599) if "status" in fields else None,
        timeout=fields["timeout"].number(0.1, 120) if "timeout" in fields else 10.0,
        name=name,
    )


def _clock(node: Node, name: str | None) -> ClockStep:
    fields = node.mapping({"advance", "set"})
    if len(fields) != 1:
        raise node.fail("give exactly one of `advance` (seconds) or `set` (epoch seconds)")
    if "advance" in fields:
        return ClockStep(advance=fields["advance"].number(0, 10 * 365 * 86400), name=name)
    return ClockStep(set=fields["set"].number(0, 4_102_444_800), name=name)


def _faults(node: Node, name: str | None) -> FaultsStep:
    rules = []
    for item in node.items(50):
        item.mapping()
        rules.append(dict(item.value))
    return FaultsStep(rules=tuple(rules), name=name)


def _sleep(node: Node, name: str | None) -> SleepStep:
    return SleepStep(seconds=node.number(0, 60), name=name)


STEP_KINDS: dict[str, Callable[[Node, str | None], Step]] = {
    "http": _http,
    "command": _command,
    "wait_for": _wait_for,
    "clock": _clock,
    "faults": _faults,
    "sleep": _sleep,
}
