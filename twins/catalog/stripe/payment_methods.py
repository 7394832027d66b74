"""Payment methods: made from test cards, card tokens or test bank accounts; attached to and
detached from customers (a declining card cannot be attached, as at Stripe)."""

from __future__ import annotations

from twins.behaviour.call import Call, Reply
from twins.catalog.stripe.cards import TestCard
from twins.catalog.stripe.errors import invalid, parameter_missing
from twins.catalog.stripe.events import changed, emit
from twins.catalog.stripe.instruments import (
    bank_from_params,
    card_error,
    card_from_params,
    instrument_of,
)
from twins.catalog.stripe.kinds import CUSTOMER, PAYMENT_METHOD
from twins.catalog.stripe.listing import list_reply
from twins.catalog.stripe.objects import Obj, Objects, snapshot
from twins.catalog.stripe.params import merged_metadata, params, text
from twins.catalog.stripe.replies import path_id, respond
from twins.catalog.stripe.routes import routes
from twins.catalog.stripe.session import opened

BILLING_FIELDS = ("email", "name", "phone")


@routes("POST /v1/payment_methods")
def create_payment_method(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    method_type = text(values, "type")
    if method_type == "card":
        card = values.get("card")
        if not isinstance(card, dict):
            raise parameter_missing("card")
        method = card_from_params(objects, card)
    elif method_type == "us_bank_account":
        account = values.get("us_bank_account")
        if not isinstance(account, dict):
            raise parameter_missing("us_bank_account")
        method = bank_from_params(objects, account)
    elif method_type is None:
        raise parameter_missing("type")
    else:
        message = (
            f"This twin makes payment methods of type card or us_bank_account, not {method_type}."
        )
        raise invalid(message, "type", "payment_method_invalid_parameter")
    _apply(method, values)
    objects.save(method)
    return respond(call, objects, method)


@routes("GET /v1/payment_methods/{payment_method}")
def retrieve_payment_method(call: Call) -> Reply:
    objects = opened(call)
    return respond(call, objects, objects.require(PAYMENT_METHOD, path_id(call), "payment_method"))


@routes("POST /v1/payment_methods/{payment_method}")
def update_payment_method(call: Call) -> Reply:
    objects = opened(call)
    method = objects.require(PAYMENT_METHOD, path_id(call), "payment_method")
    before = snapshot(method)
    _apply(method, params(call))
    objects.save(method)
    previous = changed(before, method)
    if previous:
        emit(objects, "payment_method.updated", method, previous)
    return respond(call, objects, method)


@routes("POST /v1/payment_methods/{payment_method}/attach")
def attach_payment_method(call: Call) -> Reply:
    objects = opened(call)
    method = objects.require(PAYMENT_METHOD, path_id(call), "payment_method")
    ident = text(params(call), "customer")
    if not ident:
        raise parameter_missing("customer")
    attach(objects, method, objects.require(CUSTOMER, ident, "customer"))
    return respond(call, objects, method)


@routes("POST /v1/payment_methods/{payment_method}/detach")
def detach_payment_method(call: Call) -> Reply:
    objects = opened(call)
    method = objects.require(PAYMENT_METHOD, path_id(call), "payment_method")
    owner = method.get("customer")
    if owner is None:
        message = (
            "The payment method you provided is not attached to a customer so detachment is "
            "impossible."
        )
        raise invalid(message, None, "payment_method_unexpected_state")
    method["customer"] = None
    objects.save(method)
    customer = objects.get(CUSTOMER, str(owner))
    if customer is not None and customer.get("deleted") is not True:
        settings = customer["invoice_settings"]
        if settings.get("default_payment_method") == method["id"]:
            settings["default_payment_method"] = None
            objects.save(customer)
    emit(objects, "payment_method.detached", method, {"customer": owner})
    return respond(call, objects, method)


@routes("GET /v1/payment_methods", "GET /v1/customers/{customer}/payment_methods")
def list_payment_methods(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    customer = call.path_params.get("customer") or text(values, "customer")
    filters: dict[str, str] = {}
    if customer:
        objects.require(CUSTOMER, customer, "customer")
        filters["customer"] = customer
    method_type = text(values, "type")
    if method_type:
        filters["type"] = method_type
    items = objects.newest_first(PAYMENT_METHOD, **filters)
    url = (
        f"/v1/customers/{customer}/payment_methods"
        if "customer" in call.path_params
        else ("/v1/payment_methods")
    )
    return list_reply(call, objects, PAYMENT_METHOD, items, url)


def attach(objects: Objects, method: Obj, customer: Obj) -> None:
    """Attach a payment method to a customer; a card that declines cannot be attached."""
    owner = method.get("customer")
    if owner == customer["id"]:
        return
    if owner is not None:
        message = "The payment method you provided has already been attached to a customer."
        raise invalid(message, "payment_method", "payment_method_unexpected_state")
    instrument = instrument_of(objects, method)
    if isinstance(instrument, TestCard) and instrument.declines_attach:
        assert instrument.decline is not None
        raise card_error(instrument.decline)
    method["customer"] = customer["id"]
    objects.save(method)
    emit(objects, "payment_method.attached", method, {"customer": None})


def _apply(method: Obj, values: dict[str, object]) -> None:
    billing = values.get("billing_details")
    if isinstance(billing, dict):
        details = method["billing_details"]
        for name in BILLING_FIELDS:
            if name in billing:
                details[name] = billing[name] or None
        address = billing.get("address")
        current = details.get("address") or {}
        if isinstance(address, dict):
            details["address"] = {k: address.get(k, current.get(k)) for k in current}
        elif address == "":  # an empty value unsets, as everywhere at Stripe
            details["address"] = dict.fromkeys(current)
    method["metadata"] = merged_metadata(method["metadata"], values.get("metadata"))
