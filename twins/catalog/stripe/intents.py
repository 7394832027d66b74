"""The lifecycle of a payment intent, as Stripe runs it.

    requires_payment_method --(payment method)--> requires_confirmation --(confirm)--> ...
      card that succeeds:   succeeded            (or requires_capture with capture_method=manual
                                                   --capture--> succeeded)
      card that declines:   requires_payment_method, with last_payment_error (a 402 card_error)
      3D Secure required:   requires_action, with next_action --(authenticated)--> as above
      US bank account:      processing --(settles)--> succeeded, or requires_payment_method
    any state before success --cancel--> canceled

Every step saves the intent and the charge it made, and records their events. A declined
attempt is returned, not raised: the failed charge and the intent's new state stay on record,
as they do at Stripe.
"""

from __future__ import annotations

from typing import Any

from twins.catalog.stripe.attempts import charge_card, debit, fail, require_action
from twins.catalog.stripe.cards import AUTHENTICATION_REQUIRED, TestBankAccount
from twins.catalog.stripe.errors import StripeError, invalid, unexpected_state
from twins.catalog.stripe.events import changed, emit
from twins.catalog.stripe.facts import remember
from twins.catalog.stripe.instruments import instrument_of, resolve
from twins.catalog.stripe.invoices import invoice_paid
from twins.catalog.stripe.kinds import CHARGE, CUSTOMER, PAYMENT_INTENT, PAYMENT_METHOD
from twins.catalog.stripe.money import capture as capture_charge
from twins.catalog.stripe.money import refund as refund_charge
from twins.catalog.stripe.objects import Obj, Objects, snapshot
from twins.catalog.stripe.params import flag, text

CONFIRMABLE = ("requires_payment_method", "requires_confirmation", "requires_action")
CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
)
MINIMUM_AMOUNT = {"gbp": 30, "jpy": 50, "hkd": 400, "mxn": 1000, "sek": 300, "nok": 300}
DEFAULT_MINIMUM = 50


def new_intent(objects: Objects, values: dict[str, Any]) -> Obj:
    """A payment intent from create parameters (checked, not yet saved)."""
    amount, currency = values["amount"], values["currency"]
    check_amount(amount, currency)
    customer = text(values, "customer")
    if customer:
        objects.require(CUSTOMER, customer, "customer")
    automatic = values.get("automatic_payment_methods")
    enabled = isinstance(automatic, dict) and flag(automatic, "enabled")
    types = values.get("payment_method_types")
    if enabled and types:
        message = (
            "You may only specify one of these parameters: automatic_payment_methods, "
            "payment_method_types."
        )
        raise invalid(message, "payment_method_types")
    ident = objects.new_id(PAYMENT_INTENT)
    intent: Obj = {
        "id": ident,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": 0,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": {
            "allow_redirects": (automatic or {}).get("allow_redirects", "always"),
            "enabled": True,
        }
        if enabled
        else None,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": values.get("capture_method") or "automatic",
        "client_secret": f"{ident}_secret_{objects.token('secret', ident, length=25)}",
        "confirmation_method": values.get("confirmation_method") or "automatic",
        "created": objects.now,
        "currency": currency,
        "customer": customer or None,
        "description": values.get("description"),
        "invoice": None,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": {},
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": None,
        "payment_method_options": {},
        "payment_method_types": list(types) if isinstance(types, list) and types else ["card"],
        "processing": None,
        "receipt_email": values.get("receipt_email"),
        "review": None,
        "setup_future_usage": values.get("setup_future_usage"),
        "shipping": None,
        "source": None,
        "statement_descriptor": values.get("statement_descriptor"),
        "statement_descriptor_suffix": values.get("statement_descriptor_suffix"),
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": None,
    }
    if "card" in intent["payment_method_types"]:
        intent["payment_method_options"]["card"] = {
            "installments": None,
            "mandate_options": None,
            "network": None,
            "request_three_d_secure": "automatic",
        }
    method = text(values, "payment_method")
    if method:
        use_method(objects, intent, resolve(objects, method, "payment_method"))
    return intent


def check_amount(amount: int, currency: str) -> None:
    minimum = MINIMUM_AMOUNT.get(currency, DEFAULT_MINIMUM)
    if amount < minimum:
        message = f"Amount must be at least {minimum} {currency} in its smallest unit."
        raise invalid(message, "amount", "amount_too_small")


def use_method(objects: Objects, intent: Obj, method: Obj) -> None:
    """Set the intent's payment method (it is then ready to confirm)."""
    _check_method(intent, method)
    intent["payment_method"] = method["id"]
    if intent["status"] == "requires_payment_method":
        intent["status"] = "requires_confirmation"


