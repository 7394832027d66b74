"""Money moving: the charge an attempt makes, its balance transaction, and refunds of it.

A charge is what one payment attempt did: `succeeded` (paid; captured unless the intent
captures manually), `failed` (declined: `failure_code`, `failure_message`, `outcome`) or
`pending` (a bank debit until it settles). A refund takes from what was captured:
`amount_refunded` grows, `refunded` turns true once nothing is left.
"""

from __future__ import annotations

from typing import Any

from twins.catalog.stripe.cards import Decline
from twins.catalog.stripe.events import changed, emit
from twins.catalog.stripe.kinds import BALANCE_TRANSACTION, CHARGE, REFUND
from twins.catalog.stripe.objects import Obj, Objects, snapshot

FEE_PERCENT = 2.9  # Stripe's standard card pricing: 2.9% + 30 cents
FEE_FIXED = 30
AVAILABLE_AFTER_SECONDS = 2 * 24 * 3600
STATEMENT_DESCRIPTOR = "DTU TWIN"


def new_charge(
    objects: Objects,
    intent: Obj,
    method: Obj,
    *,
    status: str,
    captured: bool,
    decline: Decline | None = None,
    authenticated: bool = False,
) -> Obj:
    """The charge of one attempt to pay `intent` with `method` (saved)."""
    ident = objects.new_id(CHARGE)
    amount = intent["amount"]
    charge: Obj = {
        "id": ident,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount if captured and status != "failed" else 0,
        "amount_refunded": 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": None,
        "billing_details": snapshot(method["billing_details"]),
        "calculated_statement_descriptor": intent.get("statement_descriptor")
        or STATEMENT_DESCRIPTOR,
        "captured": captured and status != "failed",
        "created": objects.now,
        "currency": intent["currency"],
        "customer": intent.get("customer"),
        "description": intent.get("description"),
        "destination": None,
        "dispute": None,
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": decline.code if decline else None,
        "failure_message": decline.message if decline else None,
        "fraud_details": {},
        "invoice": intent.get("invoice"),
        "livemode": False,
        "metadata": dict(intent.get("metadata") or {}),
        "on_behalf_of": None,
        "outcome": _outcome(objects, ident, status, decline),
        "paid": status == "succeeded",
        "payment_intent": intent["id"],
        "payment_method": method["id"],
        "payment_method_details": _details(method, authenticated),
        "radar_options": {},
        "receipt_email": intent.get("receipt_email"),
        "receipt_number": None,
        "receipt_url": f"https://pay.stripe.com/receipts/payment/{objects.token('receipt', ident)}",
        "refunded": False,
        "review": None,
        "shipping": None,
        "source": None,
        "source_transfer": None,
        "statement_descriptor": intent.get("statement_descriptor"),
        "statement_descriptor_suffix": intent.get("statement_descriptor_suffix"),
        "status": status,
        "transfer_data": None,
        "transfer_group": None,
    }
    if charge["captured"] and status == "succeeded":
        charge["balance_transaction"] = settle_funds(objects, charge, amount)["id"]
    return objects.save(charge)


def settle_funds(objects: Objects, charge: Obj, amount: int) -> Obj:
    """The balance transaction of captured money (fees taken as Stripe's card pricing)."""
    fee = round(amount * FEE_PERCENT / 100) + FEE_FIXED
    return _balance_transaction(objects, charge["id"], "charge", amount, fee, charge["currency"])


def capture(objects: Objects, charge: Obj, amount: int) -> Obj:
    """Capture `amount` of an authorised charge; the rest of the hold is released."""
    before = snapshot(charge)
    charge["captured"] = True
    charge["amount_captured"] = amount
    charge["amount_refunded"] = charge["amount"] - amount
    charge["balance_transaction"] = settle_funds(objects, charge, amount)["id"]
    objects.save(charge)
    emit(objects, "charge.captured", charge, changed(before, charge))
    return charge


