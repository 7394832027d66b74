"""Operations of OpenAPI 3.x documents: parameters, bodies, responses, security, problems."""

from __future__ import annotations

from typing import Any

import pytest

from twins.spec import Operation, Spec, load_spec

OK = {"200": {"description": "ok"}}


def openapi(paths: dict[str, Any], version: str = "3.0.3", **root: Any) -> Spec:
    return load_spec(
        {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": paths, **root}
    )


def operation(spec: Spec, label: str) -> Operation:
    return next(op for op in spec.operations if op.label == label)


def problems_at(spec: Spec, pointer: str) -> list[str]:
    return [f"{p.severity}: {p.message}" for p in spec.problems if p.pointer == pointer]


def test_each_path_and_method_is_one_operation_with_its_pointer() -> None:
    spec = openapi({"/pets/{petId}": {"get": {"responses": OK}, "delete": {"responses": OK}}})
    assert [op.label for op in spec.operations] == ["GET /pets/{petId}", "DELETE /pets/{petId}"]
    assert operation(spec, "GET /pets/{petId}").pointer == "/paths/~1pets~1{petId}/get"


def test_operation_parameters_override_path_parameters_by_name_and_location() -> None:
    shared = [
        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
        {"name": "id", "in": "header", "schema": {"type": "string"}},
    ]
    own = [{"name": "limit", "in": "query", "required": True, "schema": {"maximum": 5}}]
    spec = openapi({"/a": {"parameters": shared, "get": {"parameters": own, "responses": OK}}})
    parameters = {(p.name, p.location): p for p in operation(spec, "GET /a").parameters}
    assert set(parameters) == {("limit", "query"), ("id", "header")}
    assert parameters[("limit", "query")].required
    assert parameters[("limit", "query")].schema == {"maximum": 5}


def test_parameters_with_one_name_in_two_locations_are_distinct() -> None:
    params = [
        {"name": "id", "in": "path", "schema": {"type": "string"}},
        {"name": "id", "in": "query", "schema": {"type": "string"}},
    ]
    spec = openapi({"/a/{id}": {"get": {"parameters": params, "responses": OK}}})
    assert len(operation(spec, "GET /a/{id}").parameters) == 2


def test_parameter_refs_are_resolved() -> None:
    spec = openapi(
        {
            "/a": {
                "get": {"parameters": [{"$ref": "#/components/parameters/Page"}], "responses": OK}
            }
        },
        components={"parameters": {"Page": {"name": "page", "in": "query", "schema": {}}}},
    )
    [parameter] = operation(spec, "GET /a").parameters
    assert parameter.name == "page"


@pytest.mark.parametrize(
    ("location", "style", "explode"),
    [
        ("query", "form", True),
        ("cookie", "form", True),
        ("path", "simple", False),
        ("header", "simple", False),
    ],
)
def test_style_and_explode_default_by_location(location: str, style: str, explode: bool) -> None:
    param = {"name": "v", "in": location, "schema": {"type": "array"}}
    spec = openapi({"/a/{v}": {"get": {"parameters": [param], "responses": OK}}})
    found = next(p for p in operation(spec, "GET /a/{v}").parameters if p.location == location)
    assert (found.style, found.explode) == (style, explode)


def test_path_parameters_are_always_required() -> None:
    param = {"name": "id", "in": "path", "required": False, "schema": {}}
    spec = openapi({"/a/{id}": {"get": {"parameters": [param], "responses": OK}}})
    [parameter] = operation(spec, "GET /a/{id}").parameters
    assert parameter.required


def test_a_parameter_with_content_records_its_media_type() -> None:
    param = {
        "name": "filter",
        "in": "query",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
    spec = openapi({"/a": {"get": {"parameters": [param], "responses": OK}}})
    [parameter] = operation(spec, "GET /a").parameters
    assert (parameter.content_type, parameter.schema) == ("application/json", {"type": "object"})


def test_security_of_an_operation_overrides_the_root_and_empty_means_none() -> None:
    schemes = {"securitySchemes": {"key": {"type": "apiKey", "name": "k", "in": "header"}}}
    spec = openapi(
        {
            "/inherits": {"get": {"responses": OK}},
            "/public": {"get": {"security": [], "responses": OK}},
            "/optional": {"get": {"security": [{}, {"key": []}], "responses": OK}},
        },
        security=[{"key": []}],
        components=schemes,
    )
    assert operation(spec, "GET /inherits").security == ({"key": ()},)
    assert operation(spec, "GET /public").security == ()
    assert operation(spec, "GET /optional").security == ({}, {"key": ()})


def test_summary_tags_deprecated_and_operation_id_are_read() -> None:
    raw = {
        "summary": "List",
        "tags": ["pets"],
        "deprecated": True,
        "operationId": "list",
        "responses": OK,
    }
    found = operation(openapi({"/a": {"get": raw}}), "GET /a")
    assert (found.summary, found.tags, found.deprecated, found.operation_id) == (
        "List",
        ("pets",),
        True,
        "list",
    )


def test_response_codes_are_strings_and_ranges_upper_case() -> None:
    responses = {
        "200": {"description": ""},
        "4xx": {"description": ""},
        "default": {"description": ""},
    }
    found = operation(openapi({"/a": {"get": {"responses": responses}}}), "GET /a")
    assert list(found.responses) == ["200", "4XX", "default"]
    assert found.response_for(404) is found.responses["4XX"]


def test_examples_are_collected_from_example_and_examples() -> None:
    media = {
        "schema": {"type": "object"},
        "example": {"a": 1},
        "examples": {
            "second": {"value": {"a": 2}},
            "shared": {"$ref": "#/components/examples/Three"},
        },
    }
    spec = openapi(
        {
            "/a": {
                "get": {
                    "responses": {
                        "200": {"description": "", "content": {"application/json": media}}
                    }
                }
            }
        },
        components={"examples": {"Three": {"value": {"a": 3}}}},
    )
    json_media = operation(spec, "GET /a").responses["200"].json_media()
    assert json_media is not None
    assert json_media.examples == ({"a": 1}, {"a": 2}, {"a": 3})


def test_request_body_refs_headers_and_response_refs_are_resolved() -> None:
    components = {
        "requestBodies": {
            "Pet": {"required": True, "content": {"application/json": {"schema": {}}}}
        },
        "responses": {
            "Done": {
                "description": "done",
                "headers": {"X-Id": {"$ref": "#/components/headers/Id"}},
            }
        },
        "headers": {"Id": {"required": True, "schema": {"type": "string"}}},
    }
    raw = {
        "requestBody": {"$ref": "#/components/requestBodies/Pet"},
        "responses": {"201": {"$ref": "#/components/responses/Done"}},
    }
    found = operation(openapi({"/a": {"post": raw}}, components=components), "POST /a")
    assert found.request_body is not None and found.request_body.required
    assert found.responses["201"].description == "done"
    assert found.responses["201"].headers["X-Id"].required


def test_a_path_item_ref_is_followed() -> None:
    spec = openapi(
        {"/a": {"get": {"responses": OK}}, "/b": {"$ref": "#/paths/~1a"}},
    )
    assert {op.label for op in spec.operations} == {"GET /a", "GET /b"}


def test_webhooks_and_callbacks_give_no_operations() -> None:
    callback = {"{$request.body#/url}": {"post": {"responses": OK}}}
    spec = openapi(
        {"/subscribe": {"post": {"responses": OK, "callbacks": {"event": callback}}}},
        version="3.1.0",
        webhooks={"newPet": {"post": {"responses": OK}}},
    )
    assert [op.label for op in spec.operations] == ["POST /subscribe"]
    assert "newPet" in spec.document["webhooks"]


def test_a_document_without_paths_has_no_operations() -> None:
    spec = load_spec({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}})
    assert spec.operations == []
    assert spec.problems == []


def test_a_repeated_operation_id_is_a_warning() -> None:
    spec = openapi(
        {
            "/a": {"get": {"operationId": "same", "responses": OK}},
            "/b": {"get": {"operationId": "same", "responses": OK}},
        }
    )
    assert len(spec.operations) == 2
    assert problems_at(spec, "/paths/~1b/get") == ["warning: operationId 'same' repeats GET /a"]


def test_a_dangling_parameter_ref_skips_only_that_operation_and_names_the_pointer() -> None:
    spec = openapi(
        {
            "/broken": {
                "get": {"parameters": [{"$ref": "#/components/parameters/Nope"}], "responses": OK}
            },
            "/fine": {"get": {"responses": OK}},
        }
    )
    assert [op.label for op in spec.operations] == ["GET /fine"]
    [message] = problems_at(spec, "/paths/~1broken/get/parameters/0")
    assert message.startswith("error: ") and "#/components/parameters/Nope" in message


def test_a_parameter_without_a_name_is_dropped_with_a_warning_naming_it() -> None:
    params = [{"in": "query", "schema": {}}, {"name": "ok", "in": "query", "schema": {}}]
    spec = openapi({"/a": {"get": {"parameters": params, "responses": OK}}})
    assert [p.name for p in operation(spec, "GET /a").parameters] == ["ok"]
    assert problems_at(spec, "/paths/~1a/get/parameters/0") == [
        "warning: parameter has no name: parameter ignored"
    ]


def test_a_path_parameter_missing_from_the_template_is_dropped_with_a_warning() -> None:
    params = [{"name": "id", "in": "path", "required": True, "schema": {}}]
    spec = openapi({"/a": {"get": {"parameters": params, "responses": OK}}})
    assert operation(spec, "GET /a").parameters == ()
    [message] = problems_at(spec, "/paths/~1a/get/parameters/0")
    assert "not in the path template" in message


def test_an_undeclared_template_variable_becomes_a_text_parameter_with_a_warning() -> None:
    spec = openapi({"/a/{id}": {"get": {"responses": OK}}})
    [parameter] = operation(spec, "GET /a/{id}").parameters
    assert (parameter.name, parameter.location, parameter.required) == ("id", "path", True)
    assert problems_at(spec, "/paths/~1a~1{id}/get")


def test_a_malformed_operation_is_skipped_with_an_error() -> None:
    spec = openapi({"/a": {"get": "nonsense", "post": {"responses": OK}}})
    assert [op.label for op in spec.operations] == ["POST /a"]
    assert problems_at(spec, "/paths/~1a/get") == ["error: an operation must be an object"]


def test_a_dangling_schema_ref_keeps_the_operation_with_a_warning() -> None:
    media = {"application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}}
    spec = openapi({"/a": {"get": {"responses": {"200": {"description": "", "content": media}}}}})
    found = operation(spec, "GET /a")
    assert found.responses["200"].content["application/json"].schema == {}
    [problem] = spec.problems
    assert problem.severity == "warning"
    assert problem.pointer == "/paths/~1a/get/responses/200/content/application~1json/schema"


def test_an_invalid_status_code_is_ignored_with_a_warning() -> None:
    responses = {"200": {"description": ""}, "600": {"description": ""}}
    found = operation(openapi({"/a": {"get": {"responses": responses}}}), "GET /a")
    assert list(found.responses) == ["200"]
