"""The bodies of webhooks a twin sends on its own: in the spec's schema when it has one.

An OpenAPI 3.1 document may declare the webhooks its API sends (`webhooks`), and operations the
requests they call back (`callbacks`). A payload is then an instance of that schema, generated
from the session's seed, with the record the event is about laid over it. Without a schema,
an event is the generic envelope:

    {"id": "evt_...", "type": "book.created", "created": 1700000000, "data": {...the record}}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import orjson

from twins.behaviour.records import CREATED_FIELDS, conform, overlay, timestamp_value
from twins.behaviour.schema_tools import SchemaTools
from twins.errors import SpecError
from twins.fake import Rng
from twins.spec import refs
from twins.spec.model import Schema, is_json_media_type

_TYPE_FIELDS = ("type", "event", "event_type", "eventType")
_ID_FIELDS = ("id", "event_id", "eventId")
# fields that say when an event happened (the session's time)
_WHEN_FIELDS = CREATED_FIELDS | {"occurred_at", "occurredAt", "sent_at", "sentAt", "time"}
_RECORD_FIELDS = ("data", "object", "record", "resource", "payload")


@dataclass(frozen=True)
class SpecWebhook:
    """A webhook the spec declares (`webhooks` of OpenAPI 3.1), by the names it goes by."""

    names: frozenset[str]  # normalised: the key and the operationId
    schema: Schema
    media_type: str


@dataclass(frozen=True)
class Event:
    id: str
    type: str  # "book.created"
    created: float  # on the session clock
    record: Any
    resource: str  # what one record is called: "book"


def declared_webhooks(document: dict[str, Any]) -> list[SpecWebhook]:
    """The spec's `webhooks` that carry a JSON body."""
    found: list[SpecWebhook] = []
    webhooks = document.get("webhooks")
    if not isinstance(webhooks, dict):
        return found
    for key, item in webhooks.items():
        path_item = followed(document, item, f"/webhooks/{refs.escape(key)}")
        for method in ("post", "put"):
            operation = path_item.get(method)
            if not isinstance(operation, dict):
                continue
            media = request_media(document, operation)
            if media is not None:
                names = {normalised(key)}
                if isinstance(operation.get("operationId"), str):
                    names.add(normalised(operation["operationId"]))
                found.append(SpecWebhook(frozenset(names), media[1], media[0]))
                break
    return found


def request_media(document: dict[str, Any], operation: dict[str, Any]) -> tuple[str, Schema] | None:
    """(media type, schema) of an operation's JSON request body, if it has one."""
    body = followed(document, operation.get("requestBody"), "")
    content = body.get("content")
    if not isinstance(content, dict):
        return None
    for media_type, media in content.items():
        if is_json_media_type(media_type) and isinstance(media, dict):
            schema = media.get("schema")
            if isinstance(schema, dict):
                return media_type, schema
    return None


def matching_webhook(
    webhooks: list[SpecWebhook], tools: SchemaTools, event: str, resource: str
) -> SpecWebhook | None:
    """The declared webhook an event is: by name (`book.created`, `bookCreated`,
    `books_created`), else by the event type its schema's `type` field allows."""
    verb = event.rpartition(".")[2]
    wanted = {normalised(event), normalised(resource + verb)}
    for webhook in webhooks:
        if webhook.names & wanted:
            return webhook
    for webhook in webhooks:
        properties = tools.properties(webhook.schema)
        for name in _TYPE_FIELDS:
            if name in properties and _allows_only(tools, properties[name], event):
                return webhook
    return None


def generic_payload(event: Event) -> dict[str, Any]:
    return {"id": event.id, "type": event.type, "created": int(event.created), "data": event.record}


def schema_payload(tools: SchemaTools, schema: Schema, event: Event, rng: Rng) -> Any:
    """An instance of `schema` about `event`: its envelope fields (id, type, created) and its
    record (in a field named for it, `data`, `object`, ..., or laid over the payload when the
    payload is the record itself)."""
    payload = tools.generate(schema, rng)
    if not isinstance(payload, dict):
        return payload
    properties = tools.properties(schema)
    envelope: dict[str, Any] = dict.fromkeys(_TYPE_FIELDS, event.type)
    envelope.update(dict.fromkeys(_ID_FIELDS, event.id))
    for name in _WHEN_FIELDS:
        if name in properties:
            envelope[name] = timestamp_value(tools, properties[name], event.created)
    overlay(tools, payload, schema, envelope)
    holder = next((n for n in (event.resource, *_RECORD_FIELDS) if n in properties), None)
    if holder is not None:
        payload[holder] = conform(tools, event.record, properties[holder], rng)
    elif isinstance(event.record, dict):
        overlay(tools, payload, schema, event.record)
    return payload


def laid_over(tools: SchemaTools, schema: Schema, rng: Rng, *sources: Any) -> Any:
    """An instance of `schema` with the fields of each source that fit laid over it, later
    sources winning."""
    payload = tools.generate(schema, rng)
    if isinstance(payload, dict):
        for source in sources:
            overlay(tools, payload, schema, source)
    return payload


def encode_json(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:  # orjson stops at 64-bit integers; JSON does not
        return json.dumps(value, separators=(",", ":"), default=str).encode()


def normalised(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _allows_only(tools: SchemaTools, schema: Schema, value: str) -> bool:
    resolved = tools.deref(schema)
    if "const" in resolved:
        return bool(resolved["const"] == value)
    enum = resolved.get("enum")
    return isinstance(enum, list) and value in enum


def followed(document: dict[str, Any], node: Any, at: str = "") -> dict[str, Any]:
    """`node` with its `$ref`s followed; {} when it is not an object or its ref dangles."""
    try:
        target, _ = refs.deref(document, node, at=at)
    except SpecError:  # a broken ref in an optional part: nothing to send from it
        return {}
    return target if isinstance(target, dict) else {}