def confirm(objects: Objects, intent: Obj, values: dict[str, Any]) -> StripeError | None:
    """Run a payment attempt; a decline comes back as the 402 to answer with."""
    status = intent["status"]
    if status not in CONFIRMABLE:
        raise unexpected_state(_wrong_status("confirm", status, CONFIRMABLE), _STATE)
    named = text(values, "payment_method")
    if named:
        use_method(objects, intent, resolve(objects, named, "payment_method"))
    if not intent.get("payment_method"):
        message = (
            "You cannot confirm this PaymentIntent because it's missing a payment method. "
            "You can either update the PaymentIntent with a payment method and then confirm it "
            "again, or confirm it again directly with a payment method."
        )
        raise unexpected_state(message, _STATE)
    method = objects.require(PAYMENT_METHOD, intent["payment_method"], "payment_method")
    _check_method(intent, method)
    for name in ("capture_method", "receipt_email", "setup_future_usage"):
        if values.get(name) is not None:
            intent[name] = values[name]
    return_url = text(values, "return_url")
    if return_url:
        remember(objects, intent["id"], return_url=return_url)
    instrument = instrument_of(objects, method)
    if isinstance(instrument, TestBankAccount):
        return debit(objects, intent, method, instrument)
    if instrument.authenticate:
        if flag(values, "off_session") or flag(values, "error_on_requires_action"):
            return fail(objects, intent, method, AUTHENTICATION_REQUIRED)
        require_action(objects, intent, method, return_url)
        return None
    return charge_card(objects, intent, method, instrument, authenticated=False)


def capture(objects: Objects, intent: Obj, amount: int | None) -> Obj:
    status = intent["status"]
    if status != "requires_capture":
        message = (
            f"This PaymentIntent could not be captured because it has a status of {status}. "
            "Only a PaymentIntent with one of the following statuses may be captured: "
            "requires_capture."
        )
        raise unexpected_state(message, _STATE)
    capturable = intent["amount_capturable"]
    amount = capturable if amount is None else amount
    if amount > capturable:
        message = (
            f"The amount to capture ({amount}) is greater than the amount capturable "
            f"({capturable})."
        )
        raise invalid(message, "amount_to_capture", "amount_too_large")
    charge = objects.require(CHARGE, str(intent["latest_charge"]), "latest_charge")
    capture_charge(objects, charge, amount)
    before = snapshot(intent)
    intent.update(status="succeeded", amount_received=amount, amount_capturable=0)
    objects.save(intent)
    emit(objects, "payment_intent.succeeded", intent, changed(before, intent))
    invoice_paid(objects, intent)
    return intent


def cancel(objects: Objects, intent: Obj, reason: str | None) -> Obj:
    status = intent["status"]
    if status not in CANCELABLE:
        message = _wrong_status("cancel", status, (*CANCELABLE, "processing"))
        raise unexpected_state(message, _STATE)
    if intent.get("invoice"):
        message = (
            "You cannot cancel this PaymentIntent because it was created by an invoice. "
            "Void the invoice instead."
        )
        raise unexpected_state(message, _STATE)
    if status == "requires_capture":  # the hold on the card is released
        charge = objects.require(CHARGE, str(intent["latest_charge"]), "latest_charge")
        refund_charge(objects, charge, charge["amount"], None, {})
    before = snapshot(intent)
    intent.update(
        status="canceled",
        canceled_at=objects.now,
        cancellation_reason=reason,
        amount_capturable=0,
        next_action=None,
    )
    objects.save(intent)
    emit(objects, "payment_intent.canceled", intent, changed(before, intent))
    return intent


_STATE = "payment_intent_unexpected_state"


def _wrong_status(verb: str, status: str, allowed: tuple[str, ...]) -> str:
    return (
        f"You cannot {verb} this PaymentIntent because it has a status of {status}. Only a "
        f"PaymentIntent with one of the following statuses may be {verb}ed: "
        f"{', '.join(allowed)}."
    )


def _check_method(intent: Obj, method: Obj) -> None:
    method_type = method.get("type")
    allowed = intent["payment_method_types"]
    if intent.get("automatic_payment_methods") is None and method_type not in allowed:
        message = (
            f"The provided PaymentMethod's type ({method_type}) is not one of this "
            f"PaymentIntent's payment_method_types ({', '.join(allowed)})."
        )
        raise invalid(message, "payment_method", "payment_intent_incompatible_payment_method")
    owner = method.get("customer")
    if owner is not None and owner != intent.get("customer"):
        message = (
            f"The provided PaymentMethod belongs to customer {owner}; the PaymentIntent must "
            "name that customer to use it."
        )
        raise invalid(message, "payment_method")
