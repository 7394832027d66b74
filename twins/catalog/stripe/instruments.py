"""Payment methods from test cards, card tokens and test bank accounts, and what each does
when charged (see `cards`).

`pm_card_visa` (and every test token) passed where a payment method is expected becomes a new
payment method each time, as in Stripe's test mode.
"""

from __future__ import annotations

from typing import Any

from twins.catalog.stripe.cards import (
    BANK_BY_NUMBER,
    BY_NUMBER,
    CARDS,
    TEST_ROUTING_NUMBER,
    Decline,
    TestBankAccount,
    TestCard,
    bank_for_number,
    bank_for_token,
    card_for_number,
    card_for_token,
)
from twins.catalog.stripe.errors import StripeError, missing
from twins.catalog.stripe.facts import facts, remember
from twins.catalog.stripe.kinds import PAYMENT_METHOD
from twins.catalog.stripe.objects import Obj, Objects

Instrument = TestCard | TestBankAccount
DEFAULT_EXPIRY = (12, 2034)


def resolve(objects: Objects, ident: str, param: str) -> Obj:
    """The payment method a parameter names: a stored one, or a new one from a test token."""
    card = card_for_token(ident)
    if card is not None:
        return new_card_method(objects, card, *DEFAULT_EXPIRY)
    bank = bank_for_token(ident)
    if bank is not None:
        return new_bank_method(objects, bank, "individual", "checking")
    if ident.startswith("tok_"):
        raise missing("token", ident, param)
    return objects.require(PAYMENT_METHOD, ident, param)


def card_from_params(objects: Objects, card: dict[str, Any]) -> Obj:
    """`card[number]`+`card[exp_month]`+`card[exp_year]`, or `card[token]`."""
    token = card.get("token")
    if isinstance(token, str):
        found = card_for_token(token)
        if found is None:
            raise missing("token", token, "card[token]")
        return new_card_method(objects, found, *DEFAULT_EXPIRY)
    number = card.get("number")
    if not isinstance(number, str):
        message = "Missing required param: card[number]."
        raise StripeError(400, message, code="parameter_missing", param="card[number]")
    for field in ("exp_month", "exp_year"):
        if not isinstance(card.get(field), int):
            message = f"Missing required param: card[{field}]."
            raise StripeError(400, message, code="parameter_missing", param=f"card[{field}]")
    found_card = card_for_number(number)
    if isinstance(found_card, Decline):
        raise card_error(found_card, "card[number]")
    return new_card_method(objects, found_card, card["exp_month"], card["exp_year"])


def bank_from_params(objects: Objects, account: dict[str, Any]) -> Obj:
    number = account.get("account_number")
    if not isinstance(number, str):
        param = "us_bank_account[account_number]"
        message = f"Missing required param: {param}."
        raise StripeError(400, message, code="parameter_missing", param=param)
    return new_bank_method(
        objects,
        bank_for_number(number),
        str(account.get("account_holder_type") or "individual"),
        str(account.get("account_type") or "checking"),
        str(account.get("routing_number") or TEST_ROUTING_NUMBER),
    )


def card_error(decline: Decline, param: str | None = None, **extra: Any) -> StripeError:
    return StripeError(
        402,
        decline.message,
        type="card_error",
        code=decline.code,
        param=param,
        decline_code=decline.decline_code,
        **extra,
    )


def new_card_method(objects: Objects, card: TestCard, exp_month: int, exp_year: int) -> Obj:
    ident = objects.new_id(PAYMENT_METHOD)
    method = _method(objects, ident, "card")
    method["card"] = {
        "brand": card.brand,
        "checks": {
            "address_line1_check": None,
            "address_postal_code_check": None,
            "cvc_check": "unchecked",
        },
        "country": card.country,
        "exp_month": exp_month,
        "exp_year": exp_year,
        "fingerprint": objects.token("fingerprint", card.number, length=16),
        "funding": card.funding,
        "generated_from": None,
        "last4": card.last4,
        "networks": {"available": [card.brand], "preferred": None},
        "three_d_secure_usage": {"supported": True},
        "wallet": None,
    }
    objects.save(method)
    remember(objects, ident, card_number=card.number)
    return method


def new_bank_method(
    objects: Objects,
    account: TestBankAccount,
    holder_type: str,
    account_type: str,
    routing_number: str = TEST_ROUTING_NUMBER,
) -> Obj:
    ident = objects.new_id(PAYMENT_METHOD)
    method = _method(objects, ident, "us_bank_account")
    method["us_bank_account"] = {
        "account_holder_type": holder_type,
        "account_type": account_type,
        "bank_name": "STRIPE TEST BANK",
        "financial_connections_account": None,
        "fingerprint": objects.token("fingerprint", account.account_number, length=16),
        "last4": account.last4,
        "networks": {"preferred": "ach", "supported": ["ach"]},
        "routing_number": routing_number,
        "status_details": {},
    }
    objects.save(method)
    remember(objects, ident, account_number=account.account_number)
    return method


def _method(objects: Objects, ident: str, method_type: str) -> Obj:
    return {
        "id": ident,
        "object": "payment_method",
        "billing_details": {
            "address": {
                "city": None,
                "country": None,
                "line1": None,
                "line2": None,
                "postal_code": None,
                "state": None,
            },
            "email": None,
            "name": None,
            "phone": None,
        },
        "created": objects.now,
        "customer": None,
        "livemode": False,
        "metadata": {},
        "type": method_type,
    }


def instrument_of(objects: Objects, method: Obj) -> Instrument:
    """The test card or bank account behind a payment method (seeded ones included: by
    brand and last 4 digits, else a card that succeeds)."""
    known = facts(objects, method["id"])
    if "card_number" in known:
        found = card_for_number(known["card_number"])
        if isinstance(found, TestCard):
            return found
    if "account_number" in known:
        return bank_for_number(known["account_number"])
    if method.get("type") == "us_bank_account":
        last4 = (method.get("us_bank_account") or {}).get("last4")
        for number, account in BANK_BY_NUMBER.items():
            if number.endswith(str(last4)):
                return account
        return bank_for_number("000123456789")
    card = method.get("card") or {}
    for candidate in BY_NUMBER.values():
        if candidate.last4 == card.get("last4") and candidate.brand == card.get("brand"):
            return candidate
    return CARDS["visa"]
