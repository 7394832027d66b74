"""What a payment means for the invoice it pays (and that invoice's subscription)."""

from __future__ import annotations

from twins.catalog.stripe.events import changed, emit
from twins.catalog.stripe.kinds import INVOICE, SUBSCRIPTION
from twins.catalog.stripe.objects import Obj, Objects, snapshot

UNPAID_SUBSCRIPTION = ("incomplete", "past_due", "unpaid")


def invoice_paid(objects: Objects, intent: Obj) -> None:
    """The intent of an invoice succeeded: the invoice is paid, its subscription active."""
    invoice = _invoice_of(objects, intent)
    if invoice is None or invoice["paid"]:
        return
    invoice.update(
        amount_paid=invoice["amount_due"],
        amount_remaining=0,
        attempt_count=invoice.get("attempt_count", 0) + 1,
        attempted=True,
        paid=True,
        status="paid",
    )
    invoice.setdefault("status_transitions", {})["paid_at"] = objects.now
    objects.save(invoice)
    emit(objects, "invoice.paid", invoice)
    emit(objects, "invoice.payment_succeeded", invoice)
    subscription = objects.get(SUBSCRIPTION, str(invoice.get("subscription")))
    if subscription is not None and subscription["status"] in UNPAID_SUBSCRIPTION:
        before = snapshot(subscription)
        subscription["status"] = "active"
        objects.save(subscription)
        emit(objects, "customer.subscription.updated", subscription, changed(before, subscription))


def invoice_payment_failed(objects: Objects, intent: Obj) -> None:
    invoice = _invoice_of(objects, intent)
    if invoice is None or invoice["paid"]:
        return
    invoice.update(attempt_count=invoice.get("attempt_count", 0) + 1, attempted=True)
    objects.save(invoice)
    emit(objects, "invoice.payment_failed", invoice)


def _invoice_of(objects: Objects, intent: Obj) -> Obj | None:
    ident = intent.get("invoice")
    return objects.get(INVOICE, ident) if isinstance(ident, str) else None
