from __future__ import annotations

from typing import Any

import pytest

from twins.errors import ValidationFailed, Violation
from twins.request.schemas import DocumentSchemas, SchemaValidator, compile_schema

DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "Price": {"type": "integer", "minimum": 0},
            "Item": {
                "type": "object",
                "required": ["price"],
                "properties": {"price": {"$ref": "#/components/schemas/Price"}},
            },
            "Tree": {
                "type": "object",
                "properties": {"child": {"$ref": "#/components/schemas/Tree"}},
                "additionalProperties": False,
            },
        }
    }
}
ORDER = {
    "type": "object",
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}},
}


def violations(schema: Any, instance: Any) -> list[Violation]:
    return SchemaValidator.for_schema(schema, DOCUMENT).violations(instance)


def test_an_inline_schema_reaches_components_of_its_document() -> None:
    validator = compile_schema(ORDER, DOCUMENT)
    assert validator.is_valid({"items": [{"price": 1}]})
    assert not validator.is_valid({"items": [{"price": -1}]})


def test_a_recursive_component_is_validated_at_depth() -> None:
    tree = {"$ref": "#/components/schemas/Tree"}
    assert violations(tree, {"child": {"child": {"leaf": 1}}}) == [
        Violation("body", "child.child.leaf", "additionalProperties", "'leaf' is not allowed here")
    ]


def test_a_violation_names_the_dotted_field_and_the_keyword() -> None:
    [violation] = violations(ORDER, {"items": [{"price": 1}, {"price": -5}]})
    assert (violation.location, violation.field, violation.rule) == (
        "body",
        "items.1.price",
        "minimum",
    )
    assert violation.message == "-5 is less than the minimum of 0"


def test_a_missing_property_is_named_with_the_rule_required() -> None:
    [violation] = violations(ORDER, {"items": [{}]})
    assert (violation.field, violation.rule) == ("items.0.price", "required")


def test_an_any_of_error_is_narrowed_to_the_branch_the_client_meant() -> None:
    schema = {
        "anyOf": [
            {"type": "object", "properties": {"n": {"type": "integer"}}},
            {"type": "string", "enum": [""]},
        ]
    }
    [violation] = violations(schema, {"n": "x"})
    assert (violation.field, violation.rule) == ("n", "type")


def test_an_any_of_error_stays_whole_when_no_branch_is_clearly_meant() -> None:
    [violation] = violations({"anyOf": [{"type": "integer"}, {"type": "boolean"}]}, "x")
    assert violation.rule == "anyOf"


def test_formats_are_checked() -> None:
    [violation] = violations({"type": "string", "format": "date"}, "2024-13-45")
    assert violation.rule == "format"


def test_unknown_formats_are_ignored() -> None:
    assert violations({"type": "string", "format": "unix-time"}, "whenever") == []


def test_a_value_that_is_not_json_is_a_violation_not_an_exception() -> None:
    validator = SchemaValidator.for_schema({"type": "string"}, DOCUMENT)
    assert not validator.is_valid(b"bytes")
    assert [v.rule for v in validator.violations(b"bytes")] == ["type"]


def test_validate_raises_with_every_violation() -> None:
    validator = SchemaValidator.for_schema(ORDER, DOCUMENT)
    with pytest.raises(ValidationFailed) as raised:
        validator.validate({"items": [{"price": -1}, {}]}, location="response")
    assert [(v.location, v.field) for v in raised.value.violations] == [
        ("response", "items.0.price"),
        ("response", "items.1.price"),
    ]
    assert "(and 1 more)" in raised.value.message


def test_a_schema_that_cannot_compile_accepts_everything_and_says_why() -> None:
    validator = SchemaValidator({"type": "string", "pattern": "(?<=a"}, DOCUMENT)
    assert validator.problem is not None
    assert validator.is_valid(42)
    assert validator.violations(42) == []


def test_validators_are_compiled_once_per_schema() -> None:
    assert SchemaValidator.for_schema(ORDER, DOCUMENT) is SchemaValidator.for_schema(
        ORDER, DOCUMENT
    )
    assert DocumentSchemas.for_document(DOCUMENT) is DocumentSchemas.for_document(DOCUMENT)


def test_a_ref_resolves_to_its_schema_or_to_anything() -> None:
    schemas = DocumentSchemas.for_document(DOCUMENT)
    assert schemas.resolve("#/components/schemas/Price") == {"type": "integer", "minimum": 0}
    assert schemas.resolve("#/components/schemas/Nope") == {}
    assert schemas.resolve("https://elsewhere/schema.json") == {}
