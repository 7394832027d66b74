"""Webhook endpoints (where events are delivered, with the secret that signs them) and the
events themselves (`GET /v1/events`)."""

from __future__ import annotations

import fnmatch
from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.stripe.errors import invalid, missing, parameter_missing
from twins.catalog.stripe.events import visible
from twins.catalog.stripe.kinds import EVENT, WEBHOOK_ENDPOINT
from twins.catalog.stripe.listing import list_reply
from twins.catalog.stripe.objects import Obj
from twins.catalog.stripe.params import flag, merged_metadata, params, strings, text
from twins.catalog.stripe.replies import path_id, respond
from twins.catalog.stripe.routes import routes
from twins.catalog.stripe.session import opened

MAX_ENDPOINTS = 16  # Stripe's limit of test-mode endpoints per account
MAX_EVENT_TYPES = 20


@routes("POST /v1/webhook_endpoints")
def create_endpoint(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    url = text(values, "url")
    if not url:
        raise parameter_missing("url")
    events = _event_types(values)
    if not events:
        raise parameter_missing("enabled_events")
    if len(objects.newest_first(WEBHOOK_ENDPOINT)) >= MAX_ENDPOINTS:
        message = f"You have reached the maximum of {MAX_ENDPOINTS} test webhook endpoints."
        raise invalid(message, "url")
    ident = objects.new_id(WEBHOOK_ENDPOINT)
    endpoint: Obj = {
        "id": ident,
        "object": "webhook_endpoint",
        "api_version": text(values, "api_version"),
        "application": None,
        "created": objects.now,
        "description": text(values, "description"),
        "enabled_events": events,
        "livemode": False,
        "metadata": merged_metadata({}, values.get("metadata")),
        "secret": f"whsec_{objects.token('webhook-secret', ident, length=32)}",
        "status": "enabled",
        "url": _checked_url(url),
    }
    objects.save(endpoint)
    return respond(call, objects, endpoint)  # the one reply that shows the secret


@routes("GET /v1/webhook_endpoints/{webhook_endpoint}")
def retrieve_endpoint(call: Call) -> Reply:
    objects = opened(call)
    endpoint = objects.require(WEBHOOK_ENDPOINT, path_id(call), "webhook_endpoint")
    return respond(call, objects, _public(endpoint))


@routes("POST /v1/webhook_endpoints/{webhook_endpoint}")
def update_endpoint(call: Call) -> Reply:
    objects = opened(call)
    endpoint = objects.require(WEBHOOK_ENDPOINT, path_id(call), "webhook_endpoint")
    values = params(call)
    url = text(values, "url")
    if url:
        endpoint["url"] = _checked_url(url)
    if values.get("enabled_events") is not None:
        events = _event_types(values)
        if not events:
            raise parameter_missing("enabled_events")
        endpoint["enabled_events"] = events
    if "description" in values:
        endpoint["description"] = values["description"] or None
    if values.get("disabled") is not None:
        endpoint["status"] = "disabled" if flag(values, "disabled") else "enabled"
    endpoint["metadata"] = merged_metadata(endpoint["metadata"], values.get("metadata"))
    objects.save(endpoint)
    return respond(call, objects, _public(endpoint))


@routes("DELETE /v1/webhook_endpoints/{webhook_endpoint}")
def delete_endpoint(call: Call) -> Reply:
    objects = opened(call)
    endpoint = objects.require(WEBHOOK_ENDPOINT, path_id(call), "webhook_endpoint")
    objects.delete(WEBHOOK_ENDPOINT, endpoint["id"])
    tombstone = {"id": endpoint["id"], "object": "webhook_endpoint", "deleted": True}
    return respond(call, objects, tombstone)


@routes("GET /v1/webhook_endpoints")
def list_endpoints(call: Call) -> Reply:
    objects = opened(call)
    items = [_public(item) for item in objects.newest_first(WEBHOOK_ENDPOINT)]
    return list_reply(call, objects, WEBHOOK_ENDPOINT, items, "/v1/webhook_endpoints")


@routes("GET /v1/events/{id}")
def retrieve_event(call: Call) -> Reply:
    objects = opened(call)
    ident = path_id(call)
    event = objects.get(EVENT, ident)
    if event is None or not visible(event, objects.now):
        raise missing(EVENT.noun, ident, "id")
    return respond(call, objects, event)


@routes("GET /v1/events")
def list_events(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    items = [event for event in objects.newest_first(EVENT) if visible(event, objects.now)]
    pattern = text(values, "type")
    if pattern:
        items = [event for event in items if fnmatch.fnmatchcase(event["type"], pattern)]
    wanted = strings(values, "types")
    if len(wanted) > MAX_EVENT_TYPES:
        raise invalid(f"You can filter by at most {MAX_EVENT_TYPES} types.", "types")
    if wanted:  # with `type` too, an event must match both
        items = [event for event in items if event["type"] in wanted]
    items = _created_within(items, values.get("created"))
    # by time first: a settlement's events are written early and dated when they happen
    items.sort(key=lambda event: int(event["created"]), reverse=True)
    return list_reply(call, objects, EVENT, items, "/v1/events")


def _public(endpoint: Obj) -> Obj:
    """An endpoint as every reply but its creation shows it: without its secret."""
    return {name: value for name, value in endpoint.items() if name != "secret"}


def _event_types(values: dict[str, Any]) -> list[str]:
    return strings(values, "enabled_events")


def _checked_url(url: str) -> str:
    if not url.startswith(("http://", "https://")) or len(url) > 5000:
        raise invalid(f"Invalid URL: {url}. URLs must begin with http:// or https://.", "url")
    return url


def _created_within(items: list[Obj], created: Any) -> list[Obj]:
    """Stripe's `created` filter: an exact time, or a range (gt, gte, lt, lte)."""
    if created is None or created == "":
        return items
    if isinstance(created, int | str) and not isinstance(created, bool):
        try:
            moment = int(created)
        except ValueError:
            raise invalid(f"Invalid integer: {created}", "created") from None
        return [item for item in items if item["created"] == moment]
    if not isinstance(created, dict):
        raise invalid("Invalid created: an integer or a range (gt, gte, lt, lte)", "created")
    bounds = {}
    for name in ("gt", "gte", "lt", "lte"):
        if created.get(name) is not None:
            try:
                bounds[name] = int(created[name])
            except (TypeError, ValueError):
                raise invalid(f"Invalid integer: created[{name}]", f"created[{name}]") from None
    return [item for item in items if _in_range(item["created"], bounds)]


def _in_range(moment: int, bounds: dict[str, int]) -> bool:
    return (
        moment > bounds.get("gt", moment - 1)
        and moment >= bounds.get("gte", moment)
        and moment < bounds.get("lt", moment + 1)
        and moment <= bounds.get("lte", moment)
    )
