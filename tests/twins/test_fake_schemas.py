"""DataFaker.generate: values validate (formats included) for handwritten and random schemas."""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twins.fake import DataFaker, Mode, Rng
from twins.fake.check import bundle
from twins.fake.formats import FORMATS

FAKER = DataFaker()
Schema = dict[str, Any]


def resolver(components: dict[str, Any]) -> Any:
    def resolve(ref: str) -> Any:
        return components[ref.removeprefix("#/components/schemas/")]

    return resolve


def assert_valid(schema: Any, value: Any, components: dict[str, Any] | None = None) -> None:
    document = bundle(schema, resolver(components or {}))
    validator = jsonschema_rs.Draft202012Validator(document, validate_formats=True)
    errors = [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(value)]
    assert not errors, f"{json.dumps(schema)}\n{json.dumps(value)}\n{errors}"


def generate(
    schema: Any, seed: int, components: dict[str, Any] | None = None, **options: Any
) -> Any:
    return FAKER.generate(schema, Rng(seed), resolve=resolver(components or {}), **options)


TREE = {
    "type": "object",
    "required": ["name", "children"],
    "properties": {
        "name": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/tree"}},
    },
}
LINKED = {
    "type": "object",
    "required": ["value", "next"],
    "properties": {
        "value": {"type": "integer"},
        "next": {"anyOf": [{"$ref": "#/components/schemas/linked"}, {"type": "null"}]},
    },
}
PERSON = {
    "type": "object",
    "required": ["id", "email"],
    "properties": {
        "id": {"type": "string", "pattern": "^usr_[a-z0-9]{8}$"},
        "email": {"type": "string", "format": "email"},
        "company": {"$ref": "#/components/schemas/company"},
    },
}
COMPANY = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "employees": {"type": "array", "items": PERSON}},
}
COMPONENTS = {"tree": TREE, "linked": LINKED, "person": PERSON, "company": COMPANY}

