"""Operation callbacks: runtime expressions resolved against the call, the callback's schema
sent to the URL they name once the operation has succeeded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.twins.webhooks.driving import deliveries, flush
from tests.twins.webhooks.receiver import Receiver
from twins.server import build_server
from twins.webhooks.expressions import Exchanged, UnresolvedExpression, evaluate, fill

NOTIFICATION = {
    "type": "object",
    "required": ["id", "topic", "status", "message"],
    "properties": {
        "id": {"type": "string"},
        "topic": {"type": "string"},
        "status": {"type": "string", "enum": ["active"]},
        "message": {"type": "string", "minLength": 1},
    },
    "additionalProperties": False,
}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Hooks", "version": "1"},
    "paths": {
        "/subscriptions": {
            "post": {
                "operationId": "subscribe",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["callbackUrl", "topic"],
                                "properties": {
                                    "callbackUrl": {"type": "string"},
                                    "topic": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "subscribed",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Subscription"}
                            }
                        },
                    }
                },
                "callbacks": {
                    "onEvent": {
                        "{$request.body#/callbackUrl}?topic={$request.body#/topic}": {
                            "post": {
                                "requestBody": {
                                    "content": {
                                        "application/json": {
                                            "schema": {"$ref": "#/components/schemas/Notification"}
                                        }
                                    }
                                },
                                "responses": {"200": {"description": "received"}},
                            }
                        }
                    },
                    "onAudit": {"$ref": "#/components/callbacks/Audit"},
                },
            }
        },
        "/subscriptions/{id}": {
            "get": {
                "operationId": "getSubscription",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "one",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Subscription"}
                            }
                        },
                    },
                    "404": {"description": "none"},
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Subscription": {
                "type": "object",
                "required": ["id", "topic", "status"],
                "properties": {
                    "id": {"type": "string", "example": "sub_1234567890abcd"},
                    "topic": {"type": "string"},
                    "status": {"type": "string", "enum": ["active"]},
                },
            },
            "Notification": NOTIFICATION,
        },
        "callbacks": {
            "Audit": {
                "{$request.header.x-audit-url}": {
                    "post": {
                        "requestBody": {
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["subscription"],
                                        "properties": {"subscription": {"type": "string"}},
                                    }
                                }
                            }
                        },
                        "responses": {"200": {"description": "ok"}},
                    }
                }
            }
        },
    },
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    path = tmp_path / "hooks.json"
    path.write_text(json.dumps(SPEC))
    server = build_server({"hooks": path}, db="memory", seed=3)
    with TestClient(server, base_url="http://twin.test") as test_client:
        yield test_client


def test_a_callback_is_sent_to_the_url_the_request_named_in_the_callbacks_schema(
    client: TestClient, receiver: Receiver
) -> None:
    response = client.post(
        "/_s/s/hooks/subscriptions", json={"callbackUrl": receiver.url + "/cb", "topic": "news"}
    )
    assert response.status_code == 201, response.text
    subscription = response.json()
    flush(client, "s")
    (request,) = receiver.received
    assert request.path == "/cb?topic=news"
    body = request.json()
    assert set(body) == set(NOTIFICATION["properties"]), "an instance of the callback's schema"
    assert body["id"] == subscription["id"] and body["topic"] == "news" and body["message"]
    (delivery,) = deliveries(client, "s")
    assert delivery["event"] == "onEvent" and delivery["outcome"] == "delivered"


def test_a_callback_whose_expression_cannot_be_resolved_is_skipped_and_noted(
    client: TestClient, receiver: Receiver
) -> None:
    client.post("/_s/s/hooks/subscriptions", json={"callbackUrl": receiver.url, "topic": "t"})
    flush(client, "s")
    entry = client.get("/_twin/sessions/s/journal", params={"operation": "POST *"}).json()[0]
    notes = {note["callback"]: note for note in entry["extra"]["callbacks"]}
    assert "x-audit-url" in notes["onAudit"]["skipped"]
    assert notes["onEvent"]["url"].startswith(receiver.url)


def test_a_callback_declared_by_reference_resolves_a_header(
    client: TestClient, receiver: Receiver
) -> None:
    response = client.post(
        "/_s/s/hooks/subscriptions",
        json={"callbackUrl": receiver.url + "/event", "topic": "t"},
        headers={"X-Audit-Url": receiver.url + "/audit"},
    )
    flush(client, "s")
    audit = next(r for r in receiver.received if r.path == "/audit")
    assert isinstance(audit.json()["subscription"], str)
    assert response.status_code == 201


def test_a_callback_to_a_host_off_the_allow_list_is_refused(client: TestClient) -> None:
    client.post(
        "/_s/s/hooks/subscriptions", json={"callbackUrl": "http://example.com/cb", "topic": "t"}
    )
    flush(client, "s")
    (refused,) = deliveries(client, "s")
    assert refused["outcome"] == "refused" and refused["url"] == "http://example.com/cb?topic=t"


def test_a_failed_operation_calls_nobody_back(client: TestClient, receiver: Receiver) -> None:
    response = client.post("/_s/s/hooks/subscriptions", json={"callbackUrl": receiver.url})
    assert response.status_code == 400
    flush(client, "s")
    assert deliveries(client, "s") == []


# -- runtime expressions -----------------------------------------------------------------

CONTEXT = Exchanged(
    url="http://twin.test/hooks/subscriptions?x=1",
    method="POST",
    status=201,
    request_headers={"x-hook": "http://127.0.0.1/h"},
    query={"x": 1},
    path={"id": "sub_1"},
    request_body={"callbackUrl": "http://127.0.0.1/cb", "nested": {"a/b": [10, 20]}},
    response_headers={"location": "/subscriptions/sub_1"},
    response_body={"id": "sub_1"},
)


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("$url", "http://twin.test/hooks/subscriptions?x=1"),
        ("$method", "POST"),
        ("$statusCode", 201),
        ("$request.header.X-Hook", "http://127.0.0.1/h"),
        ("$request.query.x", 1),
        ("$request.path.id", "sub_1"),
        ("$request.body#/callbackUrl", "http://127.0.0.1/cb"),
        ("$request.body#/nested/a~1b/1", 20),
        ("$response.body#/id", "sub_1"),
        ("$response.header.Location", "/subscriptions/sub_1"),
    ],
)
def test_runtime_expressions_name_parts_of_the_exchange(expression: str, value: Any) -> None:
    assert evaluate(expression, CONTEXT) == value


@pytest.mark.parametrize(
    "expression",
    [
        "$request.body#/missing",
        "$request.header.x-none",
        "$response.query.x",
        "$request.cookie.c",
        "$nothing",
        "$request.path.",
    ],
)
def test_an_expression_naming_nothing_is_unresolved(expression: str) -> None:
    with pytest.raises(UnresolvedExpression):
        evaluate(expression, CONTEXT)


def test_a_template_embeds_expressions_in_text() -> None:
    template = "{$request.body#/callbackUrl}/{$response.body#/id}?code={$statusCode}"
    assert fill(template, CONTEXT) == "http://127.0.0.1/cb/sub_1?code=201"
    assert fill("$request.path.id", CONTEXT) == "sub_1"
