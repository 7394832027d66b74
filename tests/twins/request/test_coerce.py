from __future__ import annotations

from typing import Any

import pytest

from twins.request.coerce import CoercerCompiler, coerce, schema_properties, schema_types

COMPONENTS: dict[str, Any] = {
    "Price": {"type": "integer", "minimum": 0},
    "Item": {"type": "object", "properties": {"price": {"$ref": "#/components/schemas/Price"}}},
    "Node": {
        "type": "object",
        "properties": {"size": {"type": "integer"}, "child": {"$ref": "#/components/schemas/Node"}},
    },
    "Deep": {"type": "array", "items": {"$ref": "#/components/schemas/Deep"}},
}


def resolve(ref: str) -> Any:
    return COMPONENTS[ref.rsplit("/", 1)[-1]]


def typed(value: Any, schema: Any) -> Any:
    return coerce(value, schema, resolve)


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("10", "integer", 10),
        ("-3", "integer", -3),
        ("1e3", "integer", 1000),
        ("2.0", "integer", 2),
        ("1.5", "number", 1.5),
        ("7", "number", 7),
        ("true", "boolean", True),
        ("False", "boolean", False),
        ("", "null", None),
        ("null", "null", None),
        ("10", "string", "10"),
    ],
)
def test_a_wire_string_becomes_its_schema_type(text: str, kind: str, expected: Any) -> None:
    result = typed(text, {"type": kind})
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("abc", "integer"),
        ("1.5", "integer"),
        ("١٢", "integer"),  # Arabic-Indic digits: int() reads them, JSON clients never send them
        ("nan", "number"),
        ("inf", "number"),
        ("1e999", "number"),
        pytest.param("9" * 5000, "integer", id="5000 digits"),
        ("yes", "boolean"),
        ("1", "boolean"),
        ("0", "boolean"),
        ("on", "boolean"),
        ("x", "null"),
    ],
)
def test_a_string_that_fits_no_type_is_left_for_the_validator(text: str, kind: str) -> None:
    assert typed(text, {"type": kind}) == text


def test_any_of_picks_the_first_branch_the_string_fits() -> None:
    schema = {"anyOf": [{"type": "integer"}, {"type": "string", "enum": [""]}]}
    assert typed("5", schema) == 5
    assert typed("", schema) == ""


def test_an_empty_value_unsets_stripe_metadata_as_an_empty_string() -> None:
    schema = {
        "anyOf": [
            {"type": "object", "additionalProperties": {"type": "string"}},
            {"type": "string", "enum": [""]},
        ]
    }
    assert typed("", schema) == ""
    assert typed({"k": "v"}, schema) == {"k": "v"}


def test_enum_decides_between_a_string_branch_and_an_integer_branch() -> None:
    schema = {"oneOf": [{"type": "string", "enum": ["auto"]}, {"type": "integer"}]}
    assert typed("auto", schema) == "auto"
    assert typed("7", schema) == 7


def test_a_type_list_with_string_keeps_the_string() -> None:
    assert typed("5", {"type": ["string", "integer"]}) == "5"


def test_a_nullable_integer_reads_an_empty_value_as_null() -> None:
    assert typed("", {"type": ["integer", "null"]}) is None
    assert typed("4", {"type": ["integer", "null"]}) == 4


def test_coercion_follows_refs_items_and_all_of() -> None:
    schema = {
        "allOf": [
            {"type": "object", "properties": {"count": {"type": "integer"}}},
            {
                "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
                }
            },
        ]
    }
    value = {"count": "2", "items": [{"price": "5"}, {"price": "x"}], "other": "1"}
    assert typed(value, schema) == {
        "count": 2,
        "items": [{"price": 5}, {"price": "x"}],
        "other": "1",
    }


def test_a_recursive_schema_is_coerced_at_every_level() -> None:
    value = {"size": "1", "child": {"size": "2", "child": {"size": "3"}}}
    assert typed(value, {"$ref": "#/components/schemas/Node"}) == {
        "size": 1,
        "child": {"size": 2, "child": {"size": 3}},
    }


def test_pattern_and_additional_properties_type_undeclared_keys() -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}},
        "patternProperties": {"^n_": {"type": "number"}},
        "additionalProperties": {"type": "boolean"},
    }
    value = {"name": "1", "n_x": "1.5", "flag": "true"}
    assert typed(value, schema) == {"name": "1", "n_x": 1.5, "flag": True}


def test_a_lone_value_becomes_a_one_item_array() -> None:
    assert typed("5", {"type": "array", "items": {"type": "integer"}}) == [5]


def test_json_text_becomes_an_array_where_the_schema_says_array() -> None:
    schema = {"type": "array", "items": {"type": "object"}}
    assert typed('[{"type": "section"}]', schema) == [{"type": "section"}]


def test_json_text_stays_a_string_where_the_schema_says_string() -> None:
    blocks = '[{"type": "section"}]'
    assert typed(blocks, {"type": "string"}) == blocks


def test_a_scalar_sent_twice_takes_the_last_value() -> None:
    assert typed(["1", "2"], {"type": "integer"}) == 2


def test_index_keys_become_an_array_in_index_order() -> None:
    schema = {"type": "array", "items": {"type": "integer"}}
    assert typed({"10": "3", "2": "1"}, schema) == [1, 3]


def test_a_list_becomes_an_object_keyed_by_index_where_the_schema_says_object() -> None:
    schema = {"type": "object", "additionalProperties": {"type": "integer"}}
    assert typed(["4", "5"], schema) == {"0": 4, "1": 5}


def test_values_already_typed_pass_through() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "number"}, "b": {"type": "boolean"}}}
    assert typed({"n": 3, "b": False}, schema) == {"n": 3, "b": False}


def test_coercion_leaves_its_input_untouched() -> None:
    value = {"count": "2", "tags": ["1"]}
    schema = {
        "properties": {
            "count": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "integer"}},
        }
    }
    assert typed(value, schema) == {"count": 2, "tags": [1]}
    assert value == {"count": "2", "tags": ["1"]}


def test_a_compiler_reuses_the_coercer_of_a_schema() -> None:
    compiler = CoercerCompiler(resolve)
    schema = {"type": "integer"}
    assert compiler.compile(schema) is compiler.compile(schema)


def test_types_and_properties_are_seen_through_refs_and_combinators() -> None:
    schema = {"anyOf": [{"$ref": "#/components/schemas/Item"}, {"type": "null"}]}
    assert schema_types(schema, resolve) == {"object", "null"}
    assert schema_properties(schema, resolve) == ("price",)
    assert schema_types({"enum": ["a", 1]}, resolve) == {"string", "integer"}


@pytest.mark.parametrize("text", ["[" * 500 + "]" * 500, "x"])
def test_a_string_under_a_recursive_array_schema_is_left_as_it_came(text: str) -> None:
    assert typed(text, {"$ref": "#/components/schemas/Deep"}) == text
