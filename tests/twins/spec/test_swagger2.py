"""Swagger 2.0 documents, loaded through `load_spec`, come out in OpenAPI 3.x shape."""

from __future__ import annotations

from typing import Any

import pytest

from twins.spec import Operation, Spec, load_spec


def swagger(paths: dict[str, Any], **root: Any) -> Spec:
    return load_spec(
        {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": paths, **root}
    )


def only_operation(spec: Spec) -> Operation:
    [operation] = spec.operations
    return operation


OK = {"200": {"description": "ok"}}


def test_definitions_move_to_components_schemas_and_refs_follow() -> None:
    spec = swagger(
        {
            "/pets": {
                "get": {
                    "responses": {
                        "200": {"description": "", "schema": {"$ref": "#/definitions/Pet"}}
                    }
                }
            }
        },
        definitions={"Pet": {"type": "object", "x-nullable": True}},
    )
    assert spec.document["components"]["schemas"]["Pet"] == {"type": ["object", "null"]}
    media = only_operation(spec).responses["200"].content["application/json"]
    assert media.schema == {"$ref": "#/components/schemas/Pet"}


def test_a_body_parameter_becomes_a_request_body_per_consumes_type() -> None:
    body = {"name": "pet", "in": "body", "required": True, "schema": {"type": "object"}}
    spec = swagger(
        {"/pets": {"post": {"parameters": [body], "responses": OK}}},
        consumes=["application/json", "application/xml"],
    )
    request_body = only_operation(spec).request_body
    assert request_body is not None and request_body.required
    assert list(request_body.content) == ["application/json", "application/xml"]
    assert only_operation(spec).parameters == ()


def test_a_body_parameter_defaults_to_json() -> None:
    body = {"name": "pet", "in": "body", "schema": {"type": "object"}}
    spec = swagger({"/pets": {"post": {"parameters": [body], "responses": OK}}})
    request_body = only_operation(spec).request_body
    assert request_body is not None and not request_body.required
    assert list(request_body.content) == ["application/json"]


def test_form_data_parameters_become_an_urlencoded_object() -> None:
    params = [
        {"name": "channel", "in": "formData", "type": "string", "required": True},
        {
            "name": "tags",
            "in": "formData",
            "type": "array",
            "items": {"type": "string"},
            "collectionFormat": "multi",
        },
    ]
    spec = swagger({"/chat": {"post": {"parameters": params, "responses": OK}}})
    request_body = only_operation(spec).request_body
    assert request_body is not None and request_body.required
    media = request_body.content["application/x-www-form-urlencoded"]
    assert media.schema["required"] == ["channel"]
    assert media.schema["properties"]["tags"] == {"type": "array", "items": {"type": "string"}}
    assert media.encoding == {"tags": {"style": "form", "explode": True}}


def test_a_file_parameter_makes_the_form_multipart_with_a_binary_string() -> None:
    params = [{"name": "upload", "in": "formData", "type": "file"}]
    spec = swagger({"/files": {"post": {"parameters": params, "responses": OK}}})
    request_body = only_operation(spec).request_body
    assert request_body is not None
    media = request_body.content["multipart/form-data"]
    assert media.schema["properties"]["upload"] == {"type": "string", "format": "binary"}


def test_form_data_keeps_every_consumes_type_slack_style() -> None:
    params = [{"name": "text", "in": "formData", "type": "string"}]
    consumes = ["application/x-www-form-urlencoded", "application/json"]
    operation = {"parameters": params, "responses": OK, "consumes": consumes}
    spec = swagger({"/chat": {"post": operation}})
    request_body = only_operation(spec).request_body
    assert request_body is not None
    assert list(request_body.content) == consumes


def test_path_level_body_parameters_reach_every_operation() -> None:
    body = {"name": "b", "in": "body", "schema": {"type": "string"}}
    spec = swagger(
        {"/a": {"parameters": [body], "put": {"responses": OK}, "post": {"responses": OK}}}
    )
    assert all(op.request_body is not None for op in spec.operations)


def test_a_global_body_parameter_ref_is_inlined_as_the_request_body() -> None:
    spec = swagger(
        {"/a": {"post": {"parameters": [{"$ref": "#/parameters/Body"}], "responses": OK}}},
        parameters={"Body": {"name": "b", "in": "body", "schema": {"type": "string"}}},
    )
    request_body = only_operation(spec).request_body
    assert request_body is not None
    assert request_body.content["application/json"].schema == {"type": "string"}


def test_a_global_query_parameter_moves_to_components_and_its_ref_resolves() -> None:
    spec = swagger(
        {"/a": {"get": {"parameters": [{"$ref": "#/parameters/Limit"}], "responses": OK}}},
        parameters={"Limit": {"name": "limit", "in": "query", "type": "integer", "maximum": 5}},
    )
    [parameter] = only_operation(spec).parameters
    assert parameter.name == "limit"
    assert parameter.schema == {"type": "integer", "maximum": 5}
    assert "Limit" in spec.document["components"]["parameters"]


@pytest.mark.parametrize(
    ("collection_format", "style", "explode"),
    [
        (None, "form", False),
        ("csv", "form", False),
        ("multi", "form", True),
        ("ssv", "spaceDelimited", False),
        ("pipes", "pipeDelimited", False),
    ],
)
def test_collection_format_becomes_style_and_explode(
    collection_format: str | None, style: str, explode: bool
) -> None:
    param: dict[str, Any] = {
        "name": "ids",
        "in": "query",
        "type": "array",
        "items": {"type": "integer"},
    }
    if collection_format:
        param["collectionFormat"] = collection_format
    spec = swagger({"/a": {"get": {"parameters": [param], "responses": OK}}})
    [parameter] = only_operation(spec).parameters
    assert (parameter.style, parameter.explode) == (style, explode)
    assert parameter.schema == {"type": "array", "items": {"type": "integer"}}


def test_response_schema_and_examples_become_content_per_produces_type() -> None:
    response = {
        "description": "ok",
        "schema": {"type": "object"},
        "examples": {"application/json": {"id": 1}},
        "headers": {"X-Rate-Limit": {"type": "integer", "description": "calls left"}},
    }
    spec = swagger(
        {
            "/a": {
                "get": {
                    "responses": {"200": response},
                    "produces": ["application/json", "text/plain"],
                }
            }
        }
    )
    ok = only_operation(spec).responses["200"]
    assert list(ok.content) == ["application/json", "text/plain"]
    assert ok.content["application/json"].examples == ({"id": 1},)
    assert ok.headers["X-Rate-Limit"].schema == {"type": "integer"}


def test_a_bodiless_response_gets_no_content_but_the_operation_keeps_its_produces() -> None:
    made = {"201": {"description": "made"}}
    spec = swagger(
        {
            "/a": {"post": {"responses": made, "produces": ["application/xml", "text/plain"]}},
            "/b": {"delete": {"responses": {"204": {"description": "gone"}}}},
        },
        produces=["application/json"],
    )
    own, inherited = spec.operations
    assert own.responses["201"].content == {}
    assert own.produces == ("application/xml", "text/plain")
    assert inherited.produces == ("application/json",)


def test_an_operation_of_a_3x_document_produces_nothing_of_its_own() -> None:
    spec = load_spec(
        {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"delete": {"responses": {"204": {"description": "gone"}}}}},
        }
    )
    assert only_operation(spec).produces == ()