HANDWRITTEN: dict[str, Schema] = {
    "plain string": {"type": "string"},
    "string lengths": {"type": "string", "minLength": 30, "maxLength": 32},
    "short description": {
        "type": "object",
        "properties": {"description": {"type": "string", "maxLength": 5}},
    },
    "pattern and lengths": {"type": "string", "pattern": "^[a-z0-9-]+$", "minLength": 12},
    "enum": {"type": "string", "enum": ["active", "past_due", "canceled"]},
    "nullable enum": {"type": ["string", "null"], "enum": ["a", "b", None]},
    "const object": {"const": {"a": [1, 2]}},
    "integer bounds": {"type": "integer", "exclusiveMinimum": 5, "exclusiveMaximum": 7},
    "integer multiple": {"type": "integer", "minimum": 100, "maximum": 150, "multipleOf": 7},
    "count far away": {
        "type": "object",
        "properties": {"count": {"type": "integer", "minimum": 10**12}},
    },
    "negative only": {"type": "integer", "maximum": -50},
    "int32": {"type": "integer", "format": "int32", "minimum": 2**31 - 3},
    "price multiple": {"type": "number", "multipleOf": 0.01, "minimum": 0.5, "maximum": 0.6},
    "tiny float range": {"type": "number", "exclusiveMinimum": 0.1, "exclusiveMaximum": 0.1001},
    "float multiple": {"type": "number", "multipleOf": 0.25, "exclusiveMaximum": 1},
    "fixed array": {"type": "array", "items": {"type": "integer"}, "minItems": 5, "maxItems": 5},
    "unique small ints": {
        "type": "array",
        "items": {"type": "integer", "minimum": 0, "maximum": 9},
        "minItems": 6,
        "uniqueItems": True,
    },
    "unique enum": {
        "type": "array",
        "items": {"enum": ["x", "y", "z"]},
        "minItems": 3,
        "uniqueItems": True,
    },
    "tuple": {
        "type": "array",
        "prefixItems": [{"type": "string", "format": "date"}, {"type": "boolean"}],
        "items": False,
        "minItems": 2,
    },
    "contains": {
        "type": "array",
        "items": {"type": "integer"},
        "contains": {"minimum": 1000},
        "minContains": 2,
    },
    "closed object": {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "additionalProperties": False,
        "required": ["a"],
    },
    "map": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 500}},
    "pattern properties": {
        "type": "object",
        "patternProperties": {"^x-[a-z]+$": {"type": "integer"}},
        "additionalProperties": False,
        "minProperties": 2,
    },
    "min properties beyond declared": {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "minProperties": 4,
    },
    "max properties": {
        "type": "object",
        "properties": {k: {"type": "integer"} for k in "abcdef"},
        "required": ["a"],
        "maxProperties": 2,
    },
    "property names": {
        "type": "object",
        "propertyNames": {"pattern": "^[A-Z]{3}$"},
        "minProperties": 2,
    },
    "dependent required": {
        "type": "object",
        "properties": {"card": {"type": "string"}, "billing": {"type": "string"}},
        "dependentRequired": {"card": ["billing"]},
    },
    "undeclared required": {"type": "object", "required": ["ghost"]},
    "allOf ranges": {"allOf": [{"type": "integer", "minimum": 10}, {"maximum": 12}]},
    "allOf two patterns": {
        "allOf": [{"type": "string", "pattern": "^a"}, {"pattern": "z$"}],
    },
    "allOf refs and properties": {
        "allOf": [
            {"$ref": "#/components/schemas/person"},
            {"properties": {"role": {"enum": ["admin", "member"]}}, "required": ["role"]},
        ],
    },
    "oneOf by type": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
    "oneOf overlapping objects": {
        "oneOf": [
            {"type": "object", "required": ["login"], "properties": {"login": {}, "name": {}}},
            {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        ],
    },
    "oneOf catch-all branch": {
        "oneOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"type": "object"},
        ],
    },
    "oneOf inside allOf": {
        "allOf": [
            {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
            {"oneOf": [{"required": ["card"]}, {"required": ["bank"]}]},
        ],
        "properties": {"card": {"type": "string"}, "bank": {"type": "string"}},
    },
    "anyOf expandable": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/company"}]},
    "not a string": {"not": {"type": "string"}},
    "integer not multiple": {"type": "integer", "not": {"multipleOf": 2}},
    "string not in list": {"type": "string", "enum": ["a", "b"], "not": {"const": "a"}},
    "if then else": {
        "type": "object",
        "properties": {"kind": {"enum": ["card", "bank"]}, "last4": {"type": "string"}},
        "required": ["kind"],
        "if": {"properties": {"kind": {"const": "card"}}},
        "then": {"required": ["last4"]},
        "else": {"not": {"required": ["last4"]}},
    },
    "ref with siblings": {"$ref": "#/components/schemas/person", "required": ["company"]},
    "type union": {"type": ["integer", "string", "boolean"]},
    "nullable object": {"type": ["object", "null"], "properties": {"a": {"type": "integer"}}},
    "true schema": {"type": "object", "properties": {"anything": True}, "required": ["anything"]},
    "false property": {"type": "object", "properties": {"never": False}},
    "empty schema": {},
    "tree": {"$ref": "#/components/schemas/tree"},
    "linked list": {"$ref": "#/components/schemas/linked"},
    "mutual recursion": {"$ref": "#/components/schemas/company"},
    "array of recursive": {"type": "array", "items": {"$ref": "#/components/schemas/tree"}},
}


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("schema", HANDWRITTEN.values(), ids=HANDWRITTEN.keys())
def test_handwritten_schema_gives_valid_values(schema: Schema, seed: int) -> None:
    assert_valid(schema, generate(schema, seed, COMPONENTS), COMPONENTS)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", ["", "avatar_url", "created_at", "email"])
def test_every_known_format_passes_format_validation(fmt: str, name: str) -> None:
    schema = {"type": "string", "format": fmt}
    for seed in range(5):
        assert_valid(schema, FAKER.generate(schema, Rng(seed), name=name))


@pytest.mark.parametrize("seed", range(20))
def test_openapi_30_boolean_exclusive_bounds_are_honoured(seed: int) -> None:
    schema = {"type": "integer", "minimum": 1, "exclusiveMinimum": True, "maximum": 3,
              "exclusiveMaximum": True}  # fmt: skip
    assert generate(schema, seed) == 2


def test_a_required_property_that_contains_itself_still_terminates() -> None:
    loop = {"$ref": "#/components/schemas/loop"}
    components = {"loop": {"type": "object", "required": ["loop"], "properties": {"loop": loop}}}
    value = generate({"$ref": "#/components/schemas/loop"}, 1, components)
    assert isinstance(value, dict)


