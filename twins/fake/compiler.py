"""Schemas compiled into plans: closures that draw a valid value from a `Run`'s stream.

A plan is compiled once per (schema object, field name) and reused; `$ref`s compile lazily on
first use, so recursive schemas compile without looping and a huge spec costs only what is
drawn from it. Composition is resolved by drawing: `oneOf`/`anyOf` pick a branch, the branch is
merged with everything beside it (`allOf` members, sibling keywords) and that merge is compiled.
"""

from __future__ import annotations

import threading
from typing import Any, Literal

from twins.fake.check import Checker, Resolver
from twins.fake.choice import NULL_CHANCE, Choice, cost
from twins.fake.composite import Composite
from twins.fake.leaves import (
    CHECK_ATTEMPTS,
    copied,
    either,
    enum_gen,
    references,
    retrying,
    serialisable,
    types_of,
)
from twins.fake.merge import ALSO, canonical, merge
from twins.fake.names import INT_RANGES, STRING_MAKERS, UNIQUE_KINDS, kind_of
from twins.fake.pools import Pools
from twins.fake.run import Gen, Run
from twins.fake.scalars import boolean_gen, integer_gen, number_gen, string_gen
from twins.fake.shapes import array_gen, object_gen, without_forbidden

Mode = Literal["response", "request"]

SPEC_EXAMPLE_CHANCE = 0.5
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
_CONTAINERS = frozenset({"object", "array"})


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
        self._lock = threading.RLock()

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
        # Another thread must not pick up the placeholder below before its plan is in.
        with self._lock:
            entry = self._plans.get(key)
            if entry is not None:
                return entry[1]
            # A placeholder first: a schema that holds itself as a Python object compiles too.
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
                choices.append(Choice(kind, tuple(branches), costs, references(branches, costs)))

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
            for attempt in range(CHECK_ATTEMPTS):
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
        return retrying(gen, lambda value: self.checker.matches(whole, value) is not False)

    def _simple(self, schema: dict[str, Any], name: str) -> Gen:
        if "const" in schema:
            constant = schema["const"]
            return lambda run, depth: copied(constant)
        types = types_of(schema)
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return enum_gen(enum, types)
        gens = [self._typed(t, schema, name) for t in types if t != "null"]
        if not gens:
            return lambda run, depth: None
        base = gens[0] if len(gens) == 1 else either(gens)
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
            return either([string_gen(schema, name, self.pools), integer_gen(schema, name),
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
        """Prefer the spec's own examples when asked; else mix them into plain strings.

        A spec's example ("open" for `state`, "User" for `type`) often reads better than what
        a name suggests, but not for ids and the like, which must differ between records.
        """
        plain_string = (
            types_of(schema)[0] == "string"
            and not any(k in schema for k in ("format", "pattern", "enum", "const"))
            and kind_of(name) not in UNIQUE_KINDS
        )
        if not (self.prefer_examples or plain_string) or not _EXAMPLE_KEYS.intersection(schema):
            return gen
        examples = self._valid_examples(schema)
        if not examples:
            return gen
        chance = 1.0 if self.prefer_examples else SPEC_EXAMPLE_CHANCE
        return lambda run, depth: (
            copied(run.rng.choice(examples)) if run.rng.random() < chance else gen(run, depth)
        )

    def _valid_examples(self, schema: dict[str, Any]) -> list[Any]:
        raw = list(schema["examples"]) if isinstance(schema.get("examples"), list) else []
        raw += [schema[k] for k in ("example", "default") if k in schema]
        unique = {canonical(v): v for v in raw if serialisable(v)}
        return [v for v in unique.values() if self.checker.matches(schema, v) is True]
