"""Plans for objects and arrays, built from the plans of their parts.

Objects hold every required property and most optional ones; arrays hold a few items. Past the
depth limit, or once the run's container budget is spent, both shrink to the least that is
valid: required properties only, `minItems` items.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from twins.fake.merge import both, canonical
from twins.fake.names import singular
from twins.fake.pools import Pools
from twins.fake.regex import string_for_pattern
from twins.fake.rng import Rng
from twins.fake.run import HARD_FLOOR, Gen, Run
from twins.fake.scalars import count, optional_count

Planner = Callable[[Any, str], Gen]
# Whether a property is left out in this mode (readOnly in requests, writeOnly in responses).
Skipper = Callable[[Any], bool]

OPTIONAL_PROPERTY_CHANCE = 0.85
DEFAULT_MAX_ITEMS = 3
_UNIQUE_RETRIES = 10


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    gen: Gen
    required: bool


@dataclass(frozen=True, slots=True)
class ExtraSource:
    """Where properties beyond the declared ones come from: a key maker and a value plan."""

    key: Callable[[Rng], str | None]
    gen: Gen


def _key_maker(schema: Mapping[str, Any], pools: Pools) -> Callable[[Rng], str | None]:
    names = schema.get("propertyNames")
    names = names if isinstance(names, dict) else {}
    rejects = [re.compile(p) for p in (schema.get("patternProperties") or {}) if _valid_regex(p)]
    pattern = names.get("pattern")
    enum = [k for k in names.get("enum") or () if isinstance(k, str)]

    def make(rng: Rng) -> str | None:
        if enum:
            key: str | None = rng.choice(enum)
        elif isinstance(pattern, str):
            key = string_for_pattern(
                pattern, rng, max_length=optional_count(names.get("maxLength"))
            )
        else:
            key = f"{rng.choice(pools.words)}_{rng.choice(pools.words)}"
        # A key that a patternProperty matches would have to satisfy that schema as well.
        if key is None or any(r.search(key) for r in rejects):
            return None
        return key

    return make


def _valid_regex(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _extra_sources(
    schema: Mapping[str, Any], name: str, plan: Planner, pools: Pools
) -> list[ExtraSource]:
    sources = []
    for pattern, sub in (schema.get("patternProperties") or {}).items():
        if _valid_regex(pattern):
            sources.append(ExtraSource(_pattern_key(pattern), plan(sub, "")))
    additional = schema.get("additionalProperties", True)
    if additional is not False:
        value_schema = additional if isinstance(additional, dict) else {}
        sources.append(ExtraSource(_key_maker(schema, pools), plan(value_schema, singular(name))))
    return sources


def _pattern_key(pattern: str) -> Callable[[Rng], str | None]:
    return lambda rng: string_for_pattern(pattern, rng)


def _fields(schema: Mapping[str, Any], plan: Planner, skipped: Skipper) -> list[Field]:
    properties = schema.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    required = [r for r in schema.get("required") or () if isinstance(r, str)]
    fields = [
        Field(key, plan(sub, key), key in required)
        for key, sub in properties.items()
        if not skipped(sub) and (sub is not False or key in required)
    ]
    for key in required:
        if key not in properties:
            fields.append(Field(key, plan(_undeclared_schema(schema, key), key), True))
    return fields


def _undeclared_schema(schema: Mapping[str, Any], key: str) -> Any:
    for pattern, sub in (schema.get("patternProperties") or {}).items():
        if _valid_regex(pattern) and re.search(pattern, key):
            return sub
    additional = schema.get("additionalProperties")
    return additional if isinstance(additional, dict) else {}


def _forbidden_groups(node: Any) -> list[list[str]]:
    """Groups of names that may not all be present: `not: {required: [...]}`, or an anyOf."""
    if not isinstance(node, dict):
        return []
    if node.keys() == {"required"} and isinstance(node["required"], list):
        return [node["required"]]
    if node.keys() == {"anyOf"} and isinstance(node["anyOf"], list):
        return [group for branch in node["anyOf"] for group in _forbidden_groups(branch)]
    return []


def without_forbidden(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """`schema` less one optional property of each group its `not` forbids together.

    "Not both `card` and `bank`" is common in specs; leaving one out is surer than redrawing.
    """
    groups = _forbidden_groups(schema.get("not"))
    properties = schema.get("properties")
    if not groups or not isinstance(properties, dict):
        return schema
    required = set(schema.get("required") or ())
    kept = dict(properties)
    for group in groups:
        optional = [n for n in group if n not in required]
        if optional:
            kept.pop(optional[-1], None)
    return {**schema, "properties": kept}


def object_gen(
    schema: Mapping[str, Any], name: str, plan: Planner, skipped: Skipper, pools: Pools
) -> Gen:
    """A plan for an object: its fields in schema order, and extra entries for maps."""
    fields = _fields(schema, plan, skipped)
    by_key = {f.key: f for f in fields}
    sources = _extra_sources(schema, name, plan, pools)
    free_form = not schema.get("properties") and bool(sources)
    min_properties = count(schema.get("minProperties"), 0)
    max_properties = optional_count(schema.get("maxProperties"))
    optional_room = (max_properties if max_properties is not None else 10**9) - sum(
        f.required for f in fields
    )
    dependent = schema.get("dependentRequired")
    dependent = dependent if isinstance(dependent, dict) else {}

    def gen(run: Run, depth: int) -> dict[str, Any]:
        if depth < HARD_FLOOR:
            return {}
        full = depth > 0 and run.nodes > 0
        run.nodes -= 1
        out: dict[str, Any] = {}
        room = optional_room
        for field in fields:
            if field.required:
                out[field.key] = field.gen(run, depth - 1)
            elif full and room > 0 and run.rng.random() < OPTIONAL_PROPERTY_CHANCE:
                out[field.key] = field.gen(run, depth - 1)
                room -= 1
        if dependent:
            _add_dependents(out, dependent, by_key, run, depth)
        wanted = min_properties
        if full and free_form:
            wanted = max(wanted, run.rng.randint(0, 3))
        if max_properties is not None:
            wanted = min(wanted, max_properties)
        if len(out) < wanted:
            _add_extras(out, wanted, fields, sources, run, depth)
        return out

    return gen


def _add_dependents(
    out: dict[str, Any],
    dependent: Mapping[str, Any],
    by_key: Mapping[str, Field],
    run: Run,
    depth: int,
) -> None:
    for key in list(out):
        for needed in dependent.get(key) or ():
            if needed not in out and needed in by_key:
                out[needed] = by_key[needed].gen(run, depth - 1)


def _add_extras(
    out: dict[str, Any],
    wanted: int,
    fields: list[Field],
    sources: list[ExtraSource],
    run: Run,
    depth: int,
) -> None:
    for field in fields:
        if len(out) >= wanted:
            return
        if field.key not in out:
            out[field.key] = field.gen(run, depth - 1)
    declared = {f.key for f in fields}
    for _ in range(wanted * 4):
        if len(out) >= wanted or not sources:
            return
        source = run.rng.choice(sources)
        key = source.key(run.rng)
        if key is not None and key not in out and key not in declared:
            out[key] = source.gen(run, depth - 1)


def array_gen(schema: Mapping[str, Any], name: str, plan: Planner) -> Gen:
    """A plan for an array: prefix items, then `contains` items, then items, unique if asked."""
    item_name = singular(name)
    items = schema.get("items", True)
    prefix = [plan(p, item_name) for p in schema.get("prefixItems") or ()]
    item = plan({} if items is True else items, item_name) if items is not False else None
    contains = schema.get("contains")
    contains_gen = plan(both(items, contains), item_name) if contains is not None else None
    min_contains = count(schema.get("minContains"), 1) if contains_gen else 0
    low = max(count(schema.get("minItems"), 0), min_contains)
    high = optional_count(schema.get("maxItems"))
    if item is None:
        high = min(len(prefix), high if high is not None else len(prefix))
    usual_high = max(low, min(high if high is not None else DEFAULT_MAX_ITEMS, DEFAULT_MAX_ITEMS))
    unique = schema.get("uniqueItems") is True

    def pick(index: int) -> Gen:
        if index < len(prefix):
            return prefix[index]
        if contains_gen is not None and index - len(prefix) < min_contains:
            return contains_gen
        return item or prefix[-1]

    def gen(run: Run, depth: int) -> list[Any]:
        if depth < HARD_FLOOR:
            return []
        full = depth > 0 and run.nodes > 0
        run.nodes -= 1
        size = low
        if full and usual_high > low and run.rng.random() < 0.9:
            size = run.rng.randint(max(low, 1), usual_high)
        if unique:
            return _unique_items(size, low, pick, run, depth)
        return [pick(i)(run, depth - 1) for i in range(size)]

    return gen


def _unique_items(
    size: int, low: int, pick: Callable[[int], Gen], run: Run, depth: int
) -> list[Any]:
    out: list[Any] = []
    seen: set[bytes] = set()
    for index in range(size):
        item_gen = pick(index)
        value = item_gen(run, depth - 1)
        key = canonical(value)
        for _ in range(_UNIQUE_RETRIES):
            if key not in seen:
                break
            value = item_gen(run, depth - 1)
            key = canonical(value)
        if key in seen and len(out) >= low:
            break
        seen.add(key)
        out.append(value)
    return out