def test_a_schema_that_contains_itself_as_a_python_object_compiles() -> None:
    node: Schema = {"type": "object", "properties": {}}
    node["properties"]["child"] = node
    assert isinstance(FAKER.generate(node, Rng(1)), dict)


def test_past_the_depth_limit_only_required_properties_remain() -> None:
    schema = {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "integer"}, "note": {"type": "string"}},
    }
    assert generate(schema, 3, depth_limit=0).keys() == {"id"}


def test_an_unresolvable_ref_gives_a_value_rather_than_an_error() -> None:
    assert generate({"$ref": "#/components/schemas/missing"}, 1) is not None


# Request and response modes ---------------------------------------------------------------

ACCOUNT = {
    "type": "object",
    "required": ["id", "password", "name"],
    "properties": {
        "id": {"type": "string", "readOnly": True},
        "password": {"type": "string", "writeOnly": True},
        "name": {"type": "string"},
        "owner": {"allOf": [{"$ref": "#/components/schemas/audit"}]},
    },
}
AUDIT = {"type": "object", "readOnly": True, "properties": {"by": {"type": "string"}}}


@pytest.mark.parametrize(
    ("mode", "absent", "present"),
    [("response", {"password"}, {"id", "name"}), ("request", {"id", "owner"}, {"password"})],
)
def test_mode_leaves_out_the_other_directions_properties(
    mode: Mode, absent: set[str], present: set[str]
) -> None:
    components = {"audit": AUDIT}
    for seed in range(10):
        value = generate(ACCOUNT, seed, components, mode=mode)
        assert not absent & value.keys()
        assert present <= value.keys()


# Examples ---------------------------------------------------------------------------------


def test_preferred_examples_are_used_when_they_validate() -> None:
    schema = {"type": "string", "maxLength": 5, "examples": ["usd", "far too long"]}
    values = {generate(schema, seed, prefer_examples=True) for seed in range(20)}
    assert values == {"usd"}


def test_object_example_is_returned_as_a_fresh_copy() -> None:
    schema = {"type": "object", "example": {"tags": ["a"]}}
    first = generate(schema, 1, prefer_examples=True)
    first["tags"].append("b")
    assert generate(schema, 1, prefer_examples=True) == {"tags": ["a"]}


# Realism ----------------------------------------------------------------------------------

CUSTOMER = {
    "type": "object",
    "required": ["id", "email", "created", "currency", "name", "created_at", "amount"],
    "properties": {
        "id": {"type": "string", "maxLength": 5000},
        "email": {"type": ["string", "null"], "maxLength": 5000},
        "name": {"type": "string"},
        "created": {"type": "integer"},
        "created_at": {"type": "string", "format": "date-time"},
        "currency": {"type": "string", "pattern": "^[a-z]{3}$"},
        "amount": {"type": "integer"},
    },
}


def test_field_names_give_realistic_values() -> None:
    value = generate(CUSTOMER, 4)
    assert "@" in (value["email"] or "@")
    assert 1_600_000_000 < value["created"] < 1_710_000_000
    assert value["currency"] in {"usd", "eur", "gbp", "jpy", "cad", "aud", "chf", "sek", "nzd",
                                 "sgd", "inr", "brl"}  # fmt: skip
    assert value["created_at"].startswith("20")
    assert 0 < value["amount"] <= 20_000


def test_nullable_fields_are_mostly_not_null() -> None:
    schema = {"type": ["string", "null"]}
    nulls = sum(generate(schema, seed) is None for seed in range(400))
    assert 0 < nulls < 80


def test_optional_properties_are_mostly_present() -> None:
    schema = {"type": "object", "properties": {f"p{i}": {"type": "integer"} for i in range(20)}}
    sizes = [len(generate(schema, seed)) for seed in range(20)]
    assert sum(sizes) / len(sizes) > 14


def test_value_for_name_is_realistic() -> None:
    assert "@" in FAKER.value_for_name("billing_email", Rng(1))
    assert isinstance(FAKER.value_for_name("created", Rng(1), "integer"), int)


# Random schemas ---------------------------------------------------------------------------

NAMES = ["id", "email", "name", "created", "created_at", "amount", "currency", "url", "count",
         "description", "tags", "status", "phone", "country", "metadata", "x", "items"]  # fmt: skip
