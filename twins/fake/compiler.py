"""Schemas compiled into plans: closures that draw a valid value from a `Run`'s stream.

A plan is compiled once per (schema object, field name) and reused; `$ref`s compile lazily on
first use, so recursive schemas compile without looping and a huge spec costs only what is
drawn from it. Composition is resolved by drawing: `oneOf`/`anyOf` pick a branch, the branch is
merged with everything beside it (`allOf` members, sibling keywords) and that merge is compiled.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, Literal

from twins.fake.check import Checker, Resolver
from twins.fake.choice import NULL_CHANCE, Choice, cost
from twins.fake.composite import Composite
from twins.fake.merge import ALSO, canonical, merge
from twins.fake.names import INT_RANGES, STRING_MAKERS, kind_of
from twins.fake.pools import Pools
from twins.fake.run import Gen, Run
from twins.fake.scalars import boolean_gen, integer_gen, number_gen, string_gen
from twins.fake.shapes import array_gen, object_gen, without_forbidden

Mode = Literal["response", "request"]

SPEC_EXAMPLE_CHANCE = 0.5
_CHECK_ATTEMPTS = 6
_FLATTEN_LIMIT = 16
_COMPOSITION = ("allOf", "oneOf", "anyOf", "$ref")
_CONDITIONAL = ("if", "then", "else")
# Keywords beside a `$ref` that change nothing about the values drawn.
_REF_ANNOTATIONS = frozenset(
    {
        "$ref",
        "description",
        "title",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
        "discriminator",
        "externalDocs",
        "xml",
    }
)
_EXAMPLE_KEYS = frozenset({"examples", "example", "default"})
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
_CONTAINERS = frozenset({"object", "array"})


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


def _copied(value: Any) -> Any:
    return copy.deepcopy(value) if isinstance(value, dict | list) else value


def _retrying(gen: Gen, accept: Callable[[Any], bool], attempts: int = _CHECK_ATTEMPTS) -> Gen:
    def retried(run: Run, depth: int) -> Any:
        value = gen(run, depth)
        for _ in range(attempts):
            if accept(value):
                break
            value = gen(run, depth)
        return value

    return retried


class Compiler:
    """Plans for one resolver, mode and example preference; caches them by schema identity."""

    def __init__(self, resolve: Resolver, mode: Mode, prefer_examples: bool, pools: Pools) -> None:
        self._resolve_ref = resolve
        self._resolved: dict[str, Any] = {}
        self.mode = mode
        self.prefer_examples = prefer_examples
        self.pools = pools
        self.checker = Checker(self.resolve)
        self._skip_flag = "readOnly" if mode == "request" else "writeOnly"
        # The schema is kept beside its plan so that its id() cannot be reused while cached.
        self._plans: dict[tuple[int, str], tuple[Any, Gen]] = {}

    def resolve(self, ref: str) -> Any:
        """The schema a `$ref` names; an unresolvable ref means "anything", not a crash."""
        if ref not in self._resolved:
            try:
                target = self._resolve_ref(ref)
            except Exception:  # a broken ref in a vendor spec must not sink generation
                target = {}
            self._resolved[ref] = target if isinstance(target, dict | bool) else {}
        return self._resolved[ref]

    def plan(self, schema: Any, name: str) -> Gen:
        """The plan for `schema` as the value of a field called `name`."""
        if isinstance(schema, dict) and "properties" in schema:
            name = ""  # an object's own name changes nothing in it: share one plan
        key = (id(schema), name)
        entry = self._plans.get(key)
        if entry is not None:
            return entry[1]
        # A placeholder first: a schema that contains itself as a Python object still compiles.
        cell: list[Gen] = []
        self._plans[key] = (schema, lambda run, depth: cell[0](run, depth))
        gen = self._compile(schema, name)
        cell.append(gen)
        self._plans[key] = (schema, gen)
        return gen

    def _compile(self, schema: Any, name: str) -> Gen:
        if schema is False:
            return lambda run, depth: None
        if not isinstance(schema, dict):
            return self._compile({}, name)
        ref = schema.get("$ref")
        if isinstance(ref, str) and self._is_plain_ref(schema):
            return self._ref_gen(ref, name)
        if any(k in schema for k in _COMPOSITION):
            return self._composite(schema, name)
        if "if" in schema:
            return self._conditional(schema, name)
        return self._with_examples(schema, name, self._checked(schema, self._simple(schema, name)))

    def _is_plain_ref(self, schema: dict[str, Any]) -> bool:
        return all(
            k in _REF_ANNOTATIONS
            or k.startswith("x-")
            or (k in _EXAMPLE_KEYS and not self.prefer_examples)
            for k in schema
        )

    def _ref_gen(self, ref: str, name: str) -> Gen:
        cell: list[Gen] = []

        def gen(run: Run, depth: int) -> Any:
            if not cell:
                cell.append(self.plan(self.resolve(ref), name))
            return cell[0](run, depth)

        return gen

    # Composition ---------------------------------------------------------------------------

    def flatten(
        self, schema: Any, parts: list[dict[str, Any]], choices: list[Choice], level: int = 0
    ) -> None:
        """Split `schema` into composition-free `allOf` parts and its `oneOf`/`anyOf` choices."""
        if schema is False:
            parts.append({"not": {}})
            return
        if level > _FLATTEN_LIMIT or not isinstance(schema, dict):
            return
        if not any(k in schema for k in _COMPOSITION):
            parts.append(schema)
            return
        rest = {k: v for k, v in schema.items() if k not in _COMPOSITION}
        if rest:
            parts.append(rest)
        ref = schema.get("$ref")
        if isinstance(ref, str):
            self.flatten(self.resolve(ref), parts, choices, level + 1)
        for member in schema.get("allOf") or ():
            self.flatten(member, parts, choices, level + 1)
        for kind in ("oneOf", "anyOf"):
            branches = schema.get(kind)
            if isinstance(branches, list) and branches:
                costs = tuple(cost(b, self.resolve) for b in branches)
                choices.append(Choice(kind, tuple(branches), costs))

    def _composite(self, schema: dict[str, Any], name: str) -> Gen:
        parts: list[dict[str, Any]] = []
        choices: list[Choice] = []
        self.flatten(schema, parts, choices)
        if not choices:
            return self.plan(parts[0] if len(parts) == 1 else merge(parts), name)
        return Composite(self, parts, choices, name).gen

    def _conditional(self, schema: dict[str, Any], name: str) -> Gen:
        rest = {k: v for k, v in schema.items() if k not in _CONDITIONAL}
        condition = {k: schema[k] for k in _CONDITIONAL if k in schema}
        # Drawing for `then` under `if` too makes the first variant meet its condition.
        variants = (
            self.plan({"allOf": [rest, schema["if"], schema.get("then", True)]}, name),
            self.plan({"allOf": [rest, schema.get("else", True)]}, name),
        )

        def gen(run: Run, depth: int) -> Any:
            start = run.rng.randint(0, 1)
            value = None
            for attempt in range(_CHECK_ATTEMPTS):
                value = variants[(start + attempt) % 2](run, depth)
                if self.checker.matches(condition, value) is not False:
                    break
            return value

        return gen

    # Leaves --------------------------------------------------------------------------------

    def _checked(self, schema: dict[str, Any], gen: Gen) -> Gen:
        """`gen`, redrawn until the value passes what drawing cannot build in (`not`, ALSO)."""
        checks: list[Any] = []
        if "not" in schema:
            checks.append({"not": schema["not"]})
        if schema.get(ALSO):
            checks.append({"allOf": schema[ALSO]})
        if not checks:
            return gen
        whole = checks[0] if len(checks) == 1 else {"allOf": checks}
        return _retrying(gen, lambda value: self.checker.matches(whole, value) is not False)

    def _simple(self, schema: dict[str, Any], name: str) -> Gen:
        if "const" in schema:
            constant = schema["const"]
            return lambda run, depth: _copied(constant)
        types = types_of(schema)
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return _enum_gen(enum, types)
        gens = [self._typed(t, schema, name) for t in types if t != "null"]
        if not gens:
            return lambda run, depth: None
        base = gens[0] if len(gens) == 1 else _either(gens)
        if "null" not in types:
            return base
        floor = 1 if _CONTAINERS.intersection(types) else 0
        return lambda run, depth: (
            None if depth < floor or run.rng.random() < NULL_CHANCE else base(run, depth)
        )

    def _typed(self, type_name: str, schema: dict[str, Any], name: str) -> Gen:
        if type_name == "string":
            return string_gen(schema, name, self.pools)
        if type_name == "integer":
            return integer_gen(schema, name)
        if type_name == "number":
            return number_gen(schema, name)
        if type_name == "boolean":
            return boolean_gen()
        if type_name == "object":
            return object_gen(without_forbidden(schema), name, self.plan, self._skipped, self.pools)
        if type_name == "array":
            return array_gen(schema, name, self.plan)
        kind = kind_of(name) if name else None
        if "not" in schema:  # a `not` may rule out the type a name suggests: vary it
            return _either([string_gen(schema, name, self.pools), integer_gen(schema, name),
                            boolean_gen()])  # fmt: skip
        if kind in INT_RANGES and kind not in STRING_MAKERS:
            return integer_gen(schema, name)
        return string_gen(schema, name, self.pools)

    def _skipped(self, schema: Any, level: int = 0) -> bool:
        """Whether a property is left out: readOnly in requests, writeOnly in responses."""
        if not isinstance(schema, dict) or level > 3:
            return False
        if schema.get(self._skip_flag) is True:
            return True
        ref = schema.get("$ref")
        if isinstance(ref, str) and self._skipped(self.resolve(ref), level + 1):
            return True
        return any(self._skipped(m, level + 1) for m in schema.get("allOf") or ())

    def _with_examples(self, schema: dict[str, Any], name: str, gen: Gen) -> Gen:
        """Prefer the spec's own examples when asked; else mix them into plain strings."""
        plain_string = (
            types_of(schema)[0] == "string"
            and not any(k in schema for k in ("format", "pattern", "enum", "const"))
            and kind_of(name) is None
        )
        if not (self.prefer_examples or plain_string) or not _EXAMPLE_KEYS.intersection(schema):
            return gen
        examples = self._valid_examples(schema)
        if not examples:
            return gen
        chance = 1.0 if self.prefer_examples else SPEC_EXAMPLE_CHANCE
        return lambda run, depth: (
            _copied(run.rng.choice(examples)) if run.rng.random() < chance else gen(run, depth)
        )

    def _valid_examples(self, schema: dict[str, Any]) -> list[Any]:
        raw = list(schema["examples"]) if isinstance(schema.get("examples"), list) else []
        raw += [schema[k] for k in ("example", "default") if k in schema]
        unique = {canonical(v): v for v in raw if _serialisable(v)}
        return [v for v in unique.values() if self.checker.matches(schema, v) is True]


def _serialisable(value: Any) -> bool:
    try:
        canonical(value)
    except TypeError:
        return False
    return True


def _either(gens: list[Gen]) -> Gen:
    return lambda run, depth: run.rng.choice(gens)(run, depth)


def _enum_gen(enum: list[Any], types: tuple[str, ...]) -> Gen:
    allowed = [v for v in enum if _json_type_fits(v, types)] or enum
    values = [v for v in allowed if v is not None]
    nullable = len(values) < len(allowed)
    if not values:
        return lambda run, depth: None

    def gen(run: Run, depth: int) -> Any:
        if nullable and (depth < 0 or run.rng.random() < NULL_CHANCE):
            return None
        return _copied(run.rng.choice(values))

    return gen
