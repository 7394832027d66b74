"""Replies keep the spec's media types: a bodiless reply of a Swagger 2.0 operation still names
one its `produces` lists, as 2.0 clients (and schemathesis) read it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from twins.server import build_server

PET = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
ID = {"name": "id", "in": "path", "required": True, "type": "integer"}
BODY = {"name": "pet", "in": "body", "required": True, "schema": PET}


def swagger(produces: list[str]) -> dict[str, Any]:
    return {
        "swagger": "2.0",
        "info": {"title": "pets", "version": "1"},
        "produces": produces,
        "paths": {
            "/pets": {
                "get": {"responses": {"200": {"description": "", "schema": {"items": PET}}}},
                "post": {"parameters": [BODY], "responses": {"201": {"description": "made"}}},
            },
            "/pets/{id}": {
                "parameters": [ID],
                "get": {"responses": {"200": {"description": "", "schema": PET}}},
                "delete": {"responses": {"204": {"description": "gone"}}},
            },
        },
    }


def client_for(tmp_path: Path, document: dict[str, Any]) -> TestClient:
    spec = tmp_path / "pets.yaml"
    spec.write_text(yaml.safe_dump(document))
    return TestClient(build_server({"pets": spec}), base_url="http://t")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with client_for(tmp_path, swagger(["application/json"])) as test_client:
        yield test_client


def test_a_bodiless_created_reply_of_a_2_0_operation_names_the_produced_type(
    client: TestClient,
) -> None:
    response = client.post("/pets/pets", json={"id": 1, "name": "rex"})
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    assert response.content == b""


def test_a_2_0_no_content_reply_names_the_produced_type_too(client: TestClient) -> None:
    client.post("/pets/pets", json={"id": 1, "name": "rex"})
    response = client.delete("/pets/pets/1")
    assert response.status_code == 204
    assert response.headers["content-type"] == "application/json"
    assert response.content == b""


def test_json_is_named_first_among_produced_types(tmp_path: Path) -> None:
    with client_for(tmp_path, swagger(["application/xml", "application/json"])) as client:
        response = client.post("/pets/pets", json={"id": 1, "name": "rex"})
    assert response.headers["content-type"] == "application/json"


def test_a_bodiless_reply_of_a_3x_operation_names_no_type(tmp_path: Path) -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "pets", "version": "1"},
        "paths": {"/pets": {"post": {"responses": {"201": {"description": "made"}}}}},
    }
    with client_for(tmp_path, document) as client:
        response = client.post("/pets/pets")
    assert response.status_code == 201
    assert "content-type" not in response.headers
