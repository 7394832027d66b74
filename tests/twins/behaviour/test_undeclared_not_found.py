"""Specs that cannot say "not found": records exist from first sight, but deleted is gone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from twins.server import build_server

LABEL = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer", "format": "int64"}, "name": {"type": "string"}},
}


def ok(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "labels", "version": "1"},
    "paths": {
        "/labels": {
            "get": {"responses": ok({"type": "array", "items": LABEL})},
            "post": {"responses": ok(LABEL, "201")},
        },
        "/labels/{id}": {
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "format": "int64"},
                }
            ],
            "get": {"responses": ok(LABEL)},
            "patch": {"responses": ok(LABEL)},
            "delete": {"responses": {"204": {"description": "gone"}}},
        },
        "/status/{code}": {
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "post": {
                "responses": ok({"type": "object", "properties": {"code": {"type": "integer"}}})
            },
        },
    },
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    spec = tmp_path / "labels.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    with TestClient(build_server({"labels": spec}), base_url="http://t") as test_client:
        yield test_client


def test_an_unknown_id_reads_as_a_record_that_keeps_its_id(client: TestClient) -> None:
    first = client.get("/labels/labels/42")
    assert first.status_code == 200
    assert first.json()["id"] == 42
    assert client.get("/labels/labels/42").json() == first.json()


def test_a_deleted_record_stays_gone_even_without_a_declared_404(client: TestClient) -> None:
    created = client.post("/labels/labels", json={"name": "bug"}).json()
    assert client.delete(f"/labels/labels/{created['id']}").status_code == 204
    assert client.get(f"/labels/labels/{created['id']}").status_code == 404
    assert client.get("/labels/labels").json() == []


def test_an_item_path_without_a_collection_is_answered(client: TestClient) -> None:
    response = client.post("/labels/status/418", json={})
    assert response.status_code == 200


def test_an_empty_client_id_gets_a_server_assigned_one(tmp_path: Path) -> None:
    spec = dict(SPEC)
    spec["paths"] = {
        "/things": {
            "post": {
                "responses": ok({"type": "object", "properties": {"id": {"type": "string"}}}, "201")
            }
        },
        "/things/{id}": {
            "get": {"responses": ok({"type": "object", "properties": {"id": {"type": "string"}}})}
        },
    }
    path = tmp_path / "things.yaml"
    path.write_text(yaml.safe_dump(spec))
    with TestClient(build_server({"t": path}), base_url="http://t") as client:
        created = client.post("/t/things", json={"id": ""}).json()
        assert created["id"] != ""
        assert client.get(f"/t/things/{created['id']}").status_code == 200