def refund(
    objects: Objects,
    charge: Obj,
    amount: int,
    reason: str | None,
    metadata: dict[str, str],
    *,
    status: str = "succeeded",
) -> Obj:
    """Refund `amount` of a charge (saved, with the charge's new totals and their events)."""
    ident = objects.new_id(REFUND)
    balance = _balance_transaction(objects, ident, "refund", -amount, 0, charge["currency"])
    created: Obj = {
        "id": ident,
        "object": "refund",
        "amount": amount,
        "balance_transaction": balance["id"],
        "charge": charge["id"],
        "created": objects.now,
        "currency": charge["currency"],
        "metadata": metadata,
        "payment_intent": charge.get("payment_intent"),
        "reason": reason,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": status,
        "transfer_reversal": None,
    }
    objects.save(created)
    before = snapshot(charge)
    charge["amount_refunded"] = charge["amount_refunded"] + amount
    charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
    objects.save(charge)
    emit(objects, "refund.created", created)
    emit(objects, "charge.refunded", charge, changed(before, charge))
    return created


def refundable(charge: Obj) -> int:
    """What is left to refund: the captured amount less what was refunded of it."""
    released = charge["amount"] - charge["amount_captured"]  # an uncaptured remainder
    return int(charge["amount_captured"] - (charge["amount_refunded"] - released))


def _balance_transaction(
    objects: Objects, source: str, kind: str, amount: int, fee: int, currency: str
) -> Obj:
    now = objects.now
    return objects.save(
        {
            "id": objects.new_id(BALANCE_TRANSACTION),
            "object": "balance_transaction",
            "amount": amount,
            "available_on": now + AVAILABLE_AFTER_SECONDS,
            "created": now,
            "currency": currency,
            "description": None,
            "exchange_rate": None,
            "fee": fee,
            "fee_details": [
                {
                    "amount": fee,
                    "application": None,
                    "currency": currency,
                    "description": "Stripe processing fees",
                    "type": "stripe_fee",
                }
            ]
            if fee
            else [],
            "net": amount - fee,
            "reporting_category": kind,
            "source": source,
            "status": "pending",
            "type": kind,
        }
    )


def _outcome(objects: Objects, ident: str, status: str, decline: Decline | None) -> Obj:
    score = objects.call.rng("risk", ident).randint(0, 60)
    if decline is None:
        return {
            "network_status": "approved_by_network",
            "reason": None,
            "risk_level": "normal",
            "risk_score": score,
            "seller_message": "Payment complete." if status == "succeeded" else None,
            "type": "authorized",
        }
    if decline.blocked:
        return {
            "network_status": "not_sent_to_network",
            "reason": "highest_risk_level",
            "risk_level": "highest",
            "risk_score": 95,
            "seller_message": "Stripe blocked this payment as too risky.",
            "type": "blocked",
        }
    return {
        "network_status": "declined_by_network",
        "reason": decline.decline_code or decline.code,
        "risk_level": "normal",
        "risk_score": score,
        "seller_message": "The bank did not return any further details with this decline.",
        "type": "issuer_declined",
    }


def _details(method: Obj, authenticated: bool) -> dict[str, Any]:
    if method.get("type") == "us_bank_account":
        account = method.get("us_bank_account") or {}
        return {
            "type": "us_bank_account",
            "us_bank_account": {
                "account_holder_type": account.get("account_holder_type"),
                "account_type": account.get("account_type"),
                "bank_name": account.get("bank_name"),
                "fingerprint": account.get("fingerprint"),
                "last4": account.get("last4"),
                "routing_number": account.get("routing_number"),
            },
        }
    card = method.get("card") or {}
    return {
        "type": "card",
        "card": {
            "brand": card.get("brand"),
            "checks": card.get("checks"),
            "country": card.get("country"),
            "exp_month": card.get("exp_month"),
            "exp_year": card.get("exp_year"),
            "fingerprint": card.get("fingerprint"),
            "funding": card.get("funding"),
            "installments": None,
            "last4": card.get("last4"),
            "mandate": None,
            "network": card.get("brand"),
            "three_d_secure": {"authentication_flow": "challenge", "result": "authenticated"}
            if authenticated
            else None,
            "wallet": None,
        },
    }
