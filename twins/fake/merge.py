"""`allOf`: fold composition-free schemas into one, keeping the tightest of each constraint.

What cannot be folded (two different patterns, two `not`s, two conditionals) is kept under
`ALSO` as schemas the drawn value is checked against afterwards. Inputs are never mutated.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Any

import orjson

Schema = dict[str, Any]

ALSO = "x-dtu-also"
_LOWER_BOUNDS = ("minimum", "minLength", "minItems", "minProperties", "minContains")
_UPPER_BOUNDS = ("maximum", "maxLength", "maxItems", "maxProperties", "maxContains")
_SUBSCHEMAS = ("items", "additionalProperties", "propertyNames", "unevaluatedProperties")
_SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas")
_FLAGS = ("uniqueItems", "readOnly", "writeOnly", "deprecated")
_CONDITIONAL = ("if", "then", "else")
# First one wins: these describe a value rather than constrain it.
_ANNOTATIONS = frozenset(
    {"title", "description", "examples", "example", "default", "discriminator", "$comment"}
)


def canonical(value: Any) -> bytes:
    """JSON bytes that are equal exactly when two JSON values are equal."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def both(first: Any, second: Any) -> Any:
    """A schema for values valid against both; `True` and `False` fold away."""
    if first is True or first == {}:
        return second
    if second is True or second == {}:
        return first
    if first is False or second is False:
        return False
    return {"allOf": [first, second]}


def _types(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [t for t in value if isinstance(t, str)]


def _intersect_types(first: Any, second: Any) -> Any:
    left, right = _types(first), _types(second)
    kept: list[str] = []
    for name in left:
        numeric = {name, *right} == {"integer", "number"}
        keep = "integer" if numeric else name if name in right else None
        if keep is not None and keep not in kept:
            kept.append(keep)
    if not kept:
        return first
    return kept[0] if len(kept) == 1 else kept


def _lcm(first: Any, second: Any) -> Any:
    try:
        a, b = Fraction(str(first)), Fraction(str(second))
        lcm = Fraction(math.lcm(a.numerator, b.numerator), math.gcd(a.denominator, b.denominator))
    except (ValueError, ZeroDivisionError):
        return first
    return int(lcm) if lcm.denominator == 1 else float(lcm)


def _intersect_enums(first: list[Any], second: list[Any]) -> list[Any]:
    allowed = {canonical(v) for v in second}
    return [v for v in first if canonical(v) in allowed]


def _merge_maps(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    merged = dict(first)
    for key, value in second.items():
        merged[key] = both(merged[key], value) if key in merged else value
    return merged


def _ordered_union(first: Iterable[Any], second: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys([*first, *second]))


def _prefix_items(first: list[Any], second: list[Any]) -> list[Any]:
    longer = first if len(first) >= len(second) else second
    return [
        both(first[i], second[i]) if i < min(len(first), len(second)) else longer[i]
        for i in range(len(longer))
    ]


_COMBINERS: dict[str, Callable[[Any, Any], Any]] = {
    "type": _intersect_types,
    "required": _ordered_union,
    "multipleOf": _lcm,
    "prefixItems": _prefix_items,
    "dependentRequired": lambda a, b: {
        k: _ordered_union(a.get(k, []), b.get(k, [])) for k in {**a, **b}
    },
    **dict.fromkeys(_LOWER_BOUNDS, max),
    **dict.fromkeys(_UPPER_BOUNDS, min),
    **dict.fromkeys(_SUBSCHEMAS, both),
    **dict.fromkeys(_SCHEMA_MAPS, _merge_maps),
    **{key: lambda a, b: a or b for key in _FLAGS},
}


def _merge_pair(merged: Schema, key: str, value: Any) -> None:
    current = merged[key]
    if key in _ANNOTATIONS or current == value:
        return
    if key == "enum" and isinstance(current, list) and isinstance(value, list):
        common = _intersect_enums(current, value)
        if common:
            merged[key] = common
            return
    elif key in _COMBINERS and _same_shape(current, value):
        merged[key] = _COMBINERS[key](current, value)
        return
    merged[ALSO] = [*merged.get(ALSO, []), {key: value}]


def _same_shape(first: Any, second: Any) -> bool:
    # A 3.0-style boolean exclusiveMinimum must not be folded with a number, nor a dict with a list.
    return type(first) is type(second) or {type(first), type(second)} <= {int, float}


def _add_part(merged: Schema, part: Schema) -> None:
    conditional = {k: part[k] for k in _CONDITIONAL if k in part}
    if conditional and "if" in merged:
        merged[ALSO] = [*merged.get(ALSO, []), conditional]
    elif conditional:
        merged.update(conditional)
    for key, value in part.items():
        if key in _CONDITIONAL:
            continue
        if key == ALSO:
            merged[ALSO] = [*merged.get(ALSO, []), *value]
        elif key in merged:
            _merge_pair(merged, key, value)
        else:
            merged[key] = value


def _closed_properties(parts: Sequence[Schema]) -> set[str] | None:
    """Names allowed by every part that forbids additional properties, or None if none does."""
    allowed: set[str] | None = None
    for part in parts:
        if part.get("additionalProperties") is False and not part.get("patternProperties"):
            names = set(part.get("properties") or {})
            allowed = names if allowed is None else allowed & names
    return allowed


def merge(parts: Sequence[Schema]) -> Schema:
    """One schema equivalent (or, where `ALSO` is set, checkable) to `allOf: parts`."""
    merged: Schema = {}
    for part in parts:
        _add_part(merged, part)
    allowed = _closed_properties(parts) if len(parts) > 1 else None
    if allowed is not None and isinstance(merged.get("properties"), dict):
        required = set(merged.get("required") or ())
        merged["properties"] = {
            k: v for k, v in merged["properties"].items() if k in allowed or k in required
        }
    if "const" in merged and "enum" in merged:
        # Drawing honours `const`; whether it is also in the enum is left to the check.
        merged[ALSO] = [*merged.get(ALSO, []), {"enum": merged.pop("enum")}]
    return merged
