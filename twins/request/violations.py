"""Turning jsonschema_rs errors into `Violation`s that name the field and the broken keyword."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from twins.errors import ValidationFailed, Violation

MAX_VIOLATIONS = 20  # enough to fix a request; a 10 MB body must not produce 10 MB of errors
# jsonschema_rs quotes the offending value in its message; a 40 kB string must not make a
# 40 kB message (error schemas cap theirs: Stripe's `message` at 40,000 characters).
MAX_MESSAGE = 500
_KEPT_HEAD, _KEPT_TAIL = 300, 150


def dotted(path: Iterable[str | int]) -> str:
    return ".".join(str(part) for part in path)


def from_errors(errors: Iterable[Any], location: str | None) -> list[Violation]:
    """Violations for jsonschema_rs errors; `location=None` takes it from the first path part."""
    found: list[Violation] = []
    for error in errors:
        for narrowed in _narrow(error):
            found.extend(_violations(narrowed, location))
        if len(found) >= MAX_VIOLATIONS:
            break
    return found[:MAX_VIOLATIONS]


def failure(violations: list[Violation]) -> ValidationFailed:
    """One exception for all violations; its message leads with the first."""
    more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
    return ValidationFailed(f"invalid request: {violations[0].describe()}{more}", violations)


def _narrow(error: Any) -> Iterator[Any]:
    # "not valid under any of the schemas" helps nobody. When every alternative but one fails
    # on the type of the value itself, the client meant that one: report its errors instead.
    if error.kind.name not in ("anyOf", "oneOf"):
        yield error
        return
    branches: list[list[Any]] = getattr(error.kind, "context", None) or []
    plausible = [branch for branch in branches if not _wrong_type(branch, error.instance_path)]
    if len(plausible) != 1 or not plausible[0]:
        yield error
        return
    for inner in plausible[0]:
        yield from _narrow(inner)


def _wrong_type(branch: list[Any], path: list[str | int]) -> bool:
    return any(e.kind.name == "type" and e.instance_path == path for e in branch)


def _violations(error: Any, location: str | None) -> list[Violation]:
    path: list[str | int] = list(error.instance_path)
    if location is None:
        location = str(path.pop(0)) if path else "request"
    # The kind's name is the keyword (`minimum`, `falseSchema`); the schema path's last part is
    # not always one (`properties/x` for `x: false`).
    rule = kind = error.kind.name
    if kind == "required":
        missing = error.kind.property
        return [Violation(location, dotted([*path, missing]), "required", bounded(error.message))]
    if kind == "additionalProperties":
        return [
            Violation(
                location, dotted([*path, extra]), rule, bounded(f"{extra!r} is not allowed here")
            )
            for extra in error.kind.unexpected
        ]
    return [Violation(location, dotted(path), rule, bounded(error.message))]


def bounded(message: str) -> str:
    """MESSAGE, its middle left out when it is longer than MAX_MESSAGE characters (the rule
    that was broken is stated at its end, so the end is kept)."""
    if len(message) <= MAX_MESSAGE:
        return message
    left_out = len(message) - _KEPT_HEAD - _KEPT_TAIL
    return f"{message[:_KEPT_HEAD]}...({left_out} characters)...{message[-_KEPT_TAIL:]}"
