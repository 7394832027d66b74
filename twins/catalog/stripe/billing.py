"""Invoices: a subscription's first one, made and settled when it is created; and reading
them (`GET /v1/invoices`). What a later payment does to an invoice is `invoices`."""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.stripe.errors import invalid
from twins.catalog.stripe.events import emit
from twins.catalog.stripe.intents import confirm, new_intent, use_method
from twins.catalog.stripe.kinds import INVOICE
from twins.catalog.stripe.listing import list_reply
from twins.catalog.stripe.objects import Obj, Objects
from twins.catalog.stripe.params import params, text
from twins.catalog.stripe.replies import path_id, respond
from twins.catalog.stripe.routes import routes
from twins.catalog.stripe.session import opened

DAY = 24 * 3600
NO_PAYMENT_METHOD = (
    "This customer has no attached payment source or default payment method. Please consider "
    "adding a default payment method."
)


@routes("GET /v1/invoices/{invoice}")
def retrieve_invoice(call: Call) -> Reply:
    objects = opened(call)
    return respond(call, objects, objects.require(INVOICE, path_id(call), "invoice"))


@routes("GET /v1/invoices")
def list_invoices(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    filters = {name: text(values, name) for name in ("customer", "subscription", "status")}
    items = objects.newest_first(INVOICE, **{k: v for k, v in filters.items() if v})
    return list_reply(call, objects, INVOICE, items, "/v1/invoices")


def first_invoice(
    objects: Objects,
    values: dict[str, Any],
    subscription: Obj,
    customer: Obj,
    method: Obj | None,
) -> None:
    """Make the subscription's first invoice and settle it as the subscription says."""
    trialing = subscription["status"] == "trialing"
    amount = (
        0
        if trialing
        else sum(
            item["price"]["unit_amount"] * item["quantity"]
            for item in subscription["items"]["data"]
        )
    )
    invoice = new_invoice(objects, subscription, customer, amount)
    subscription["latest_invoice"] = invoice["id"]
    emit(objects, "invoice.created", invoice)
    emit(objects, "invoice.finalized", invoice)
    if trialing or amount == 0 or subscription["collection_method"] == "send_invoice":
        if amount == 0:
            mark_paid(objects, invoice)
        if not trialing:
            subscription["status"] = "active"
        return
    behavior = text(values, "payment_behavior") or "allow_incomplete"
    if method is None and behavior != "default_incomplete":
        raise invalid(NO_PAYMENT_METHOD, None, "resource_missing")
    intent = new_intent(
        objects,
        {
            "amount": amount,
            "currency": subscription["currency"],
            "customer": customer["id"],
            "description": "Subscription creation",
            "setup_future_usage": "off_session",
        },
    )
    intent["invoice"] = invoice["id"]
    invoice["payment_intent"] = intent["id"]
    objects.save(invoice)
    if method is not None:
        use_method(objects, intent, method)
    objects.save(intent)
    emit(objects, "payment_intent.created", intent)
    if behavior == "default_incomplete" or method is None:
        return
    declined = confirm(objects, intent, {})
    if declined is not None and behavior == "error_if_incomplete":
        raise declined  # nothing is kept: Stripe creates no subscription
    if intent["status"] == "succeeded":
        subscription["status"] = "active"


def new_invoice(objects: Objects, subscription: Obj, customer: Obj, amount: int) -> Obj:
    now = objects.now
    ident = objects.new_id(INVOICE)
    sequence = customer.get("next_invoice_sequence", 1)
    customer["next_invoice_sequence"] = sequence + 1
    objects.save(customer)
    start, end = subscription["current_period_start"], subscription["current_period_end"]
    lines = [
        {
            "id": f"il_{objects.token('line', ident, item['id'], length=24)}",
            "object": "line_item",
            "amount": 0
            if subscription["status"] == "trialing"
            else (item["price"]["unit_amount"] * item["quantity"]),
            "currency": subscription["currency"],
            "description": f"{item['quantity']} × {item['price']['product']}",
            "discountable": True,
            "livemode": False,
            "metadata": {},
            "period": {"start": start, "end": end},
            "price": item["price"],
            "proration": False,
            "quantity": item["quantity"],
            "subscription": subscription["id"],
            "subscription_item": item["id"],
            "type": "subscription",
        }
        for item in subscription["items"]["data"]
    ]
    days = subscription["days_until_due"]
    token = objects.token("invoice", ident, length=32)
    invoice: Obj = {
        "id": ident,
        "object": "invoice",
        "account_country": "US",
        "account_name": "dtu twin",
        "amount_due": amount,
        "amount_paid": 0,
        "amount_remaining": amount,
        "amount_shipping": 0,
        "attempt_count": 0,
        "attempted": False,
        "auto_advance": False,
        "automatic_tax": {"enabled": False, "status": None},
        "billing_reason": "subscription_create",
        "collection_method": subscription["collection_method"],
        "created": now,
        "currency": subscription["currency"],
        "customer": customer["id"],
        "customer_email": customer.get("email"),
        "customer_name": customer.get("name"),
        "default_payment_method": None,
        "default_tax_rates": [],
        "description": None,
        "due_date": now + days * DAY if days else None,
        "hosted_invoice_url": f"https://invoice.stripe.com/i/{token}",
        "invoice_pdf": f"https://pay.stripe.com/invoice/{token}/pdf",
        "lines": {
            "object": "list",
            "data": lines,
            "has_more": False,
            "total_count": len(lines),
            "url": f"/v1/invoices/{ident}/lines",
        },
        "livemode": False,
        "metadata": {},
        "number": f"{customer.get('invoice_prefix', 'DTU')}-{sequence:04d}",
        "paid": False,
        "paid_out_of_band": False,
        "payment_intent": None,
        "payment_settings": {
            "default_mandate": None,
            "payment_method_options": None,
            "payment_method_types": None,
        },
        "period_end": now,
        "period_start": now,
        "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0,
        "starting_balance": 0,
        "status": "open",
        "status_transitions": {
            "finalized_at": now,
            "marked_uncollectible_at": None,
            "paid_at": None,
            "voided_at": None,
        },
        "subscription": subscription["id"],
        "subtotal": amount,
        "total": amount,
        "total_tax_amounts": [],
    }
    return objects.save(invoice)


def mark_paid(objects: Objects, invoice: Obj) -> None:
    invoice.update(paid=True, status="paid", amount_remaining=0)
    invoice["status_transitions"]["paid_at"] = objects.now
    objects.save(invoice)
    emit(objects, "invoice.paid", invoice)
    emit(objects, "invoice.payment_succeeded", invoice)
