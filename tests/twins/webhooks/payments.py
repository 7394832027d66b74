"""A small payments twin whose pack sends signed webhooks, the way vendor packs do.

Endpoints are registered through the twin's own API (`POST /v1/webhook_endpoints`, with a
`style` of "stripe" or "github" saying how deliveries are signed). Creating a payment intent
emits `payment_intent.created` at once and, with `settle_in` seconds, a
`payment_intent.succeeded` due that much later on the session clock.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any, ClassVar

import orjson

from twins.behaviour import crud
from twins.behaviour.call import Call, Outbound, Reply
from twins.catalog import Pack, Routes

ENDPOINTS = "/v1/webhook_endpoints"
PACK = "tests.twins.webhooks.payments:PaymentsPack"


def _json(schema_ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Payments", "version": "1"},
    "servers": [{"url": "https://api.payments.test"}],
    "paths": {
        ENDPOINTS: {
            "post": {
                "operationId": "createEndpoint",
                "requestBody": {"required": True, "content": _json("EndpointInput")},
                "responses": {"200": {"description": "ok", "content": _json("Endpoint")}},
            }
        },
        ENDPOINTS + "/{endpoint}": {
            "get": {
                "operationId": "getEndpoint",
                "parameters": [
                    {
                        "name": "endpoint",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {"description": "ok", "content": _json("Endpoint")},
                    "404": {"description": "missing"},
                },
            }
        },
        "/v1/payment_intents": {
            "post": {
                "operationId": "createIntent",
                "requestBody": {"required": True, "content": _json("IntentInput")},
                "responses": {"200": {"description": "ok", "content": _json("Intent")}},
            }
        },
        "/v1/payment_intents/{intent}": {
            "get": {
                "operationId": "getIntent",
                "parameters": [
                    {"name": "intent", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"description": "ok", "content": _json("Intent")},
                    "404": {"description": "missing"},
                },
            }
        },
    },
    "components": {
        "schemas": {
            "EndpointInput": {
                "type": "object",
                "required": ["url", "secret"],
                "properties": {
                    "url": {"type": "string"},
                    "secret": {"type": "string"},
                    "style": {"type": "string", "enum": ["stripe", "github"]},
                },
            },
            "Endpoint": {
                "type": "object",
                "required": ["id", "url", "secret", "style"],
                "properties": {
                    "id": {"type": "string", "example": "we_1234567890abcd"},
                    "url": {"type": "string"},
                    "secret": {"type": "string"},
                    "style": {"type": "string", "enum": ["stripe", "github"]},
                },
            },
            "IntentInput": {
                "type": "object",
                "required": ["amount"],
                "properties": {
                    "amount": {"type": "integer", "minimum": 1},
                    "settle_in": {"type": "number", "minimum": 0},
                },
            },
            "Intent": {
                "type": "object",
                "required": ["id", "amount", "status"],
                "properties": {
                    "id": {"type": "string", "example": "pi_1234567890abcd"},
                    "object": {"type": "string", "const": "payment_intent"},
                    "amount": {"type": "integer"},
                    "status": {"type": "string", "enum": ["processing", "succeeded"]},
                    "created": {"type": "integer"},
                },
            },
        }
    },
}


def write_spec(folder: Path) -> Path:
    path = folder / "payments.json"
    path.write_text(json.dumps(SPEC))
    return path


def stripe_signature(secret: str, body: bytes, at: float) -> str:
    timestamp = int(at)
    signed = f"{timestamp}.".encode() + body
    return f"t={timestamp},v1={hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}"


def github_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed(endpoint: dict[str, Any], event: str, body: bytes, deliver_at: float | None) -> Outbound:
    secret = endpoint["secret"]
    if endpoint.get("style") == "github":
        headers = [("X-GitHub-Event", event.partition(".")[0])]

        def sign(payload: bytes, at: float) -> list[tuple[str, str]]:
            return [("X-Hub-Signature-256", github_signature(secret, payload))]

    else:
        headers = []

        def sign(payload: bytes, at: float) -> list[tuple[str, str]]:
            return [("Stripe-Signature", stripe_signature(secret, payload, at))]

    return Outbound(endpoint["url"], event, body, headers, sign, deliver_at)


class PaymentsPack(Pack):
    name = "payments"
    routes: ClassVar[Routes] = Routes()


@PaymentsPack.routes("POST /v1/payment_intents")
def create_intent(call: Call) -> Reply:
    call.body = {**call.body, "status": "processing"}
    reply = crud.create(call)
    intent = reply.body
    endpoints = [body for _, body in call.store.list(call.session, call.twin.name, ENDPOINTS)]
    settle_in = call.body.get("settle_in")
    for number, endpoint in enumerate(endpoints):
        created = _event(call, "payment_intent.created", intent, number)
        call.outbound.append(signed(endpoint, "payment_intent.created", created, None))
        if settle_in is not None:
            succeeded = {**intent, "status": "succeeded"}
            settled = _event(call, "payment_intent.succeeded", succeeded, number)
            due = call.now + float(settle_in)
            call.outbound.append(signed(endpoint, "payment_intent.succeeded", settled, due))
    return reply


def _event(call: Call, kind: str, record: Any, number: int) -> bytes:
    event_id = "evt_" + call.rng("event", kind, number, str(record.get("id"))).token(14)
    body = {
        "id": event_id,
        "object": "event",
        "type": kind,
        "created": int(call.now),
        "data": {"object": record},
    }
    return orjson.dumps(body)