FLEXIBLE_PATTERNS = ["^[a-z0-9-]+$", "^cus_[a-zA-Z0-9]+$", "[A-Z]{2}", r"^\d+$"]
STEPS = [None, 0.01, 0.1, 0.25, 0.5, 2.5, 0.001, 1, 3]


def _string_schemas() -> st.SearchStrategy[Schema]:
    lengths = st.tuples(st.integers(0, 20), st.integers(0, 30))
    return st.one_of(
        st.just({"type": "string"}),
        lengths.map(lambda t: {"type": "string", "minLength": t[0], "maxLength": t[0] + t[1]}),
        st.tuples(st.sampled_from(FLEXIBLE_PATTERNS), lengths).map(
            lambda t: {
                "type": "string",
                "pattern": t[0],
                "minLength": t[1][0],
                "maxLength": t[1][0] + t[1][1] + 6,
            }  # fmt: skip
        ),
        st.sampled_from(sorted(FORMATS)).map(lambda f: {"type": "string", "format": f}),
        st.lists(st.text(max_size=5), min_size=1, max_size=4, unique=True).map(
            lambda e: {"type": "string", "enum": e}
        ),
    )


def _numeric(kind: str, low: float, span: float, step: Any, exclusive: bool) -> Schema:
    schema: Schema = {"type": kind}
    if kind == "integer":
        low, span = round(low), round(span)
        step = step if step is not None and float(step).is_integer() else None
    else:
        low = round(low, 3)
    high = low + span + (step or 1) * 2  # room for a multiple even between exclusive bounds
    schema.update({"exclusiveMinimum": low, "exclusiveMaximum": high} if exclusive else
                  {"minimum": low, "maximum": high})  # fmt: skip
    if step is not None:
        schema["multipleOf"] = step
    return schema


def _number_schemas() -> st.SearchStrategy[Schema]:
    return st.builds(
        _numeric,
        st.sampled_from(["integer", "number"]),
        st.floats(-1e6, 1e6),
        st.floats(0, 1000),
        st.sampled_from(STEPS),
        st.booleans(),
    ) | st.sampled_from([{"type": "integer"}, {"type": "number"}, {"type": "boolean"}])


LEAVES = _string_schemas() | _number_schemas()


@st.composite
def _objects(draw: st.DrawFn, children: st.SearchStrategy[Schema]) -> Schema:
    properties = draw(st.dictionaries(st.sampled_from(NAMES), children, max_size=5))
    required = (
        draw(st.lists(st.sampled_from(sorted(properties)), unique=True)) if properties else []
    )
    schema: Schema = {"type": "object", "properties": properties, "required": required}
    if draw(st.booleans()):
        schema["additionalProperties"] = False
    return schema


def _split_into_all_of(schema: Schema) -> Schema:
    """The same object as `allOf` of two halves (disjoint, so that both can hold at once)."""
    names = list(schema["properties"])
    halves = [names[::2], names[1::2]]
    return {
        "allOf": [
            {
                "type": "object",
                "properties": {n: schema["properties"][n] for n in half},
                "required": [n for n in schema["required"] if n in half],
            }
            for half in halves
        ]
    }


def _extend(children: st.SearchStrategy[Schema]) -> st.SearchStrategy[Schema]:
    sizes = st.tuples(st.integers(0, 3), st.integers(0, 3))
    return st.one_of(
        _objects(children),
        st.tuples(children, sizes).map(
            lambda t: {
                "type": "array",
                "items": t[0],
                "minItems": t[1][0],
                "maxItems": t[1][0] + t[1][1],
            }  # fmt: skip
        ),
        children.map(lambda c: {"anyOf": [c, {"type": "null"}]}),
        st.lists(children, min_size=1, max_size=3).map(lambda cs: {"anyOf": cs}),
        st.tuples(_string_schemas(), _number_schemas().filter(lambda s: s["type"] != "string")).map(
            lambda t: {"oneOf": list(t)}
        ),
        _objects(children).map(_split_into_all_of),
    )


SCHEMAS = st.recursive(LEAVES, _extend, max_leaves=10)


@settings(max_examples=250, deadline=None)
@given(schema=SCHEMAS, seed=st.integers(0, 2**32))
def test_random_schema_gives_a_valid_value(schema: Schema, seed: int) -> None:
    assert_valid(schema, FAKER.generate(schema, Rng(seed)))
