"""Event payloads in the spec's own schema when it declares its webhooks (OpenAPI 3.1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from starlette.testclient import TestClient

from tests.twins.webhooks.driving import flush
from tests.twins.webhooks.receiver import Receiver
from twins.server import build_server

EPOCH = 1_700_000_000
PET = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}
PET_EVENT = {
    "type": "object",
    "required": ["event", "pet", "occurredAt"],
    "properties": {
        "event": {"type": "string", "enum": ["pet.created", "pet.deleted"]},
        "pet": {"$ref": "#/components/schemas/Pet"},
        "occurredAt": {"type": "string", "format": "date-time"},
    },
}
ADOPTION = {
    "type": "object",
    "required": ["kind", "id", "created"],
    "properties": {
        "kind": {"const": "adoption"},
        "id": {"type": "string"},
        "created": {"type": "integer"},
        "name": {"type": "string"},
    },
}


def _body(schema: str) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {"content": {"application/json": {"schema": ref}}}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "paths": {
        "/pets": {
            "post": {
                "requestBody": {"required": True, **_body("Pet")},
                "responses": {"201": {"description": "created", **_body("Pet")}},
            }
        },
        "/pets/{petId}": {
            "parameters": [
                {"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "get": {"responses": {"200": {"description": "one", **_body("Pet")}, "404": {}}},
            "delete": {"responses": {"204": {"description": "gone"}, "404": {}}},
        },
        "/adoptions": {
            "post": {
                "requestBody": {"required": True, **_body("Adoption")},
                "responses": {"201": {"description": "created", **_body("Adoption")}},
            }
        },
        "/adoptions/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": {"responses": {"200": {"description": "one", **_body("Adoption")}}},
        },
    },
    "webhooks": {
        "newPet": {
            "post": {
                "operationId": "petCreated",
                "requestBody": _body("PetEvent"),
                "responses": {"200": {"description": "ok"}},
            }
        },
        "adoption.created": {
            "post": {"requestBody": _body("AdoptionEvent"), "responses": {"200": {}}}
        },
    },
    "components": {
        "schemas": {
            "Pet": PET,
            "PetEvent": PET_EVENT,
            "Adoption": {"type": "object", "properties": {"id": {"type": "string"}}},
            "AdoptionEvent": ADOPTION,
        }
    },
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    path = tmp_path / "pets.json"
    path.write_text(json.dumps(SPEC))
    server = build_server({"pets": path}, db="memory", seed=5)
    with TestClient(server, base_url="http://twin.test") as test_client:
        yield test_client


def conforms(schema: dict[str, Any], value: Any) -> bool:
    return bool(jsonschema_rs.validator_for({**schema, "$defs": {}}).is_valid(value))


def subscribe(client: TestClient, receiver: Receiver) -> None:
    response = client.post("/_twin/sessions/s/twins/pets/webhooks", json={"url": receiver.url})
    assert response.status_code == 201, response.text


def test_an_event_the_spec_declares_by_operation_id_is_an_instance_of_its_schema(
    client: TestClient, receiver: Receiver
) -> None:
    client.post("/_twin/sessions/s/clock", json={"frozen_at": EPOCH})
    subscribe(client, receiver)
    pet = client.post("/_s/s/pets/pets", json={"id": 7, "name": "Rex"}).json()
    flush(client, "s")
    payload = receiver.received[0].json()
    assert payload["event"] == "pet.created"
    assert payload["pet"] == pet, "the record, in the field named for it"
    assert payload["occurredAt"] == "2023-11-14T22:13:20Z", "the session's time"
    assert conforms({**PET_EVENT, "properties": {**PET_EVENT["properties"], "pet": PET}}, payload)


def test_an_event_is_matched_by_the_types_its_schema_allows(
    client: TestClient, receiver: Receiver
) -> None:
    subscribe(client, receiver)
    client.post("/_s/s/pets/pets", json={"id": 8, "name": "Fido"})
    assert client.delete("/_s/s/pets/pets/8").status_code == 204
    flush(client, "s")
    deleted = receiver.received[1].json()
    assert deleted["event"] == "pet.deleted"
    assert deleted["pet"]["id"] == 8 and deleted["pet"]["name"] == "Fido"


def test_a_payload_that_is_the_record_itself_gets_the_record_laid_over_it(
    client: TestClient, receiver: Receiver
) -> None:
    subscribe(client, receiver)
    created = client.post("/_s/s/pets/adoptions", json={"id": "ad_1"})
    assert created.status_code == 201, created.text
    flush(client, "s")
    payload = receiver.received[0].json()
    assert payload["kind"] == "adoption" and isinstance(payload["created"], int)
    assert payload["id"] == created.json()["id"]
    assert conforms(ADOPTION, payload)
