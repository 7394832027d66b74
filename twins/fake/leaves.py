"""Small pieces of leaf plans: inferred types, enums, retries, copies of constants."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from twins.fake.choice import NULL_CHANCE, OBJECT_COST
from twins.fake.merge import canonical
from twins.fake.run import Gen, Run

CHECK_ATTEMPTS = 6

_INFERRED_TYPES = (
    (
        "object",
        (
            "properties",
            "additionalProperties",
            "patternProperties",
            "required",
            "minProperties",
            "maxProperties",
            "propertyNames",
            "dependentRequired",
        ),
    ),
    ("array", ("items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains")),
    ("string", ("pattern", "format", "minLength", "maxLength")),
    ("number", ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")),
)


def types_of(schema: dict[str, Any]) -> tuple[str, ...]:
    """The schema's types in order, inferred from its keywords when `type` is absent."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return (declared,)
    if isinstance(declared, list) and declared:
        return tuple(dict.fromkeys(t for t in declared if isinstance(t, str)))
    for inferred, keywords in _INFERRED_TYPES:
        if any(k in schema for k in keywords):
            return (inferred,)
    return ("any",)


def _json_type_fits(value: Any, types: tuple[str, ...]) -> bool:
    if "any" in types or value is None:
        return "any" in types or "null" in types
    if isinstance(value, bool):
        return "boolean" in types
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer" in types or "number" in types
    named = {float: "number", str: "string", list: "array", dict: "object"}
    return named.get(type(value)) in types


def copied(value: Any) -> Any:
    return copy.deepcopy(value) if isinstance(value, dict | list) else value


def retrying(gen: Gen, accept: Callable[[Any], bool], attempts: int = CHECK_ATTEMPTS) -> Gen:
    def retried(run: Run, depth: int) -> Any:
        value = gen(run, depth)
        for _ in range(attempts):
            if accept(value):
                break
            value = gen(run, depth)
        return value

    return retried


def references(branches: list[Any], costs: tuple[int, ...]) -> frozenset[int]:
    """Plain-string branches beside an object branch: ids of that object (Stripe's expandables)."""
    if max(costs) < OBJECT_COST:
        return frozenset()
    return frozenset(
        i
        for i, branch in enumerate(branches)
        if isinstance(branch, dict)
        and branch.get("type") == "string"
        and not any(k in branch for k in ("format", "pattern", "enum", "const"))
    )


def serialisable(value: Any) -> bool:
    try:
        canonical(value)
    except TypeError:
        return False
    return True


def either(gens: list[Gen]) -> Gen:
    return lambda run, depth: run.rng.choice(gens)(run, depth)


def enum_gen(enum: list[Any], types: tuple[str, ...]) -> Gen:
    allowed = [v for v in enum if _json_type_fits(v, types)] or enum
    values = [v for v in allowed if v is not None]
    nullable = len(values) < len(allowed)
    if not values:
        return lambda run, depth: None

    def gen(run: Run, depth: int) -> Any:
        if nullable and (depth < 0 or run.rng.random() < NULL_CHANCE):
            return None
        return copied(run.rng.choice(values))

    return gen
