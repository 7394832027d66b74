"""Saying "not found" in the words an operation has: declared statuses first, then the vendor's
404; parents and records that exist from first sight; deletions that stay, or have nothing to
remember."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from twins.behaviour.missing import declares_not_found, not_found, remembers_deletion
from twins.server import build_server
from twins.spec import load_spec
from twins.spec.model import Operation
from twins.spec.resources import infer_resources

LABEL = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}
NEW_LABEL = {"type": "object", "properties": {"name": {"type": "string"}}}
NOTE = {"type": "object", "properties": {"id": {"type": "integer"}, "text": {"type": "string"}}}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}


def ok(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def sent(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def bare(*statuses: str) -> dict[str, Any]:
    return {status: {"description": status} for status in statuses}


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "labels", "version": "1"},
    "paths": {
        "/labels": {
            "get": {"responses": ok({"type": "array", "items": LABEL})},
            "post": {"requestBody": sent(NEW_LABEL), "responses": ok(LABEL, "201")},
        },
        "/labels/{id}": {
            "parameters": [ID],
            "get": {"responses": {**ok(LABEL), **bare("409")}},
            "patch": {"requestBody": sent(NEW_LABEL), "responses": {**ok(LABEL), **bare("422")}},
            "delete": {"responses": bare("204")},
        },
        "/labels/{id}/notes": {
            "parameters": [ID],
            "get": {"responses": ok({"type": "array", "items": NOTE})},
            "post": {"requestBody": sent(NOTE), "responses": ok(NOTE, "201")},
        },
        "/labels/{id}/pins": {
            "parameters": [ID],
            "get": {"responses": {**ok({"type": "array", "items": NOTE}), **bare("404")}},
            "post": {"requestBody": sent(NOTE), "responses": {**ok(NOTE, "201"), **bare("404")}},
        },
        "/status/{code}": {
            "parameters": [{**ID, "name": "code"}],
            "get": {"responses": bare("200", "400")},
            "delete": {"responses": bare("200", "400")},
        },
    },
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    spec = tmp_path / "labels.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    with TestClient(build_server({"labels": spec}), base_url="http://t") as test_client:
        yield test_client


def created_label(client: TestClient) -> int:
    label_id: int = client.post("/labels/labels", json={"name": "bug"}).json()["id"]
    assert client.delete(f"/labels/labels/{label_id}").status_code == 204
    return label_id


def operation(label: str) -> Operation:
    spec = load_spec(SPEC)
    return next(op for op in spec.operations if op.label == label)


def test_a_deleted_record_is_refused_with_the_409_its_operation_declares(
    client: TestClient,
) -> None:
    label_id = created_label(client)
    assert client.get(f"/labels/labels/{label_id}").status_code == 409


def test_a_deleted_record_is_a_404_where_only_a_validation_error_is_declared(
    client: TestClient,
) -> None:
    label_id = created_label(client)
    response = client.patch(f"/labels/labels/{label_id}", json={"name": "x"})
    assert response.status_code == 404
    assert "no labels" in response.json()["detail"]


def test_deleting_a_deleted_record_succeeds_again_where_the_spec_cannot_say_not_found(
    client: TestClient,
) -> None:
    label_id = created_label(client)
    assert client.delete(f"/labels/labels/{label_id}").status_code == 204
    assert client.get(f"/labels/labels/{label_id}").status_code == 409


def test_a_child_of_an_unknown_parent_makes_the_parent_exist_from_first_sight(
    client: TestClient,
) -> None:
    assert client.post("/labels/labels/77/notes", json={"text": "hi"}).status_code == 201
    parent = client.get("/labels/labels/77")
    assert parent.status_code == 200
    assert parent.json()["id"] == 77
    assert [note["text"] for note in client.get("/labels/labels/77/notes").json()] == ["hi"]


def test_a_child_of_an_unknown_parent_is_a_404_where_the_operation_declares_one(
    client: TestClient,
) -> None:
    assert client.post("/labels/labels/78/pins", json={"text": "hi"}).status_code == 404
    assert client.get("/labels/labels/78/pins").status_code == 404


def test_a_child_of_a_deleted_parent_is_not_found_even_where_no_404_is_declared(
    client: TestClient,
) -> None:
    label_id = created_label(client)
    assert client.post(f"/labels/labels/{label_id}/notes", json={"text": "x"}).status_code == 404
    assert client.get(f"/labels/labels/{label_id}/notes").status_code == 404


def test_a_record_nothing_describes_and_nobody_creates_is_back_after_a_delete(
    client: TestClient,
) -> None:
    assert client.delete("/labels/status/418").status_code == 200
    assert client.get("/labels/status/418").status_code == 200


def test_an_operation_declaring_4xx_or_default_can_say_not_found() -> None:
    assert declares_not_found(operation("GET /labels/{id}/pins"))
    ranged = operation("GET /labels/{id}")
    ranged.responses = {"200": ranged.responses["200"], "4XX": ranged.responses["409"]}
    assert declares_not_found(ranged)
    assert not declares_not_found(operation("PATCH /labels/{id}"))


def test_gone_prefers_410_then_409_and_never_borrows_a_validation_status() -> None:
    read = operation("GET /labels/{id}")
    assert not_found(read, "gone").status == 409
    read.responses["410"] = read.responses["409"]
    assert not_found(read, "gone").status == 410
    assert not_found(operation("PATCH /labels/{id}"), "gone").status == 404


def test_only_records_that_are_described_or_created_remember_their_deletion() -> None:
    model = infer_resources(load_spec(SPEC))
    by_path = {resource.collection_path: resource for resource in model.resources}
    assert remembers_deletion(by_path["/labels"])
    assert not remembers_deletion(by_path["/status"])
