"""The journal the server keeps of every request: what it leaves out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from twins.server import build_server

KEYED_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Keyed", "version": "1"},
    "paths": {
        "/things": {
            "get": {
                "security": [{"header": []}, {"query": []}],
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "OK"}},
            }
        }
    },
    "components": {
        "securitySchemes": {
            "header": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            "query": {"type": "apiKey", "in": "query", "name": "api_key"},
        }
    },
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    spec = tmp_path / "keyed.json"
    spec.write_text(json.dumps(KEYED_SPEC))
    server = build_server({"keyed": spec}, db="memory")
    with TestClient(server, base_url="http://twin.test") as test_client:
        yield test_client


def test_the_journal_keeps_no_api_key_the_spec_names_in_a_header_or_the_query(
    client: TestClient,
) -> None:
    assert client.get("/keyed/things", headers={"X-Api-Key": "hdr-secret-1"}).status_code == 200
    assert client.get("/keyed/things?q=a&api_key=qry-secret-2").status_code == 200
    journal = client.get("/_twin/sessions/default/journal").json()
    assert "secret" not in json.dumps(journal)
    assert "x-api-key" not in journal[0]["request"]["headers"]
    assert journal[1]["request"]["query"] == "q=a&api_key=[redacted]"


def test_the_journal_blanks_credentials_sent_as_form_or_json_fields(client: TestClient) -> None:
    client.post(
        "/keyed/things",
        content=b"grant_type=authorization_code&code=abc-secret-3&client_id=app",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    client.post("/keyed/things", json={"user": "ada", "password": "pw-secret-4"})
    client.get("/keyed/things?token=xoxb-secret-5&q=a")
    journal = client.get("/_twin/sessions/default/journal").json()
    assert "secret" not in json.dumps(journal)
    assert (
        journal[0]["request"]["body"]
        == "grant_type=authorization_code&code=[redacted]&client_id=app"
    )
    assert journal[1]["request"]["body"] == {"user": "ada", "password": "[redacted]"}
    assert journal[2]["request"]["query"] == "token=[redacted]&q=a"
