"""Charges (made by confirmations; read and annotated here) and refunds of them.

A refund changes its charge (`amount_refunded`, `refunded`), and so what the intent's
`latest_charge` shows; `GET /v1/refunds?payment_intent=` finds the refunds of an intent.
"""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.stripe.errors import invalid, parameter_missing, unexpected_state
from twins.catalog.stripe.events import changed, emit
from twins.catalog.stripe.kinds import CHARGE, PAYMENT_INTENT, REFUND
from twins.catalog.stripe.listing import list_reply
from twins.catalog.stripe.money import refund, refundable
from twins.catalog.stripe.objects import Obj, Objects, snapshot
from twins.catalog.stripe.params import integer, merged_metadata, params, text
from twins.catalog.stripe.replies import path_id, respond
from twins.catalog.stripe.routes import routes
from twins.catalog.stripe.session import opened


@routes("GET /v1/charges/{charge}")
def retrieve_charge(call: Call) -> Reply:
    objects = opened(call)
    return respond(call, objects, objects.require(CHARGE, path_id(call), "charge"))


@routes("POST /v1/charges/{charge}")
def update_charge(call: Call) -> Reply:
    objects = opened(call)
    charge = objects.require(CHARGE, path_id(call), "charge")
    before = snapshot(charge)
    values = params(call)
    for name in ("description", "receipt_email"):
        if name in values:
            charge[name] = values[name] or None
    charge["metadata"] = merged_metadata(charge["metadata"], values.get("metadata"))
    objects.save(charge)
    previous = changed(before, charge)
    if previous:
        emit(objects, "charge.updated", charge, previous)
    return respond(call, objects, charge)


@routes("GET /v1/charges")
def list_charges(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    filters = {name: text(values, name) for name in ("customer", "payment_intent")}
    items = objects.newest_first(CHARGE, **{k: v for k, v in filters.items() if v})
    return list_reply(call, objects, CHARGE, items, "/v1/charges")


@routes("POST /v1/refunds")
def create_refund(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    charge = _charge_to_refund(objects, values)
    left = refundable(charge)
    if left <= 0 or charge["refunded"]:
        message = f"Charge {charge['id']} has already been refunded."
        raise invalid(message, "charge", "charge_already_refunded")
    amount = integer(values, "amount")
    amount = left if amount is None else amount
    if amount <= 0:
        raise invalid("Refund amount must be a positive integer.", "amount")
    if amount > left:
        message = f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})."
        raise invalid(message, "amount", "amount_too_large")
    metadata = merged_metadata({}, values.get("metadata"))
    return respond(call, objects, refund(objects, charge, amount, text(values, "reason"), metadata))


@routes("GET /v1/refunds/{refund}")
def retrieve_refund(call: Call) -> Reply:
    objects = opened(call)
    return respond(call, objects, objects.require(REFUND, path_id(call), "refund"))


@routes("POST /v1/refunds/{refund}")
def update_refund(call: Call) -> Reply:
    objects = opened(call)
    found = objects.require(REFUND, path_id(call), "refund")
    before = snapshot(found)
    found["metadata"] = merged_metadata(found["metadata"], params(call).get("metadata"))
    objects.save(found)
    previous = changed(before, found)
    if previous:
        emit(objects, "refund.updated", found, previous)
    return respond(call, objects, found)


@routes("POST /v1/refunds/{refund}/cancel")
def cancel_refund(call: Call) -> Reply:
    objects = opened(call)
    found = objects.require(REFUND, path_id(call), "refund")
    message = (
        f"Refund {found['id']} cannot be canceled: it has a status of {found['status']}; only "
        "refunds that require action can be canceled."
    )
    raise unexpected_state(message, "refund_unexpected_state")


@routes("GET /v1/refunds")
def list_refunds(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    filters = {name: text(values, name) for name in ("charge", "payment_intent")}
    items = objects.newest_first(REFUND, **{k: v for k, v in filters.items() if v})
    return list_reply(call, objects, REFUND, items, "/v1/refunds")


def _charge_to_refund(objects: Objects, values: dict[str, Any]) -> Obj:
    charge_id, intent_id = text(values, "charge"), text(values, "payment_intent")
    if not charge_id and not intent_id:
        message = "You must provide one of these parameters: charge, payment_intent."
        raise parameter_missing("charge", message)
    if intent_id:
        intent = objects.require(PAYMENT_INTENT, intent_id, "payment_intent")
        if intent["status"] != "succeeded" or not intent.get("latest_charge"):
            message = (
                f"This PaymentIntent ({intent_id}) does not have a successful charge to refund "
                f"(its status is {intent['status']})."
            )
            raise unexpected_state(message, "charge_not_refundable")
        if charge_id and charge_id != intent["latest_charge"]:
            message = f"The charge {charge_id} does not belong to PaymentIntent {intent_id}."
            raise invalid(message, "charge")
        charge_id = intent["latest_charge"]
    assert charge_id is not None
    charge = objects.require(CHARGE, charge_id, "charge")
    if charge["status"] != "succeeded":
        message = f"Charge {charge_id} cannot be refunded: its status is {charge['status']}."
        raise unexpected_state(message, "charge_not_refundable")
    if not charge["captured"]:
        message = f"Charge {charge_id} is not captured yet: cancel its PaymentIntent to release it."
        raise unexpected_state(message, "charge_not_refundable")
    return charge
