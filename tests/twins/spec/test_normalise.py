"""The schema pass over a whole document: reach every schema once, convert, check refs."""

from __future__ import annotations

from typing import Any

import pytest

from twins.errors import Problem
from twins.spec.loader import load_spec
from twins.spec.normalise import normalise_schemas


def document_with(schema: dict[str, Any], **schemas: Any) -> dict[str, Any]:
    media = {"application/json": {"schema": schema}}
    operation = {"responses": {"200": {"description": "", "content": media}}}
    return {"paths": {"/a": {"get": operation}}, "components": {"schemas": schemas}}


def response_schema(document: dict[str, Any]) -> Any:
    return document["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]


def test_schemas_in_components_and_operations_are_converted() -> None:
    document = document_with(
        {"type": "string", "nullable": True}, Pet={"type": "object", "nullable": True}
    )
    normalise_schemas(document, convert=True, problems=[])
    assert response_schema(document) == {"type": ["string", "null"]}
    assert document["components"]["schemas"]["Pet"] == {"type": ["object", "null"]}


def test_schemas_of_parameters_headers_and_bodies_are_converted() -> None:
    nullable = {"type": "integer", "nullable": True}
    document = {
        "paths": {
            "/a": {
                "parameters": [{"name": "q", "in": "query", "schema": dict(nullable)}],
                "post": {
                    "requestBody": {"content": {"a/b": {"schema": dict(nullable)}}},
                    "responses": {
                        "200": {"description": "", "headers": {"X": {"schema": dict(nullable)}}}
                    },
                },
            }
        }
    }
    normalise_schemas(document, convert=True, problems=[])
    item = document["paths"]["/a"]
    assert item["parameters"][0]["schema"]["type"] == ["integer", "null"]
    assert item["post"]["requestBody"]["content"]["a/b"]["schema"]["type"] == ["integer", "null"]
    headers = item["post"]["responses"]["200"]["headers"]
    assert headers["X"]["schema"]["type"] == ["integer", "null"]


def test_a_schema_kept_in_an_odd_place_is_converted_when_referenced() -> None:
    document = document_with({"$ref": "#/definitions/Old"})
    document["definitions"] = {"Old": {"type": "string", "nullable": True}}
    normalise_schemas(document, convert=True, problems=[])
    assert document["definitions"]["Old"] == {"type": ["string", "null"]}


def test_3_1_schemas_are_left_as_they_are() -> None:
    document = document_with({"type": "string", "nullable": True, "example": "x"})
    normalise_schemas(document, convert=False, problems=[])
    assert response_schema(document) == {"type": "string", "nullable": True, "example": "x"}


def test_a_dangling_schema_ref_becomes_anything_with_a_warning_naming_its_pointer() -> None:
    document = document_with({"properties": {"pet": {"$ref": "#/components/schemas/Nope"}}})
    problems: list[Problem] = []
    normalise_schemas(document, convert=True, problems=problems)
    assert response_schema(document) == {"properties": {"pet": {}}}
    [problem] = problems
    assert problem.severity == "warning"
    assert problem.pointer == (
        "/paths/~1a/get/responses/200/content/application~1json/schema/properties/pet"
    )
    assert "#/components/schemas/Nope" in problem.message


def test_a_non_local_schema_ref_is_dropped_with_a_warning() -> None:
    document = document_with({"$ref": "https://example.com/pet.json"})
    problems: list[Problem] = []
    normalise_schemas(document, convert=True, problems=problems)
    assert response_schema(document) == {}
    assert "not local" in problems[0].message


def test_circular_refs_are_left_as_refs() -> None:
    node = {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}
    document = document_with({"$ref": "#/components/schemas/Node"}, Node=node)
    problems: list[Problem] = []
    normalise_schemas(document, convert=True, problems=problems)
    assert problems == []
    assert document["components"]["schemas"]["Node"]["properties"]["next"] == {
        "$ref": "#/components/schemas/Node"
    }


def test_a_very_deep_schema_does_not_hit_the_recursion_limit() -> None:
    leaf: dict[str, Any] = {"type": "string", "nullable": True}
    schema = leaf
    for _ in range(5000):
        schema = {"type": "object", "properties": {"child": schema}}
    document = document_with(schema)
    normalise_schemas(document, convert=True, problems=[])
    assert leaf == {"type": ["string", "null"]}


def test_an_example_that_looks_like_a_schema_is_not_touched() -> None:
    example = {"$ref": "#/nowhere", "nullable": True}
    document = document_with({"type": "object", "example": example, "default": example})
    problems: list[Problem] = []
    normalise_schemas(document, convert=True, problems=problems)
    assert response_schema(document)["example"] == {"$ref": "#/nowhere", "nullable": True}
    assert problems == []


def test_a_repair_is_reported_with_the_schema_pointer() -> None:
    document = document_with({}, Pet={"properties": {"name": {"type": "string", "required": True}}})
    problems: list[Problem] = []
    normalise_schemas(document, convert=True, problems=problems)
    assert [p.pointer for p in problems] == ["/components/schemas/Pet/properties/name"]


_INT32 = {"type": "integer", "format": "int32"}


@pytest.mark.parametrize(
    ("version", "limit"),
    [
        ({"swagger": "2.0"}, {"name": "limit", "in": "query", **_INT32}),
        ({"openapi": "3.0.3"}, {"name": "limit", "in": "query", "schema": dict(_INT32)}),
        ({"openapi": "3.1.0"}, {"name": "limit", "in": "query", "schema": dict(_INT32)}),
    ],
    ids=["2.0", "3.0", "3.1"],
)
def test_integer_formats_become_bounds_in_every_version(
    version: dict[str, str], limit: dict[str, Any]
) -> None:
    operation = {"parameters": [limit], "responses": {"200": {"description": ""}}}
    spec = load_spec({**version, "info": {}, "paths": {"/pets": {"get": operation}}})
    schema = spec.operations[0].parameters[0].schema
    assert (schema["minimum"], schema["maximum"]) == (-(2**31), 2**31 - 1)


def test_an_exclusive_maximum_of_3_0_is_read_before_the_format_bounds_it() -> None:
    schema = {"type": "integer", "format": "int32", "maximum": 10, "exclusiveMaximum": True}
    document = document_with(schema)
    normalise_schemas(document, convert=True, problems=[])
    assert response_schema(document) == {
        "type": "integer",
        "format": "int32",
        "exclusiveMaximum": 10,
        "minimum": -(2**31),
    }
