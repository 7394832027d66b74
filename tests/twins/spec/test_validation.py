"""`schema_validator`: compiled schemas whose `#/components/...` refs resolve in the document."""

from __future__ import annotations

from typing import Any

from twins.spec import Spec, load_spec, schema_validator, spec_registry
from twins.spec.validation import absolute_refs, document_registry, document_validator


def spec_with(schema: dict[str, Any], **schemas: Any) -> Spec:
    media = {"application/json": {"schema": schema}}
    return load_spec(
        {
            "openapi": "3.0.3",
            "info": {},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "", "content": media}}}}},
            "components": {"schemas": schemas},
        }
    )


PET = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "owner": {"$ref": "#/components/schemas/Owner"}},
}
OWNER = {"type": "object", "nullable": True, "properties": {"id": {"type": "integer"}}}


def test_an_operation_schema_with_local_refs_validates_through_the_document() -> None:
    spec = spec_with(
        {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}, Pet=PET, Owner=OWNER
    )
    schema = spec.operations[0].responses["200"].content["application/json"].schema
    validator = schema_validator(spec, schema)
    assert validator.is_valid([{"name": "Rex", "owner": None}, {"name": "Tom", "owner": {"id": 1}}])
    assert not validator.is_valid([{"owner": {"id": 1}}])
    assert not validator.is_valid([{"name": "Rex", "owner": {"id": "one"}}])


def test_a_schema_made_up_by_the_caller_can_use_the_documents_refs() -> None:
    spec = spec_with({}, Pet=PET, Owner=OWNER)
    validator = schema_validator(
        spec, {"properties": {"pet": {"$ref": "#/components/schemas/Pet"}}}
    )
    assert not validator.is_valid({"pet": {}})


def test_a_circular_schema_compiles_and_validates() -> None:
    node = {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}
    spec = spec_with({"$ref": "#/components/schemas/Node"}, Node=node)
    validator = schema_validator(spec, {"$ref": "#/components/schemas/Node"})
    assert validator.is_valid({"next": {"next": {}}})
    assert not validator.is_valid({"next": {"next": 1}})


def test_formats_are_only_checked_when_asked() -> None:
    spec = spec_with({})
    schema = {"type": "string", "format": "date"}
    assert schema_validator(spec, schema).is_valid("not a date")
    assert not schema_validator(spec, schema, validate_formats=True).is_valid("not a date")


def test_absolute_refs_copies_the_schema_and_leaves_examples_alone() -> None:
    schema = {
        "properties": {"a": {"$ref": "#/components/schemas/A"}},
        "example": {"$ref": "#/x"},
    }
    rewritten = absolute_refs(schema)
    assert rewritten == {
        "properties": {"a": {"$ref": "urn:dtu:spec#/components/schemas/A"}},
        "example": {"$ref": "#/x"},
    }
    assert schema["properties"]["a"] == {"$ref": "#/components/schemas/A"}


def test_a_bare_document_validates_like_its_spec() -> None:
    spec = spec_with({}, Pet=PET, Owner=OWNER)
    schema = {"items": {"$ref": "#/components/schemas/Pet"}}
    pets = [[{"name": "Rex"}], [{"owner": None}]]
    by_spec = schema_validator(spec, schema)
    by_document = document_validator(spec.document, schema)
    assert [by_document.is_valid(p) for p in pets] == [by_spec.is_valid(p) for p in pets]


def test_a_documents_registry_is_built_once_and_shared_with_its_spec() -> None:
    spec = spec_with({}, Pet=PET)
    assert document_registry(spec.document) is spec_registry(spec)
    assert document_registry(spec.document) is document_registry(spec.document)
