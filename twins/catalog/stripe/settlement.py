"""Bank debits settle later: `processing` now, `succeeded` (or failed) some seconds on.

When a debit starts, its outcome is already known (the test account decides), so its
settlement is written down then: the changes the intent and the charge will undergo, and
their events, dated at the moment of settlement (listed and delivered from then on). The
changes themselves are applied by the first request to the twin's session that comes after
that moment, before it does anything else, so every reply sees a settled world.
"""

from __future__ import annotations

from typing import Any

from twins.catalog.stripe.cards import Decline
from twins.catalog.stripe.events import changed, emit
from twins.catalog.stripe.invoices import invoice_paid, invoice_payment_failed
from twins.catalog.stripe.kinds import CHARGE, PAYMENT_INTENT
from twins.catalog.stripe.money import settle_funds
from twins.catalog.stripe.objects import Obj, Objects, snapshot

SETTLEMENT_SECONDS = 5  # of the session's clock: freeze it and advance it to settle at will
COLLECTION = "stripe:settlements"


def schedule(
    objects: Objects, intent: Obj, charge: Obj, method: Obj, failure: Decline | None
) -> None:
    due = objects.now + SETTLEMENT_SECONDS
    settled_charge, settled_intent = snapshot(charge), snapshot(intent)
    if failure is None:
        funds = settle_funds(objects, charge, charge["amount"])
        settled_charge.update(status="succeeded", paid=True, balance_transaction=funds["id"])
        settled_intent.update(status="succeeded", amount_received=intent["amount"])
    else:
        settled_charge.update(
            status="failed",
            paid=False,
            failure_code=failure.code,
            failure_message=failure.message,
            amount_captured=0,
        )
        settled_intent.update(
            status="requires_payment_method",
            payment_method=None,
            last_payment_error={
                "type": "invalid_request_error",
                "code": failure.code,
                "message": failure.message,
                "charge": charge["id"],
                "payment_method": snapshot(method),
            },
        )
    record = {
        "due": due,
        "intent": intent["id"],
        "charge": charge["id"],
        "intent_changes": _changes(intent, settled_intent),
        "charge_changes": _changes(charge, settled_charge),
        "succeeded": failure is None,
    }
    call = objects.call
    call.store.put(call.session, call.twin.name, COLLECTION, intent["id"], "", record)
    if failure is None:
        emit(objects, "charge.succeeded", settled_charge, changed(charge, settled_charge), at=due)
        emit(objects, "payment_intent.succeeded", settled_intent, at=due)
    else:
        emit(objects, "charge.failed", settled_charge, changed(charge, settled_charge), at=due)
        emit(objects, "payment_intent.payment_failed", settled_intent, at=due)


def settle_due(objects: Objects) -> None:
    """Apply every settlement whose moment has come. While one is still to come, a read
    writes to the session, so that no cached reply outlives the change (`twins.replies`)."""
    call = objects.call
    store, session, twin = call.store, call.session, call.twin.name
    records = [record for _, record in store.list(session, twin, COLLECTION)]
    due = [record for record in records if record["due"] <= objects.now]
    if due:
        with store.transaction():  # reads are not in one; a settlement lands whole
            for record in due:
                _apply(objects, record)
                store.delete(session, twin, COLLECTION, record["intent"])
    pending = [record for record in records if record["due"] > objects.now]
    if pending and call.operation.method in ("GET", "HEAD"):
        store.put(session, twin, COLLECTION, pending[0]["intent"], "", pending[0])


def _apply(objects: Objects, record: dict[str, Any]) -> None:
    charge = objects.get(CHARGE, record["charge"])
    intent = objects.get(PAYMENT_INTENT, record["intent"])
    if charge is not None:
        charge.update(record["charge_changes"])
        objects.save(charge)
    if intent is None:
        return
    intent.update(record["intent_changes"])
    objects.save(intent)
    if record["succeeded"]:
        invoice_paid(objects, intent)
    else:
        invoice_payment_failed(objects, intent)


def _changes(before: Obj, after: Obj) -> Obj:
    return {name: value for name, value in after.items() if before.get(name) != value}
