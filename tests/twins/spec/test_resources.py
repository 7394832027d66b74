"""Resources are inferred from paths and schemas; each operation gets a behaviour."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import OWN_SPECS, shared_spec
from twins.spec import load_spec
from twins.spec.resources import infer_resources


def spec_with(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas or {}},
    }


def ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


THING = {"type": "object", "properties": {"id": {"type": "string"}, "status": {"type": "string"}}}
REF = {"$ref": "#/components/schemas/Thing"}


def behaviours(document: dict[str, Any]) -> dict[str, str]:
    spec = load_spec(document)
    model = infer_resources(spec)
    return {op.label: model.behaviour(op).kind for op in spec.operations}


def test_a_collection_and_its_item_path_make_a_crud_resource() -> None:
    kinds = behaviours(
        spec_with(
            {
                "/things": {
                    "get": {"responses": ok({"type": "array", "items": REF})},
                    "post": {"responses": ok(REF)},
                },
                "/things/{thingId}": {
                    "get": {"responses": ok(REF)},
                    "patch": {"responses": ok(REF)},
                    "put": {"responses": ok(REF)},
                    "delete": {"responses": {"204": {"description": "gone"}}},
                },
                "/things/{thingId}/archive": {"post": {"responses": ok(REF)}},
            },
            {"Thing": THING},
        )
    )
    assert kinds == {
        "GET /things": "list",
        "POST /things": "create",
        "GET /things/{thingId}": "read",
        "PATCH /things/{thingId}": "update",
        "PUT /things/{thingId}": "replace",
        "DELETE /things/{thingId}": "delete",
        "POST /things/{thingId}/archive": "action",
    }


def test_an_rpc_style_post_is_answered_from_its_schema() -> None:
    kinds = behaviours(spec_with({"/chat.postMessage": {"post": {"responses": ok(THING)}}}))
    assert kinds == {"POST /chat.postMessage": "generated"}


def test_a_path_with_get_and_put_but_no_id_is_a_singleton() -> None:
    kinds = behaviours(
        spec_with({"/settings": {"get": {"responses": ok(THING)}, "put": {"responses": ok(THING)}}})
    )
    assert kinds == {"GET /settings": "singleton", "PUT /settings": "singleton"}


@pytest.mark.parametrize(
    "param, properties, key",
    [
        ("thingId", {"id": {"type": "string"}}, "id"),
        ("name", {"id": {"type": "integer"}, "name": {"type": "string"}}, "name"),
        ("issue_number", {"id": {"type": "integer"}, "number": {"type": "integer"}}, "number"),
        ("customer", {"id": {"type": "string"}}, "id"),
    ],
)
def test_the_key_field_follows_the_item_parameter(
    param: str, properties: dict[str, Any], key: str
) -> None:
    schema = {"type": "object", "properties": properties}
    spec = load_spec(
        spec_with(
            {
                "/things": {"post": {"responses": ok(schema)}},
                f"/things/{{{param}}}": {"get": {"responses": ok(schema)}},
            }
        )
    )
    (resource,) = infer_resources(spec).resources
    assert resource.key_field == key


def test_nested_collections_know_their_parent() -> None:
    spec = load_spec(OWN_SPECS / "bookshop.yaml")
    model = infer_resources(spec)
    reviews = next(r for r in model.resources if r.name == "reviews")
    assert reviews.parent is not None and reviews.parent.name == "books"
    assert reviews.parent_params == ("isbn",)


def test_stripe_customers_are_a_crud_resource() -> None:
    spec = load_spec(shared_spec("stripe/spec3.yaml"))
    model = infer_resources(spec)
    kinds = {op.label: model.behaviour(op).kind for op in spec.operations}
    assert kinds["POST /v1/customers"] == "create"
    assert kinds["GET /v1/customers"] == "list"
    assert kinds["GET /v1/customers/{customer}"] == "read"
    assert kinds["POST /v1/customers/{customer}"] == "update"
    assert kinds["DELETE /v1/customers/{customer}"] == "delete"
    assert kinds["POST /v1/payment_intents/{intent}/cancel"] == "action"
