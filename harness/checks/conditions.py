"""JSON pointers into outputs and journal entries, and the conditions checks put on them."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from typing import Any

from harness.scenario import Condition, Count, render
from harness.scenario.template import TemplateError

MISSING = object()


def resolve(document: Any, pointer: str) -> Any:
    """The value at an RFC 6901 pointer, or MISSING."""
    if pointer in ("", "/"):
        return document
    current = document
    for raw in pointer.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(current, dict) and token in current:
            current = current[token]
        elif isinstance(current, list) and token.isdigit() and int(token) < len(current):
            current = current[int(token)]
        else:
            return MISSING
    return current


def holds(condition: Condition, document: Any, context: dict[str, Any]) -> tuple[bool, str]:
    """Whether the condition holds on `document`, and what was seen (for the detail)."""
    actual = resolve(document, condition.pointer)
    if actual is MISSING:
        return False, f"nothing at {condition.pointer}"
    try:
        if condition.has_equals:
            expected = render(condition.equals, context)
            return actual == expected, f"{condition.pointer} is {actual!r}, expected {expected!r}"
        if condition.contains is not None:
            needle = render(condition.contains, context)
            return _contains(
                actual, needle
            ), f"{condition.pointer} is {_short(actual)}, expected to contain {needle!r}"
    except TemplateError as error:
        return False, str(error)
    pattern = condition.matches or ""
    found = isinstance(actual, str) and re.search(pattern, actual) is not None
    return found, f"{condition.pointer} is {_short(actual)}, expected to match {pattern!r}"


def _contains(actual: Any, needle: Any) -> bool:
    if isinstance(actual, str):
        return str(needle) in actual
    if isinstance(actual, list):
        return needle in actual
    if isinstance(actual, dict):
        return isinstance(needle, dict) and all(
            actual.get(key) == value for key, value in needle.items()
        )
    return False


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def counted(count: Count, seen: int) -> tuple[bool, str]:
    if count.exactly is not None:
        return seen == count.exactly, f"{seen}, expected exactly {count.exactly}"
    low = count.at_least if count.at_least is not None else 0
    high = count.at_most
    within = seen >= low and (high is None or seen <= high)
    bounds = " and ".join(
        part
        for part in (
            f"at least {count.at_least}" if count.at_least is not None else "",
            f"at most {high}" if high is not None else "",
        )
        if part
    )
    return within, f"{seen}, expected {bounds}"


def entries_of(
    journal: list[dict[str, Any]], twin: str, operation: str, status: int | None = None
) -> list[dict[str, Any]]:
    """Journal entries of a twin whose operation label matches a glob, in the order they came."""
    return [
        entry
        for entry in journal
        if fnmatchcase(str(entry.get("twin", "")), twin)
        and fnmatchcase(str(entry.get("operation", "")), operation)
        and (status is None or entry.get("status") == status)
    ]


def header(headers: Any, name: str) -> str | None:
    if not isinstance(headers, dict):
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if str(key).lower() == wanted:
            return str(value)
    return None
