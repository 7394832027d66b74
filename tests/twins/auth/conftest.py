"""A small twin with every kind of security scheme, its control plane, called in-process.

`vault` keeps notes. Its spec declares OAuth 2.0 (client credentials, authorization code) on a
host of its own, an API key header, HTTP Basic, and a custom error schema (`{"fault": ...}`)
for 401 and 403, so vendor-format errors can be told from RFC 7807 ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from twins.app import TwinServer
from twins.server import build_server

SCOPES = {"notes:read": "Read notes", "notes:write": "Write notes"}
FAULT = {"$ref": "#/components/responses/Fault"}
NOTES = "/vault/v1/notes"
TOKEN_PATH = "/vault/oauth/token"  # https://auth.vault.test/oauth/token, by its path
AUTHORIZE_PATH = "/vault/oauth/authorize"


def _note_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["text"],
        "properties": {"id": {"type": "string"}, "text": {"type": "string", "maxLength": 50}},
    }


VAULT_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Vault", "version": "1.0.0"},
    "servers": [{"url": "https://api.vault.test/v1"}],
    "security": [{"oauth": ["notes:read"]}, {"key": []}],
    "paths": {
        "/notes": {
            "get": {
                "operationId": "listNotes",
                "responses": {
                    "200": {
                        "description": "Notes",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Note"},
                                }
                            }
                        },
                    },
                    "401": FAULT,
                    "403": FAULT,
                },
            },
            "post": {
                "operationId": "createNote",
                "security": [{"oauth": ["notes:write"]}, {"key": []}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Note"}}
                    },
                },
                "responses": {
                    "201": {
                        "description": "Created",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Note"}}
                        },
                    },
                    "400": FAULT,
                    "401": FAULT,
                    "403": FAULT,
                },
            },
        },
        "/notes/{id}": {
            "get": {
                "operationId": "getNote",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "A note",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Note"}}
                        },
                    },
                    "401": FAULT,
                    "404": FAULT,
                },
            }
        },
        "/archive": {
            "get": {
                "operationId": "archive",
                "security": [{"basic": []}],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        "/status": {
            "get": {
                "operationId": "status",
                "security": [],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        "/feed": {
            "get": {
                "operationId": "feed",
                "security": [{}, {"key": []}],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    },
    "components": {
        "securitySchemes": {
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "https://auth.vault.test/oauth/token",
                        "scopes": SCOPES,
                    },
                    "authorizationCode": {
                        "authorizationUrl": "https://auth.vault.test/oauth/authorize",
                        "tokenUrl": "https://auth.vault.test/oauth/token",
                        "scopes": SCOPES,
                    },
                },
            },
            "key": {"type": "apiKey", "in": "header", "name": "X-Vault-Key"},
            "basic": {"type": "http", "scheme": "basic"},
        },
        "schemas": {
            "Note": _note_schema(),
            "Fault": {
                "type": "object",
                "required": ["fault"],
                "additionalProperties": False,
                "properties": {
                    "fault": {
                        "type": "object",
                        "required": ["reason"],
                        "properties": {"reason": {"type": "string"}, "message": {"type": "string"}},
                    }
                },
            },
        },
        "responses": {
            "Fault": {
                "description": "Refused",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Fault"}}},
            }
        },
    },
}


@pytest.fixture
def vault_spec(tmp_path: Path) -> Path:
    path = tmp_path / "vault.json"
    path.write_text(json.dumps(VAULT_SPEC))
    return path


@pytest.fixture
def server(vault_spec: Path) -> TwinServer:
    return build_server({"vault": vault_spec}, db="memory", seed=11)


@pytest.fixture
def client(server: TwinServer) -> Iterator[TestClient]:
    with TestClient(server, base_url="http://twin.test", follow_redirects=False) as test_client:
        yield test_client


def register(client: TestClient, session: str = "default", **credential: Any) -> dict[str, Any]:
    """Register a credential through the control plane; returns what it answered."""
    reply = client.post(f"/_twin/sessions/{session}/credentials", json=credential)
    assert reply.status_code == 201, reply.text
    found: dict[str, Any] = reply.json()
    return found


def advance_clock(client: TestClient, seconds: float, session: str = "default") -> None:
    reply = client.post(f"/_twin/sessions/{session}/clock", json={"advance": seconds})
    assert reply.status_code == 200, reply.text


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
