"""One schema node: OpenAPI 2.0/3.0 meanings turned into JSON Schema 2020-12, and repairs."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twins.spec.schema30 import JSON_TYPES, convert_node, repair_node


def converted(schema: dict[str, Any]) -> dict[str, Any]:
    convert_node(schema)
    repair_node(schema)
    return schema


def test_nullable_becomes_a_type_union() -> None:
    assert converted({"type": "string", "nullable": True}) == {"type": ["string", "null"]}


def test_nullable_adds_null_to_an_enum() -> None:
    schema = converted({"type": "string", "enum": ["a", "b"], "nullable": True})
    assert schema == {"type": ["string", "null"], "enum": ["a", "b", None]}


def test_nullable_ref_is_wrapped_in_any_of_with_null() -> None:
    schema = converted({"$ref": "#/components/schemas/Pet", "nullable": True})
    assert schema == {"anyOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "null"}]}


def test_nullable_all_of_keeps_the_other_keywords_in_place() -> None:
    ref = {"$ref": "#/$defs/Pet"}
    schema = converted(
        {"type": "object", "properties": {"a": {}}, "allOf": [ref], "nullable": True}
    )
    assert schema == {
        "type": ["object", "null"],
        "properties": {"a": {}},
        "anyOf": [{"allOf": [ref]}, {"type": "null"}],
    }
    pet = {"type": "object", "required": ["name"]}
    validator = jsonschema_rs.Draft202012Validator(schema | {"$defs": {"Pet": pet}})
    assert validator.is_valid(None)
    assert validator.is_valid({"name": "Rex"})
    assert not validator.is_valid({"a": 1})


def test_nullable_false_is_simply_dropped() -> None:
    assert converted({"type": "integer", "nullable": False}) == {"type": "integer"}


def test_nullable_without_a_type_changes_nothing_else() -> None:
    assert converted({"minLength": 1, "nullable": True}) == {"minLength": 1}


def test_x_nullable_of_swagger_2_counts_as_nullable() -> None:
    assert converted({"type": "integer", "x-nullable": True}) == {"type": ["integer", "null"]}


def test_converting_twice_changes_nothing_more() -> None:
    schema = converted({"type": "string", "nullable": True, "example": "x"})
    again = converted(dict(schema))
    assert again == schema


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"minimum": 1, "exclusiveMinimum": True}, {"exclusiveMinimum": 1}),
        ({"maximum": 9, "exclusiveMaximum": True}, {"exclusiveMaximum": 9}),
        ({"minimum": 1, "exclusiveMinimum": False}, {"minimum": 1}),
        ({"exclusiveMaximum": True}, {}),
        ({"exclusiveMinimum": 3}, {"exclusiveMinimum": 3}),
    ],
)
def test_boolean_exclusive_bounds_become_numeric(
    schema: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert converted(schema) == expected


def test_example_is_kept_and_copied_into_examples() -> None:
    assert converted({"type": "string", "example": "hi"}) == {
        "type": "string",
        "example": "hi",
        "examples": ["hi"],
    }


def test_ref_siblings_that_3_0_ignores_are_dropped_but_annotations_stay() -> None:
    schema = converted({"$ref": "#/a", "type": "object", "description": "d", "x-tag": 1})
    assert schema == {"$ref": "#/a", "description": "d", "x-tag": 1}


def test_type_file_becomes_a_binary_string() -> None:
    assert converted({"type": "file"}) == {"type": "string", "format": "binary"}


def test_a_draft_4_items_list_becomes_prefix_items() -> None:
    schema = converted({"items": [{"type": "string"}], "additionalItems": False})
    assert schema == {"prefixItems": [{"type": "string"}], "items": False}


@pytest.mark.parametrize(
    ("schema", "dropped"),
    [
        ({"type": "int"}, "type"),
        ({"required": True}, "required"),
        ({"enum": "a"}, "enum"),
        ({"minLength": -1}, "minLength"),
        ({"maximum": "10"}, "maximum"),
        ({"multipleOf": 0}, "multipleOf"),
        ({"pattern": "["}, "pattern"),
        ({"properties": {"a": None}}, "properties"),
        ({"allOf": []}, "allOf"),
        ({"additionalProperties": "no"}, "additionalProperties"),
        ({"examples": {"a": 1}}, "examples"),
        ({"format": 5}, "format"),
    ],
)
def test_a_keyword_no_validator_could_compile_is_dropped_with_a_note(
    schema: dict[str, Any], dropped: str
) -> None:
    notes = repair_node(schema)
    assert dropped not in schema
    assert notes and all(dropped in note for note in notes)
    jsonschema_rs.Draft202012Validator(schema)


def test_unknown_types_are_removed_from_a_type_list() -> None:
    schema = {"type": ["string", "date", "string"]}
    assert repair_node(schema)
    assert schema == {"type": ["string"]}


def test_a_valid_schema_gets_no_notes() -> None:
    schema = {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}
    assert repair_node(schema) == []


def test_a_ref_that_is_not_a_valid_uri_is_percent_encoded() -> None:
    schema = {"$ref": "#/paths/~1pets~1{id}/get/My Schema"}
    repair_node(schema)
    assert schema == {"$ref": "#/paths/~1pets~1%7Bid%7D/get/My%20Schema"}


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=6,
)
SCHEMAS_3_0 = st.fixed_dictionaries(
    {"type": st.sampled_from(sorted(JSON_TYPES - {"null"}))},
    optional={
        "enum": st.lists(JSON_VALUES, min_size=1, max_size=3),
        "minimum": st.integers(-5, 5),
        "exclusiveMinimum": st.booleans(),
        "allOf": st.just([{"not": {"const": 3}}]),
    },
)


@settings(max_examples=200, deadline=None)
@given(SCHEMAS_3_0, JSON_VALUES)
def test_a_nullable_schema_accepts_null_and_otherwise_what_it_accepted_before(
    schema: dict[str, Any], value: Any
) -> None:
    plain = converted(dict(schema))
    nullable = converted(dict(schema) | {"nullable": True})
    assert jsonschema_rs.Draft202012Validator(nullable).is_valid(None)
    if value is not None:
        expected = jsonschema_rs.Draft202012Validator(plain).is_valid(value)
        assert jsonschema_rs.Draft202012Validator(nullable).is_valid(value) == expected
