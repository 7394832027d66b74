"""Customers: created, updated, listed (by email), deleted (a tombstone stays readable)."""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.stripe.errors import invalid, missing
from twins.catalog.stripe.events import changed, emit
from twins.catalog.stripe.instruments import resolve
from twins.catalog.stripe.kinds import CUSTOMER, PAYMENT_METHOD, SUBSCRIPTION
from twins.catalog.stripe.listing import list_reply
from twins.catalog.stripe.objects import Obj, Objects, snapshot
from twins.catalog.stripe.params import merged_metadata, params, text
from twins.catalog.stripe.payment_methods import attach
from twins.catalog.stripe.replies import path_id, respond
from twins.catalog.stripe.routes import routes
from twins.catalog.stripe.session import opened
from twins.catalog.stripe.subscriptions import end

PLAIN_FIELDS = ("name", "email", "description", "phone", "balance", "tax_exempt")
ADDRESS_FIELDS = ("city", "country", "line1", "line2", "postal_code", "state")


@routes("POST /v1/customers")
def create_customer(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    ident = objects.new_id(CUSTOMER)
    customer: Obj = {
        "id": ident,
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": objects.now,
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": None,
        "invoice_prefix": objects.token("prefix", ident, length=8).upper(),
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": {},
        "name": None,
        "next_invoice_sequence": 1,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }
    _apply(customer, values)
    objects.save(customer)
    method = text(values, "payment_method")
    if method:
        attach(objects, resolve(objects, method, "payment_method"), customer)
    _set_default_method(objects, customer, values)
    emit(objects, "customer.created", customer)
    return respond(call, objects, customer)


@routes("GET /v1/customers/{customer}")
def retrieve_customer(call: Call) -> Reply:
    objects = opened(call)
    ident = path_id(call)
    found = objects.get(CUSTOMER, ident)
    if found is None:
        raise missing(CUSTOMER.noun, ident, "customer")
    return respond(call, objects, found)


@routes("POST /v1/customers/{customer}")
def update_customer(call: Call) -> Reply:
    objects = opened(call)
    customer = objects.require(CUSTOMER, path_id(call), "customer")
    before = snapshot(customer)
    values = params(call)
    _apply(customer, values)
    _set_default_method(objects, customer, values)
    objects.save(customer)
    previous = changed(before, customer)
    if previous:
        emit(objects, "customer.updated", customer, previous)
    return respond(call, objects, customer)


@routes("DELETE /v1/customers/{customer}")
def delete_customer(call: Call) -> Reply:
    """Deleting a customer cancels its subscriptions; its id then reads as deleted."""
    objects = opened(call)
    customer = objects.require(CUSTOMER, path_id(call), "customer")
    for subscription in objects.newest_first(SUBSCRIPTION, customer=customer["id"]):
        if subscription["status"] != "canceled":
            end(objects, subscription, "cancellation_requested")
    tombstone = {"id": customer["id"], "object": "customer", "deleted": True}
    objects.save(tombstone)
    emit(objects, "customer.deleted", customer)
    return respond(call, objects, tombstone)


@routes("GET /v1/customers")
def list_customers(call: Call) -> Reply:
    objects = opened(call)
    email = text(params(call), "email")
    items = objects.newest_first(CUSTOMER, **({"email": email} if email else {}))
    return list_reply(call, objects, CUSTOMER, items, "/v1/customers")


def _apply(customer: Obj, values: dict[str, Any]) -> None:
    for name in PLAIN_FIELDS:
        if name in values:
            customer[name] = values[name] if values[name] != "" else None
    if customer.get("balance") is None:
        customer["balance"] = 0
    if customer.get("tax_exempt") is None:
        customer["tax_exempt"] = "none"
    address = values.get("address")
    if isinstance(address, dict):
        current = customer.get("address") or dict.fromkeys(ADDRESS_FIELDS)
        customer["address"] = {**current, **{k: address.get(k, current.get(k)) for k in current}}
    elif address == "":
        customer["address"] = None
    locales = values.get("preferred_locales")
    if isinstance(locales, list):
        customer["preferred_locales"] = [str(locale) for locale in locales]
    customer["metadata"] = merged_metadata(customer["metadata"], values.get("metadata"))


def _set_default_method(objects: Objects, customer: Obj, values: dict[str, Any]) -> None:
    settings = values.get("invoice_settings")
    if not isinstance(settings, dict) or "default_payment_method" not in settings:
        return
    ident = settings["default_payment_method"]
    if ident in ("", None):
        customer["invoice_settings"]["default_payment_method"] = None
        return
    param = "invoice_settings[default_payment_method]"
    method = objects.require(PAYMENT_METHOD, str(ident), param)
    if method.get("customer") != customer["id"]:
        message = (
            f"The customer does not have a payment method with the ID {ident}. The payment "
            "method must be attached to the customer."
        )
        raise invalid(message, param, "resource_missing")
    customer["invoice_settings"]["default_payment_method"] = ident
    objects.save(customer)
