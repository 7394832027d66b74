"""One payment attempt on a payment intent: the charge it makes and where it leaves the intent.

A card that succeeds leaves the intent `succeeded` (or `requires_capture`); a declined one
leaves it `requires_payment_method` with `last_payment_error`, and the 402 to answer is
returned, not raised, so that the failed charge stays on record as it does at Stripe; a card
that needs 3D Secure leaves it `requires_action`; a bank debit leaves it `processing` until its
settlement (see `settlement`).
"""

from __future__ import annotations

from twins.catalog.stripe.cards import Decline, TestBankAccount, TestCard
from twins.catalog.stripe.errors import StripeError, invalid
from twins.catalog.stripe.events import changed, emit
from twins.catalog.stripe.instruments import card_error
from twins.catalog.stripe.invoices import invoice_paid, invoice_payment_failed
from twins.catalog.stripe.kinds import PAYMENT_METHOD
from twins.catalog.stripe.money import new_charge
from twins.catalog.stripe.objects import Obj, Objects, snapshot
from twins.catalog.stripe.settlement import schedule

AUTHENTICATION_PATH = "/3d_secure_2/authenticate"
UNAUTHENTICATED = (
    "The provided PaymentMethod has failed authentication. You can provide payment_method_data "
    "or a new PaymentMethod to attempt to fulfill this PaymentIntent again."
)


def charge_card(
    objects: Objects, intent: Obj, method: Obj, card: TestCard, *, authenticated: bool
) -> StripeError | None:
    decline = card.decline_after_authentication if authenticated else card.decline
    if decline is not None:
        return fail(objects, intent, method, decline, authenticated=authenticated)
    succeed(objects, intent, method, authenticated=authenticated)
    return None


def authentication_failed(objects: Objects, intent: Obj) -> None:
    """The customer failed (or refused) 3D Secure: the intent needs a new payment method."""
    method = objects.get(PAYMENT_METHOD, str(intent.get("payment_method")))
    before = snapshot(intent)
    error: Obj = {
        "type": "invalid_request_error",
        "code": "payment_intent_authentication_failure",
        "doc_url": "https://stripe.com/docs/error-codes/payment-intent-authentication-failure",
        "message": UNAUTHENTICATED,
    }
    if method is not None:
        error["payment_method"] = snapshot(method)
    intent.update(
        status="requires_payment_method",
        last_payment_error=error,
        next_action=None,
        payment_method=None,
    )
    objects.save(intent)
    emit(objects, "payment_intent.payment_failed", intent, changed(before, intent))
    invoice_payment_failed(objects, intent)


def authentication_url(objects: Objects, intent: Obj) -> str:
    """Where the customer completes 3D Secure (this twin's stand-in for Stripe's hosted page):
    following it authenticates; `&outcome=fail` fails authentication."""
    base = objects.call.base_url
    return f"{base}{AUTHENTICATION_PATH}/{intent['id']}?client_secret={intent['client_secret']}"


def succeed(objects: Objects, intent: Obj, method: Obj, *, authenticated: bool) -> None:
    manual = intent["capture_method"] == "manual"
    before = snapshot(intent)
    charge = new_charge(
        objects,
        intent,
        method,
        status="succeeded",
        captured=not manual,
        authenticated=authenticated,
    )
    intent.update(
        latest_charge=charge["id"],
        last_payment_error=None,
        next_action=None,
        payment_method=method["id"],
    )
    if manual:
        intent.update(status="requires_capture", amount_capturable=intent["amount"])
    else:
        intent.update(status="succeeded", amount_received=intent["amount"], amount_capturable=0)
    keep_for_later(objects, intent, method)
    objects.save(intent)
    emit(objects, "charge.succeeded", charge)
    if manual:
        emit(objects, "payment_intent.amount_capturable_updated", intent, changed(before, intent))
    else:
        emit(objects, "payment_intent.succeeded", intent, changed(before, intent))
        invoice_paid(objects, intent)


def fail(
    objects: Objects, intent: Obj, method: Obj, decline: Decline, *, authenticated: bool = False
) -> StripeError:
    charge = new_charge(
        objects,
        intent,
        method,
        status="failed",
        captured=False,
        decline=decline,
        authenticated=authenticated,
    )
    error = card_error(decline, charge=charge["id"])
    before = snapshot(intent)
    intent.update(
        status="requires_payment_method",
        last_payment_error={**error.body()["error"], "payment_method": snapshot(method)},
        latest_charge=charge["id"],
        payment_method=None,
        next_action=None,
        amount_capturable=0,
    )
    objects.save(intent)
    emit(objects, "charge.failed", charge)
    emit(objects, "payment_intent.payment_failed", intent, changed(before, intent))
    invoice_payment_failed(objects, intent)
    error.extra["payment_intent"] = snapshot(intent)
    error.extra["payment_method"] = snapshot(method)
    return error


def require_action(objects: Objects, intent: Obj, method: Obj, return_url: str | None) -> None:
    before = snapshot(intent)
    url = authentication_url(objects, intent)
    if return_url:
        action: Obj = {
            "type": "redirect_to_url",
            "redirect_to_url": {"return_url": return_url, "url": url},
        }
    else:
        action = {
            "type": "use_stripe_sdk",
            "use_stripe_sdk": {
                "type": "three_d_secure_redirect",
                "stripe_js": url,
                "source": f"src_{objects.token('source', intent['id'])}",
            },
        }
    intent.update(
        status="requires_action",
        next_action=action,
        payment_method=method["id"],
        last_payment_error=None,
    )
    objects.save(intent)
    emit(objects, "payment_intent.requires_action", intent, changed(before, intent))


def debit(
    objects: Objects, intent: Obj, method: Obj, account: TestBankAccount
) -> StripeError | None:
    if intent["currency"] != "usd":
        message = "US bank account payments can only be made in usd."
        raise invalid(message, "payment_method", "payment_intent_incompatible_payment_method")
    if intent["capture_method"] == "manual":
        message = "capture_method=manual is not supported for us_bank_account payments."
        raise invalid(message, "capture_method")
    before = snapshot(intent)
    charge = new_charge(objects, intent, method, status="pending", captured=True)
    intent.update(
        status="processing",
        latest_charge=charge["id"],
        payment_method=method["id"],
        last_payment_error=None,
        next_action=None,
    )
    keep_for_later(objects, intent, method)
    objects.save(intent)
    emit(objects, "charge.pending", charge)
    emit(objects, "payment_intent.processing", intent, changed(before, intent))
    schedule(objects, intent, charge, method, account.failure)
    return None


def keep_for_later(objects: Objects, intent: Obj, method: Obj) -> None:
    """`setup_future_usage` with a customer attaches the payment method to that customer."""
    customer = intent.get("customer")
    if intent.get("setup_future_usage") and customer and method.get("customer") is None:
        method["customer"] = customer
        objects.save(method)
        emit(objects, "payment_method.attached", method)
