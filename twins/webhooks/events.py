"""The webhooks generic twins send: resource events to subscribed endpoints, and callbacks.

A stage around every behaviour. When a write succeeds it emits

- `<resource>.created|updated|deleted` (a create; an update, replace or action; a delete) to
  the endpoints subscribed for the session and twin through the control plane;
- the operation's callbacks, to the URLs their runtime expressions resolve to.

Most requests meet neither, and pay two dictionary lookups: no subscription for the session and
twin, and no callback on the operation (both known without looking at the request).
"""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call, Outbound, Reply
from twins.behaviour.crud import item_key
from twins.exchange import Exchange, Proceed, Stage
from twins.fake.names import singular
from twins.spec.resources import Resource
from twins.twin import Twin
from twins.webhooks.callbacks import Callback, callbacks_of
from twins.webhooks.dispatcher import Dispatcher
from twins.webhooks.expressions import Exchanged, UnresolvedExpression, fill
from twins.webhooks.payloads import (
    Event,
    SpecWebhook,
    declared_webhooks,
    encode_json,
    generic_payload,
    laid_over,
    matching_webhook,
    schema_payload,
)

VERBS = {
    "create": "created",
    "update": "updated",
    "replace": "updated",
    "action": "updated",
    "delete": "deleted",
}
EVENT_COUNTER = "webhook:events"  # store counter: event ids restart on reset


class EventStage(Stage):
    name = "webhook events"

    def __init__(self, dispatcher: Dispatcher) -> None:
        self._dispatcher = dispatcher
        self._subscriptions = dispatcher.subscriptions
        self._callbacks: dict[str, dict[str, tuple[Callback, ...]]] = {}  # twin -> label -> ...
        self._webhooks: dict[str, list[SpecWebhook]] = {}

    def around(self, exchange: Exchange, call: Call, proceed: Proceed) -> Reply:
        twin = call.twin
        subscribed = self._subscriptions.active(call.session, twin.name)
        callbacks = self._callbacks_of(twin).get(call.operation.label, ())
        if not subscribed and not callbacks:
            return proceed()
        verb = VERBS.get(call.behaviour.kind) if subscribed else None
        resource = call.behaviour.resource
        before = self._stored(call, resource) if verb == "deleted" else None
        reply = proceed()
        if not 200 <= reply.status < 300:
            return reply
        if verb is not None and resource is not None:
            if verb == "updated" and call.behaviour.kind == "replace" and reply.status == 201:
                verb = "created"
            self._emit_event(call, reply, resource, verb, before)
        for callback in callbacks:
            self._emit_callback(exchange, call, reply, callback)
        return reply

    def reset(self, session: str) -> None:
        self._dispatcher.reset(session)

    # -- resource events ---------------------------------------------------------------

    def _emit_event(
        self, call: Call, reply: Reply, resource: Resource, verb: str, before: Any
    ) -> None:
        one = singular(resource.name)
        event_type = f"{one}.{verb}"
        endpoints = self._subscriptions.matching(call.session, call.twin.name, event_type)
        if not endpoints:
            return
        number = call.store.next_value(call.session, call.twin.name, EVENT_COUNTER)
        rng = call.rng("webhook-event", number)
        record = self._record(call, reply, verb, before)
        event = Event("evt_" + rng.token(24), event_type, call.now, record, one)
        webhook = matching_webhook(
            self._declared(call.twin), call.twin.tools, event_type, resource.name
        )
        if webhook is None:
            body, media_type = encode_json(generic_payload(event)), "application/json"
        else:
            payload = schema_payload(call.twin.tools, webhook.schema, event, rng)
            body, media_type = encode_json(payload), webhook.media_type
        for endpoint in endpoints:
            call.outbound.append(
                Outbound(
                    endpoint.url,
                    event_type,
                    body,
                    [("content-type", media_type)],
                    endpoint.signer(event.id),
                )
            )

    def _record(self, call: Call, reply: Reply, verb: str, before: Any) -> Any:
        if verb == "deleted":
            return before if before is not None else reply.body
        if verb == "updated":
            stored = self._stored(call, call.behaviour.resource)
            if stored is not None:
                return stored
        return reply.body

    @staticmethod
    def _stored(call: Call, resource: Resource | None) -> Any:
        """The record the item path names, as stored (None for a collection path)."""
        if resource is None or resource.id_param is None:
            return None
        raw = call.path_params.get(resource.id_param)
        if raw is None:
            return None
        key = item_key(resource, call.path_params, raw)
        return call.store.get(call.session, call.twin.name, resource.collection_path, key)

    def _declared(self, twin: Twin) -> list[SpecWebhook]:
        found = self._webhooks.get(twin.name)
        if found is None:
            found = self._webhooks[twin.name] = declared_webhooks(twin.spec.document)
        return found

    # -- callbacks ---------------------------------------------------------------------

    def _callbacks_of(self, twin: Twin) -> dict[str, tuple[Callback, ...]]:
        found = self._callbacks.get(twin.name)
        if found is None:
            document = twin.spec.document
            found = {}
            for operation in twin.spec.operations:
                declared = callbacks_of(document, operation)
                if declared:
                    found[operation.label] = declared
            self._callbacks[twin.name] = found
        return found

    def _emit_callback(
        self, exchange: Exchange, call: Call, reply: Reply, callback: Callback
    ) -> None:
        notes = exchange.notes.setdefault("callbacks", [])
        try:
            url = fill(callback.url, _exchanged(exchange, call, reply))
        except UnresolvedExpression as error:
            notes.append({"callback": callback.name, "skipped": str(error)})
            return
        rng = call.rng("callback", callback.name)
        payload = laid_over(call.twin.tools, callback.schema, rng, call.body, reply.body)
        body = encode_json(payload)
        call.outbound.append(
            Outbound(url, callback.name, body, [("content-type", callback.media_type)])
        )
        notes.append({"callback": callback.name, "url": url})


def _exchanged(exchange: Exchange, call: Call, reply: Reply) -> Exchanged:
    query = exchange.query_string.decode("latin-1")
    return Exchanged(
        url=call.base_url + exchange.path + (f"?{query}" if query else ""),
        method=call.operation.method,
        status=reply.status,
        request_headers=dict(exchange.headers),
        query=call.query,
        path=call.path_params,
        request_body=call.body,
        response_headers={name.lower(): value for name, value in reply.headers},
        response_body=reply.body,
    )