def test_global_responses_move_to_components() -> None:
    spec = swagger(
        {"/a": {"get": {"responses": {"404": {"$ref": "#/responses/NotFound"}}}}},
        responses={"NotFound": {"description": "gone", "schema": {"type": "string"}}},
    )
    missing = only_operation(spec).responses["404"]
    assert missing.description == "gone"
    assert missing.content["application/json"].schema == {"type": "string"}


def test_security_definitions_become_security_schemes() -> None:
    definitions = {
        "basic": {"type": "basic"},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "implicit": {
            "type": "oauth2",
            "flow": "implicit",
            "authorizationUrl": "https://a/auth",
            "scopes": {"read": "r"},
        },
        "app": {
            "type": "oauth2",
            "flow": "application",
            "tokenUrl": "https://a/token",
            "scopes": {},
        },
        "code": {
            "type": "oauth2",
            "flow": "accessCode",
            "authorizationUrl": "https://a/auth",
            "tokenUrl": "https://a/token",
            "scopes": {},
        },
        "password": {
            "type": "oauth2",
            "flow": "password",
            "tokenUrl": "https://a/token",
            "scopes": {},
        },
    }
    spec = swagger({}, securityDefinitions=definitions)
    schemes = spec.security_schemes
    assert (schemes["basic"].type, schemes["basic"].scheme) == ("http", "basic")
    assert (schemes["key"].location, schemes["key"].parameter_name) == ("header", "X-Key")
    assert schemes["implicit"].flows == {
        "implicit": {"authorizationUrl": "https://a/auth", "scopes": {"read": "r"}}
    }
    assert list(schemes["app"].flows) == ["clientCredentials"]
    assert list(schemes["code"].flows) == ["authorizationCode"]
    assert list(schemes["password"].flows) == ["password"]


def test_host_base_path_and_schemes_become_servers() -> None:
    spec = swagger({}, host="api.example.com:8443", basePath="/v2/", schemes=["http", "https"])
    assert spec.document["servers"] == [
        {"url": "http://api.example.com:8443/v2/"},
        {"url": "https://api.example.com:8443/v2/"},
    ]
    assert spec.base_path == "/v2"
    assert spec.hosts == ("api.example.com",)


def test_a_base_path_without_host_is_still_the_base_path() -> None:
    assert swagger({}, basePath="/api").base_path == "/api"


def test_the_normalised_document_says_openapi_3_1_and_the_spec_keeps_the_source_version() -> None:
    spec = swagger({})
    assert spec.document["openapi"] == "3.1.0"
    assert spec.source_version == "2.0"
    assert "swagger" not in spec.document
