"""Turning wire strings (query, headers, form fields) into the JSON types their schema wants.

A form or a query string carries only strings, lists (repeated keys) and dicts (bracketed keys).
A coercer walks such a value beside its schema and converts each leaf to the first type the
schema allows that the string can be read as: "10" -> 10, "true" -> True, "" -> None where null
is allowed, and `anyOf`/`oneOf` pick the first alternative that fits. A value that fits nothing
is left as it came, so that the validator names it; coercion itself never fails.

Coercers are compiled once per schema (by identity) and kept by `CoercerCompiler`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

import orjson

from twins.request.depth import too_deep

Coercer = Callable[[Any], Any]
Resolve = Callable[[str], Any]


class _Misfit:
    def __repr__(self) -> str:
        return "MISFIT"


MISFIT: Final = _Misfit()  # what a coercer returns when the value cannot have the schema's type

_MAX_JSON_DEPTH = 64  # JSON text inside a form field: deeper would recurse without bound
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", re.ASCII)
# Only the JSON words, in any case: Stripe and most vendors answer 400 to `active=1`. (Slack
# takes "1"/"0", which slack_sdk sends: a Slack twin would need them back.)
_BOOLEANS = {"true": True, "false": False}
_JSON_TYPES: dict[type, str] = {
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
    list: "array",
    dict: "object",
}
_OBJECT_HINTS = ("properties", "additionalProperties", "patternProperties", "required")
_ARRAY_HINTS = ("items", "prefixItems")


def coerce(value: Any, schema: Any, resolve: Resolve) -> Any:
    """`value` with its wire strings converted to the types `schema` asks for.

    `resolve` maps a `$ref` string to the schema it names. Uncached: the request path uses
    `CoercerCompiler` instead.
    """
    return fitted(CoercerCompiler(resolve).compile(schema), value)


def fitted(coercer: Coercer, value: Any) -> Any:
    """The coerced value, or the value unchanged when it fits no type of the schema."""
    result = coercer(value)
    return value if result is MISFIT else result


def schema_types(schema: Any, resolve: Resolve, depth: int = 0) -> frozenset[str]:
    """The JSON types a schema can take, looking through `$ref` and combinators."""
    if not isinstance(schema, Mapping) or depth > 16:
        return frozenset()
    found = set(_own_types(schema))
    if isinstance(schema.get("$ref"), str):
        found |= schema_types(resolve(schema["$ref"]), resolve, depth + 1)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(keyword) or ():
            found |= schema_types(branch, resolve, depth + 1)
    return frozenset(found)


def schema_properties(schema: Any, resolve: Resolve, depth: int = 0) -> tuple[str, ...]:
    """The property names a schema declares, looking through `$ref` and combinators."""
    if not isinstance(schema, Mapping) or depth > 16:
        return ()
    names = list(schema.get("properties") or ())
    if isinstance(schema.get("$ref"), str):
        names.extend(schema_properties(resolve(schema["$ref"]), resolve, depth + 1))
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(keyword) or ():
            names.extend(schema_properties(branch, resolve, depth + 1))
    return tuple(dict.fromkeys(names))


def _own_types(schema: Mapping[str, Any]) -> frozenset[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return frozenset((declared,))
    if isinstance(declared, list):
        return frozenset(t for t in declared if isinstance(t, str))
    values = schema.get("enum") if "enum" in schema else None
    if values is None and "const" in schema:
        values = [schema["const"]]
    if isinstance(values, list):
        return frozenset(_JSON_TYPES.get(type(v), "string") for v in values)
    if any(hint in schema for hint in _OBJECT_HINTS):
        return frozenset(("object",))
    if any(hint in schema for hint in _ARRAY_HINTS):
        return frozenset(("array",))
    return frozenset()


def _identity(value: Any) -> Any:
    return value


class CoercerCompiler:
    """Compiles and keeps one coercer per schema (by identity) of one document."""

    def __init__(self, resolve: Resolve) -> None:
        self.resolve = resolve
        # The schema is kept beside its coercer so that its id cannot be reused.
        self._memo: dict[int, tuple[Any, Coercer]] = {}

    def compile(self, schema: Any) -> Coercer:
        found = self._memo.get(id(schema))
        if found is not None and found[0] is schema:
            return found[1]
        key = id(schema)
        # A recursive schema reaches itself while compiling: it gets a trampoline until then.
        self._memo[key] = (schema, lambda value: self._memo[key][1](value))
        coercer = self._build(schema) if isinstance(schema, Mapping) else _identity
        self._memo[key] = (schema, coercer)
        return coercer

    def _build(self, schema: Mapping[str, Any]) -> Coercer:
        steps: list[Coercer] = []
        if isinstance(schema.get("$ref"), str):
            steps.append(self.compile(self.resolve(schema["$ref"])))
        types = _own_types(schema)
        if types:
            steps.append(_Typed(self, schema, types))
        steps.extend(self.compile(branch) for branch in schema.get("allOf") or ())
        for keyword in ("anyOf", "oneOf"):
            branches = schema.get(keyword)
            if branches:
                steps.append(_first_fit([self.compile(branch) for branch in branches]))
        if not steps:
            return _identity
        return steps[0] if len(steps) == 1 else _chain(steps)


def _chain(steps: list[Coercer]) -> Coercer:
    def chained(value: Any) -> Any:
        for step in steps:
            value = step(value)
            if value is MISFIT:
                return MISFIT
        return value

    return chained


def _first_fit(branches: list[Coercer]) -> Coercer:
    def first_fit(value: Any) -> Any:
        for branch in branches:
            result = branch(value)
            if result is not MISFIT:
                return result
        return MISFIT

    return first_fit


class _Typed:
    """The coercer of one schema that names its types (directly or through enum/properties)."""

    __slots__ = (
        "_compile",
        "_types",
        "_enum",
        "_scalars",
        "_properties",
        "_patterns",
        "_extra",
        "_items",
        "_wraps",
        "_fields",
        "_other",
        "keeps_strings",
    )

    def __init__(
        self, compiler: CoercerCompiler, schema: Mapping[str, Any], types: frozenset[str]
    ) -> None:
        self._compile = compiler.compile
        self._types = types
        enum = schema.get("enum") if "enum" in schema else None
        self._enum: list[Any] | None = [schema["const"]] if "const" in schema else enum
        self.keeps_strings = "string" in types and self._enum is None
        self._scalars = [_SCALARS[kind] for kind in _SCALAR_ORDER if kind in types]
        properties = schema.get("properties")
        self._properties: Mapping[str, Any] = properties if isinstance(properties, Mapping) else {}
        self._patterns = _patterns(schema.get("patternProperties"))
        extra = schema.get("additionalProperties")
        self._extra = extra if isinstance(extra, Mapping) else None
        items = schema.get("items")
        self._items = items if isinstance(items, Mapping) else None
        # A lone value is read as a one-item array, but never into an array of arrays: that
        # would wrap forever under a recursive schema.
        self._wraps = "array" not in schema_types(self._items, compiler.resolve)
        # Coercers of the fields seen so far; only declared names are kept, so a client cannot
        # grow this by sending made-up keys.
        self._fields: dict[str, tuple[Coercer, bool]] = {}
        self._other: tuple[Coercer, bool] | None = None  # for names `properties` does not list

    def __call__(self, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return value if self.keeps_strings else self._from_string(value)
        if kind is dict:
            return self._from_dict(value)
        if kind is list:
            return self._from_list(value)
        name = _JSON_TYPES.get(kind)
        if name in self._types or (name == "integer" and "number" in self._types):
            return value
        return MISFIT

    def _from_string(self, text: str) -> Any:
        enum = self._enum
        if enum is not None and "string" in self._types and text in enum:
            return text
        for convert in self._scalars:
            result = convert(text)
            if result is not MISFIT and (enum is None or result in enum):
                return result
        if "array" in self._types or "object" in self._types:
            return self._from_json(text)
        return MISFIT  # also a string outside the enum: another `anyOf` branch may take it

    def _from_json(self, text: str) -> Any:
        # Some form APIs (Slack) send nested values as JSON text; a lone value is a 1-item array.
        if text[:1] in ("[", "{"):
            try:
                value = orjson.loads(text)
            except orjson.JSONDecodeError:
                value = MISFIT
            if value is not MISFIT and not too_deep(text, value, _MAX_JSON_DEPTH):
                return self(value)
        return self._from_list([text]) if "array" in self._types and self._wraps else MISFIT

    def _from_list(self, items: list[Any]) -> Any:
        if "array" in self._types:
            if self._items is None:
                return items
            coercer = self._compile(self._items)
            coerced = [coercer(item) for item in items]
            return [old if new is MISFIT else new for old, new in zip(items, coerced, strict=True)]
        if "object" in self._types:
            return self._from_dict({str(index): item for index, item in enumerate(items)})
        # A scalar sent more than once: the last one wins, as in Rack and Starlette.
        return self(items[-1]) if items else MISFIT

    def _from_dict(self, fields: dict[str, Any]) -> Any:
        if "object" in self._types:
            known = self._fields
            coerced = {}
            for key, value in fields.items():
                entry = known.get(key) or self._field(key)
                if entry[1] and type(value) is str:
                    coerced[key] = value  # a string where a string goes: skip the call
                    continue
                result = entry[0](value)
                coerced[key] = value if result is MISFIT else result
            return coerced
        if "array" in self._types and all(key.isdigit() for key in fields):
            # Sparse indices (`items[5]=x`) stay a dict until here, so no gap is ever filled.
            return self._from_list([fields[key] for key in sorted(fields, key=int)])
        return MISFIT

    def _field(self, key: str) -> tuple[Coercer, bool]:
        schema = self._properties.get(key)
        if schema is None:
            for regex, sub in self._patterns:
                if regex.search(key):
                    return _entry(self._compile(sub))
            if self._other is None:
                self._other = _entry(self._compile(self._extra)) if self._extra else _ANYTHING
            return self._other
        entry = self._fields[key] = _entry(self._compile(schema))
        return entry


def _entry(coercer: Coercer) -> tuple[Coercer, bool]:
    """A coercer, and whether it keeps every string as it is (so need not be called for one)."""
    keeps = coercer is _identity or (isinstance(coercer, _Typed) and coercer.keeps_strings)
    return coercer, keeps


_ANYTHING: Final = (_identity, True)


def _patterns(patterns: Any) -> list[tuple[re.Pattern[str], Any]]:
    compiled = []
    for pattern, schema in (patterns or {}).items():
        try:
            compiled.append((re.compile(pattern), schema))
        except re.error:
            continue  # an ECMA-only regex: its properties simply stay strings
    return compiled


def _integer(text: str) -> Any:
    if text.isdigit() and text.isascii() and len(text) < 4300:  # Python's int-from-str limit
        return int(text)
    number = _number(text)
    if isinstance(number, float):
        return int(number) if number.is_integer() else MISFIT
    return number


def _number(text: str) -> Any:
    if not _NUMBER.fullmatch(text):
        return MISFIT
    if "." in text or "e" in text or "E" in text:
        number = float(text)
        return number if math.isfinite(number) else MISFIT
    try:
        return int(text)
    except ValueError:  # longer than Python's int-from-string limit (4300 digits)
        return MISFIT


def _boolean(text: str) -> Any:
    return _BOOLEANS.get(text.lower(), MISFIT)


def _null(text: str) -> Any:
    return None if text in ("", "null") else MISFIT


_SCALAR_ORDER = ("integer", "number", "boolean", "null")
_SCALARS: dict[str, Callable[[str], Any]] = {
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "null": _null,
}
