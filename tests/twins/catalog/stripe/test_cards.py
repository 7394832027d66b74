"""What each test card does, and numbers that are no test card."""

from __future__ import annotations

import pytest

from twins.catalog.stripe.cards import (
    INCORRECT_NUMBER,
    LIVE_CARD,
    bank_for_token,
    card_for_number,
    card_for_token,
)
from twins.catalog.stripe.cards import TestCard as Card  # not a test class


@pytest.mark.parametrize(
    ("token", "number"),
    [
        ("pm_card_visa", "4242424242424242"),
        ("tok_visa", "4242424242424242"),
        ("pm_card_amex", "378282246310005"),
        ("pm_card_visa_chargeDeclined", "4000000000000002"),
        ("pm_card_chargeDeclined", "4000000000000002"),
        ("pm_card_threeDSecure2Required", "4000000000003220"),
    ],
)
def test_a_test_token_names_its_test_card(token: str, number: str) -> None:
    card = card_for_token(token)

    assert card is not None
    assert card.number == number


def test_a_test_number_is_its_card() -> None:
    card = card_for_number("4000 0000 0000 9995")

    assert isinstance(card, Card)
    assert card.decline is not None
    assert card.decline.decline_code == "insufficient_funds"


def test_a_valid_number_that_is_no_test_card_is_declined_as_a_live_card() -> None:
    card = card_for_number("4111111111111111")

    assert isinstance(card, Card)
    assert (card.brand, card.decline) == ("visa", LIVE_CARD)


@pytest.mark.parametrize("number", ["4242424242424241", "42", "4242x42424242424"])
def test_a_number_that_fails_the_luhn_check_is_incorrect(number: str) -> None:
    assert card_for_number(number) == INCORRECT_NUMBER


def test_only_the_customer_fail_card_attaches_and_declines_later() -> None:
    customer_fail = card_for_token("pm_card_chargeCustomerFail")
    declined = card_for_token("pm_card_chargeDeclined")

    assert customer_fail is not None and declined is not None
    assert not customer_fail.declines_attach
    assert declined.declines_attach


def test_bank_account_tokens_name_their_outcome() -> None:
    success = bank_for_token("pm_usBankAccount_success")
    closed = bank_for_token("pm_usBankAccount_accountClosed")

    assert success is not None and success.failure is None
    assert closed is not None and closed.failure is not None
    assert closed.failure.code == "account_closed"
    assert bank_for_token("pm_usBankAccount_unknown") is None
