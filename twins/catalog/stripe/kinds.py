"""The kinds of Stripe objects the pack keeps: where each lives and how its ids look.

Records live in the collection named by the resource's path in Stripe's API (`/v1/customers`),
keyed by id, so the generic engine (and the control plane's seeding) find the same records.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    name: str  # the object's `object` field: "payment_intent"
    prefix: str  # of its ids: "pi"
    collection: str  # "/v1/payment_intents"
    noun: str  # as Stripe names it in "No such ...: 'id'"
    id_length: int = 24  # characters after the prefix


CUSTOMER = Kind("customer", "cus", "/v1/customers", "customer", 14)
PRODUCT = Kind("product", "prod", "/v1/products", "product", 14)
PRICE = Kind("price", "price", "/v1/prices", "price")
PAYMENT_METHOD = Kind("payment_method", "pm", "/v1/payment_methods", "PaymentMethod")
PAYMENT_INTENT = Kind("payment_intent", "pi", "/v1/payment_intents", "payment_intent")
CHARGE = Kind("charge", "ch", "/v1/charges", "charge")
REFUND = Kind("refund", "re", "/v1/refunds", "refund")
BALANCE_TRANSACTION = Kind(
    "balance_transaction", "txn", "/v1/balance_transactions", "balance transaction"
)
SUBSCRIPTION = Kind("subscription", "sub", "/v1/subscriptions", "subscription")
SUBSCRIPTION_ITEM = Kind(
    "subscription_item", "si", "/v1/subscription_items", "subscription item", 14
)
INVOICE = Kind("invoice", "in", "/v1/invoices", "invoice")
WEBHOOK_ENDPOINT = Kind("webhook_endpoint", "we", "/v1/webhook_endpoints", "webhook endpoint")
EVENT = Kind("event", "evt", "/v1/events", "event")

KINDS: tuple[Kind, ...] = (
    CUSTOMER,
    PRODUCT,
    PRICE,
    PAYMENT_METHOD,
    PAYMENT_INTENT,
    CHARGE,
    REFUND,
    BALANCE_TRANSACTION,
    SUBSCRIPTION,
    SUBSCRIPTION_ITEM,
    INVOICE,
    WEBHOOK_ENDPOINT,
    EVENT,
)
BY_NAME = {kind.name: kind for kind in KINDS}
BY_PREFIX = {kind.prefix: kind for kind in KINDS}


def kind_of_id(value: str) -> Kind | None:
    """The kind an id names by its prefix (`pi_3Mt...` -> payment intents), if any."""
    prefix, sep, rest = value.partition("_")
    if not sep or not rest:
        return None
    return BY_PREFIX.get(prefix)
