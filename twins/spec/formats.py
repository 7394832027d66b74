"""Integer formats as bounds: `format: int32` made into the `minimum`/`maximum` it implies.

JSON Schema validators check formats of strings only, so `type: integer, format: int32` would
take 2**31. The normalised document says the range out loud instead, and every reader of it (the
request validator, response checks, data generation) sees the same bounds. A bound the schema
already states, inclusive or exclusive, is kept when it is at least as tight.
"""

from __future__ import annotations

from typing import Any

INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
}


def bound_integer_format(node: dict[str, Any]) -> None:
    """Give an integer schema with a sized `format` the bounds of that size, in place.

    Expects a repaired 2020-12 node: numeric bounds, `exclusiveMinimum` as a number.
    """
    fmt = node.get("format")
    if not isinstance(fmt, str) or fmt not in INTEGER_RANGES or not _is_integer(node):
        return
    low, high = INTEGER_RANGES[fmt]
    # For an integer, `exclusiveMinimum: low - 1` already means `minimum: low`.
    if not (_at_least(node, "minimum", low) or _at_least(node, "exclusiveMinimum", low - 1)):
        node["minimum"] = low
    if not (_at_most(node, "maximum", high) or _at_most(node, "exclusiveMaximum", high + 1)):
        node["maximum"] = high


def _is_integer(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    return kind == "integer" or (isinstance(kind, list) and "integer" in kind)


def _at_least(node: dict[str, Any], keyword: str, value: int) -> bool:
    bound = _number(node, keyword)
    return bound is not None and bound >= value


def _at_most(node: dict[str, Any], keyword: str, value: int) -> bool:
    bound = _number(node, keyword)
    return bound is not None and bound <= value


def _number(node: dict[str, Any], keyword: str) -> int | float | None:
    value = node.get(keyword)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None
