"""Subscriptions to recurring prices, and the invoices they make.

Creating a subscription makes its first invoice and pays it at once with the subscription's
(or the customer's default) payment method: paid, the subscription is `active`; declined or
waiting for 3D Secure, it is `incomplete` until the invoice's payment intent succeeds
(`payment_behavior=default_incomplete` leaves that payment to the client from the start;
`error_if_incomplete` answers a decline with the 402 and creates nothing). A trial makes it
`trialing` with a zero invoice. Deleting it cancels it at once; it stays readable.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta
from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.stripe.billing import first_invoice
from twins.catalog.stripe.errors import invalid, missing, parameter_missing
from twins.catalog.stripe.events import changed, emit
from twins.catalog.stripe.instruments import resolve
from twins.catalog.stripe.kinds import (
    CUSTOMER,
    PAYMENT_METHOD,
    PRICE,
    SUBSCRIPTION,
    SUBSCRIPTION_ITEM,
)
from twins.catalog.stripe.listing import list_reply
from twins.catalog.stripe.objects import Obj, Objects, snapshot
from twins.catalog.stripe.params import flag, integer, merged_metadata, params, text
from twins.catalog.stripe.replies import path_id, respond
from twins.catalog.stripe.routes import routes
from twins.catalog.stripe.session import opened

DAY = 24 * 3600
ENDED = ("canceled", "incomplete_expired")
MAX_ITEMS = 20  # Stripe's limit


@routes("POST /v1/subscriptions")
def create_subscription(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    ident = text(values, "customer")
    if not ident:
        raise parameter_missing("customer")
    customer = objects.require(CUSTOMER, ident, "customer")
    lines = _priced_items(objects, values)
    method = _payment_method(objects, values, customer)
    collection = text(values, "collection_method") or "charge_automatically"
    days_until_due = integer(values, "days_until_due")
    if collection == "send_invoice" and days_until_due is None:
        raise parameter_missing("days_until_due")
    if collection == "charge_automatically" and days_until_due is not None:
        message = "days_until_due can only be set when collection_method is send_invoice."
        raise invalid(message, "days_until_due")
    subscription = _new_subscription(objects, values, customer, lines, collection, days_until_due)
    if method is not None and text(values, "default_payment_method"):
        subscription["default_payment_method"] = method["id"]
    first_invoice(objects, values, subscription, customer, method)
    objects.save(subscription)
    emit(objects, "customer.subscription.created", subscription)
    return respond(call, objects, subscription)


@routes("GET /v1/subscriptions/{subscription_exposed_id}")
def retrieve_subscription(call: Call) -> Reply:
    objects = opened(call)
    ident = path_id(call)
    return respond(call, objects, objects.require(SUBSCRIPTION, ident, "subscription_exposed_id"))


@routes("POST /v1/subscriptions/{subscription_exposed_id}")
def update_subscription(call: Call) -> Reply:
    objects = opened(call)
    subscription = objects.require(SUBSCRIPTION, path_id(call), "subscription_exposed_id")
    values = params(call)
    before = snapshot(subscription)
    if subscription["status"] == "canceled":
        others = set(values) - {"metadata", "cancellation_details", "expand"}
        if others:
            message = (
                "A canceled subscription can only update its cancellation_details and metadata."
            )
            raise invalid(message, sorted(others)[0])
    if values.get("items") is not None:
        message = "This twin does not change a subscription's items: cancel it and create another."
        raise invalid(message, "items")
    if values.get("cancel_at_period_end") is not None:
        at_end = flag(values, "cancel_at_period_end")
        subscription["cancel_at_period_end"] = at_end
        subscription["cancel_at"] = subscription["current_period_end"] if at_end else None
    if values.get("cancel_at") is not None:
        subscription["cancel_at"] = integer(values, "cancel_at")
    method = text(values, "default_payment_method")
    if method:
        found = objects.require(PAYMENT_METHOD, method, "default_payment_method")
        _check_owner(found, subscription["customer"], "default_payment_method")
        subscription["default_payment_method"] = method
    elif method == "":
        subscription["default_payment_method"] = None
    if "description" in values:
        subscription["description"] = values["description"] or None
    details = values.get("cancellation_details")
    if isinstance(details, dict):
        current = subscription["cancellation_details"]
        for name in ("comment", "feedback"):
            if name in details:
                current[name] = details[name] or None
    subscription["metadata"] = merged_metadata(subscription["metadata"], values.get("metadata"))
    objects.save(subscription)
    previous = changed(before, subscription)
    if previous:
        emit(objects, "customer.subscription.updated", subscription, previous)
    return respond(call, objects, subscription)


@routes("DELETE /v1/subscriptions/{subscription_exposed_id}")
def cancel_subscription(call: Call) -> Reply:
    objects = opened(call)
    ident = path_id(call)
    subscription = objects.require(SUBSCRIPTION, ident, "subscription_exposed_id")
    if subscription["status"] == "canceled":
        raise missing(SUBSCRIPTION.noun, ident, "subscription_exposed_id")
    return respond(call, objects, end(objects, subscription, "cancellation_requested"))


@routes("GET /v1/subscriptions")
def list_subscriptions(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    customer = text(values, "customer")
    items = objects.newest_first(SUBSCRIPTION, **({"customer": customer} if customer else {}))
    status = text(values, "status")
    if status == "ended":
        items = [item for item in items if item["status"] in ENDED]
    elif status and status != "all":
        items = [item for item in items if item["status"] == status]
    elif not status:
        items = [item for item in items if item["status"] != "canceled"]
    price = text(values, "price")
    if price:
        items = [item for item in items if price in _price_ids(item)]
    return list_reply(call, objects, SUBSCRIPTION, items, "/v1/subscriptions")


def end(objects: Objects, subscription: Obj, reason: str) -> Obj:
    """Cancel a subscription now."""
    before = snapshot(subscription)
    now = objects.now
    subscription.update(status="canceled", canceled_at=now, ended_at=now, cancel_at=None)
    subscription["cancellation_details"]["reason"] = reason
    objects.save(subscription)
    emit(objects, "customer.subscription.deleted", subscription, changed(before, subscription))
    return subscription


# -- creation ---------------------------------------------------------------------------------


def _priced_items(objects: Objects, values: dict[str, Any]) -> list[tuple[Obj, int, Obj]]:
    """(price, quantity, metadata) of each item; all recurring, active, alike in currency and
    billing period."""
    items = values.get("items")
    if isinstance(items, dict):  # sparse indices: in index order
        items = [items[key] for key in sorted(items, key=lambda k: (len(k), k))]
    if not isinstance(items, list) or not items:
        raise parameter_missing("items")
    if len(items) > MAX_ITEMS:
        raise invalid(f"A subscription can have at most {MAX_ITEMS} items.", "items")
    found: list[tuple[Obj, int, Obj]] = []
    for index, item in enumerate(items):
        param = f"items[{index}][price]"
        if not isinstance(item, dict) or not text(item, "price"):
            raise parameter_missing(param)
        price = objects.require(PRICE, str(item["price"]), param)
        if price["type"] != "recurring":
            message = (
                "The price specified is set to `type=one_time` but this field only accepts "
                "prices with `type=recurring`."
            )
            raise invalid(message, param)
        if not price["active"]:
            message = "The price specified is inactive. This field only accepts active prices."
            raise invalid(message, param)
        if any(other["id"] == price["id"] for other, _, _ in found):
            raise invalid("Cannot add multiple subscription items with the same price.", param)
        quantity = integer(item, "quantity")
        metadata = merged_metadata({}, item.get("metadata"))
        found.append((price, 1 if quantity is None else quantity, metadata))
    first = found[0][0]
    for price, _, _ in found[1:]:
        same_period = price["recurring"]["interval"] == first["recurring"]["interval"] and (
            price["recurring"]["interval_count"] == first["recurring"]["interval_count"]
        )
        if price["currency"] != first["currency"] or not same_period:
            message = "Currency and interval fields must match across all prices of a subscription."
            raise invalid(message, "items")
    return found


def _payment_method(objects: Objects, values: dict[str, Any], customer: Obj) -> Obj | None:
    named = text(values, "default_payment_method")
    if named:
        method = resolve(objects, named, "default_payment_method")
        _check_owner(method, customer["id"], "default_payment_method")
        return method
    default = customer["invoice_settings"].get("default_payment_method")
    return objects.get(PAYMENT_METHOD, default) if isinstance(default, str) else None


def _check_owner(method: Obj, customer: str, param: str) -> None:
    if method.get("customer") != customer:
        message = (
            f"The customer does not have a payment method with the ID {method['id']}. The "
            "payment method must be attached to the customer."
        )
        raise invalid(message, param, "resource_missing")


def _new_subscription(
    objects: Objects,
    values: dict[str, Any],
    customer: Obj,
    lines: list[tuple[Obj, int, Obj]],
    collection: str,
    days_until_due: int | None,
) -> Obj:
    now = objects.now
    trial_end = _trial_end(values, now)
    recurring = lines[0][0]["recurring"]
    period_end = trial_end or advance(now, recurring["interval"], recurring["interval_count"])
    ident = objects.new_id(SUBSCRIPTION)
    items = []
    for price, quantity, metadata in lines:
        item: Obj = {
            "id": objects.new_id(SUBSCRIPTION_ITEM),
            "object": "subscription_item",
            "billing_thresholds": None,
            "created": now,
            "metadata": metadata,
            "price": snapshot(price),
            "quantity": quantity,
            "subscription": ident,
            "tax_rates": [],
        }
        objects.save(item)
        items.append(item)
    at_end = flag(values, "cancel_at_period_end")
    return {
        "id": ident,
        "object": "subscription",
        "application": None,
        "application_fee_percent": None,
        "automatic_tax": {"enabled": False},
        "billing_cycle_anchor": period_end,
        "billing_thresholds": None,
        "cancel_at": period_end if at_end else None,
        "cancel_at_period_end": at_end,
        "canceled_at": None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": collection,
        "created": now,
        "currency": lines[0][0]["currency"],
        "current_period_end": period_end,
        "current_period_start": now,
        "customer": customer["id"],
        "days_until_due": days_until_due,
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": text(values, "description"),
        "discount": None,
        "ended_at": None,
        "items": {
            "object": "list",
            "data": items,
            "has_more": False,
            "total_count": len(items),
            "url": f"/v1/subscription_items?subscription={ident}",
        },
        "latest_invoice": None,
        "livemode": False,
        "metadata": merged_metadata({}, values.get("metadata")),
        "next_pending_invoice_item_invoice": None,
        "on_behalf_of": None,
        "pause_collection": None,
        "payment_settings": {
            "payment_method_options": None,
            "payment_method_types": None,
            "save_default_payment_method": "off",
        },
        "pending_invoice_item_interval": None,
        "pending_setup_intent": None,
        "pending_update": None,
        "schedule": None,
        "start_date": now,
        "status": "trialing" if trial_end else "incomplete",
        "test_clock": None,
        "transfer_data": None,
        "trial_end": trial_end,
        "trial_settings": {"end_behavior": {"missing_payment_method": "create_invoice"}},
        "trial_start": now if trial_end else None,
    }


def _trial_end(values: dict[str, Any], now: int) -> int | None:
    days = integer(values, "trial_period_days")
    end_at = values.get("trial_end")
    if end_at == "now":
        return None
    if end_at is not None:
        moment = integer(values, "trial_end")
        if moment is None or moment <= now:
            raise invalid("Invalid timestamp: trial_end must be in the future.", "trial_end")
        return moment
    return now + days * DAY if days else None


def _price_ids(subscription: Obj) -> set[str]:
    return {item["price"]["id"] for item in subscription["items"]["data"]}


def advance(start: int, interval: str, count: int) -> int:
    """The end of a billing period that starts at `start` (calendar months, like Stripe)."""
    moment = datetime.fromtimestamp(start, UTC)
    if interval == "day":
        return int((moment + timedelta(days=count)).timestamp())
    if interval == "week":
        return int((moment + timedelta(weeks=count)).timestamp())
    months = count * (12 if interval == "year" else 1)
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return int(moment.replace(year=year, month=month, day=day).timestamp())
