"""Payment intent endpoints: create (and confirm at once), update, confirm, capture, cancel,
retrieve, list. The lifecycle itself is `intents`."""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.stripe.errors import card_error_reply, parameter_missing, unexpected_state
from twins.catalog.stripe.events import emit
from twins.catalog.stripe.instruments import resolve
from twins.catalog.stripe.intents import (
    cancel,
    capture,
    check_amount,
    confirm,
    new_intent,
    use_method,
)
from twins.catalog.stripe.kinds import CUSTOMER, PAYMENT_INTENT
from twins.catalog.stripe.listing import list_reply
from twins.catalog.stripe.objects import Objects
from twins.catalog.stripe.params import flag, integer, merged_metadata, params, text
from twins.catalog.stripe.replies import path_id, respond
from twins.catalog.stripe.routes import routes
from twins.catalog.stripe.session import opened

# what may change once an intent has been confirmed, and what may not
SETTLED = ("succeeded", "canceled", "processing", "requires_capture")
PAYMENT_FIELDS = ("amount", "currency", "payment_method", "capture_method", "customer")
DESCRIPTIVE_FIELDS = (
    "description",
    "receipt_email",
    "setup_future_usage",
    "statement_descriptor",
    "statement_descriptor_suffix",
)


@routes("POST /v1/payment_intents")
def create_intent(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    for name in ("amount", "currency"):
        if values.get(name) is None:
            raise parameter_missing(name)
    intent = new_intent(objects, values)
    intent["metadata"] = merged_metadata({}, values.get("metadata"))
    objects.save(intent)
    emit(objects, "payment_intent.created", intent)
    if flag(values, "confirm"):
        declined = confirm(objects, intent, values)
        if declined is not None:
            return card_error_reply(declined)
    return respond(call, objects, intent)


@routes("GET /v1/payment_intents/{intent}")
def retrieve_intent(call: Call) -> Reply:
    objects = opened(call)
    return respond(call, objects, objects.require(PAYMENT_INTENT, path_id(call), "intent"))


@routes("POST /v1/payment_intents/{intent}")
def update_intent(call: Call) -> Reply:
    objects = opened(call)
    intent = objects.require(PAYMENT_INTENT, path_id(call), "intent")
    values = params(call)
    status = intent["status"]
    sent = [name for name in PAYMENT_FIELDS if values.get(name) is not None]
    if status in SETTLED and sent:
        message = (
            f"You cannot update this PaymentIntent's {sent[0]} because it has a status of {status}."
        )
        raise unexpected_state(message, "payment_intent_unexpected_state")
    _apply(objects, intent, values)
    objects.save(intent)
    return respond(call, objects, intent)


@routes("POST /v1/payment_intents/{intent}/confirm")
def confirm_intent(call: Call) -> Reply:
    objects = opened(call)
    intent = objects.require(PAYMENT_INTENT, path_id(call), "intent")
    declined = confirm(objects, intent, params(call))
    objects.save(intent)
    if declined is not None:
        return card_error_reply(declined)
    return respond(call, objects, intent)


@routes("POST /v1/payment_intents/{intent}/capture")
def capture_intent(call: Call) -> Reply:
    objects = opened(call)
    intent = objects.require(PAYMENT_INTENT, path_id(call), "intent")
    values = params(call)
    capture(objects, intent, integer(values, "amount_to_capture"))
    if values.get("metadata") is not None:
        intent["metadata"] = merged_metadata(intent["metadata"], values["metadata"])
        objects.save(intent)
    return respond(call, objects, intent)


@routes("POST /v1/payment_intents/{intent}/cancel")
def cancel_intent(call: Call) -> Reply:
    objects = opened(call)
    intent = objects.require(PAYMENT_INTENT, path_id(call), "intent")
    return respond(
        call, objects, cancel(objects, intent, text(params(call), "cancellation_reason"))
    )


@routes("GET /v1/payment_intents")
def list_intents(call: Call) -> Reply:
    objects = opened(call)
    customer = text(params(call), "customer")
    items = objects.newest_first(PAYMENT_INTENT, **({"customer": customer} if customer else {}))
    return list_reply(call, objects, PAYMENT_INTENT, items, "/v1/payment_intents")


def _apply(objects: Objects, intent: dict[str, Any], values: dict[str, Any]) -> None:
    if values.get("amount") is not None or values.get("currency") is not None:
        amount = integer(values, "amount") or intent["amount"]
        currency = text(values, "currency") or intent["currency"]
        check_amount(amount, currency)
        intent.update(amount=amount, currency=currency)
    customer = text(values, "customer")
    if customer:
        objects.require(CUSTOMER, customer, "customer")
        intent["customer"] = customer
    if values.get("capture_method") is not None:
        intent["capture_method"] = values["capture_method"]
    method = text(values, "payment_method")
    if method:
        use_method(objects, intent, resolve(objects, method, "payment_method"))
    for name in DESCRIPTIVE_FIELDS:
        if name in values:
            intent[name] = values[name] or None
    intent["metadata"] = merged_metadata(intent["metadata"], values.get("metadata"))
