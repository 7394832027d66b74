"""Payment intents through their lifecycle, driven by the official SDK."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import stripe

from tests.serving import Served
from tests.twins.catalog.stripe.conftest import set_clock


def test_a_confirmed_intent_with_a_visa_test_card_succeeds(client: stripe.StripeClient) -> None:
    intent = client.v1.payment_intents.create(params={"amount": 2000, "currency": "usd"})
    assert intent.status == "requires_payment_method"
    assert intent.client_secret.startswith(f"{intent.id}_secret_")

    confirmed = client.v1.payment_intents.confirm(
        intent.id, params={"payment_method": "pm_card_visa"}
    )

    assert confirmed.status == "succeeded"
    assert confirmed.amount_received == 2000
    charge = client.v1.charges.retrieve(confirmed.latest_charge)
    assert (charge.status, charge.paid, charge.captured) == ("succeeded", True, True)
    assert charge.payment_intent == intent.id
    assert charge.payment_method_details.card.brand == "visa"
    assert charge.payment_method_details.card.last4 == "4242"


def test_an_intent_with_a_payment_method_waits_for_confirmation(
    client: stripe.StripeClient,
) -> None:
    intent = client.v1.payment_intents.create(
        params={"amount": 500, "currency": "eur", "payment_method": "pm_card_mastercard"}
    )

    assert intent.status == "requires_confirmation"
    assert client.v1.payment_intents.confirm(intent.id).status == "succeeded"


def test_manual_capture_holds_the_money_until_it_is_captured(client: stripe.StripeClient) -> None:
    intent = client.v1.payment_intents.create(
        params={
            "amount": 3000,
            "currency": "usd",
            "capture_method": "manual",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )
    assert (intent.status, intent.amount_capturable, intent.amount_received) == (
        "requires_capture",
        3000,
        0,
    )
    assert client.v1.charges.retrieve(intent.latest_charge).captured is False

    captured = client.v1.payment_intents.capture(intent.id, params={"amount_to_capture": 2500})

    assert (captured.status, captured.amount_received, captured.amount_capturable) == (
        "succeeded",
        2500,
        0,
    )
    charge = client.v1.charges.retrieve(captured.latest_charge)
    assert (charge.captured, charge.amount_captured) == (True, 2500)
    assert charge.amount_refunded == 500  # the rest of the hold is released


def test_a_declined_card_is_a_402_card_error_that_leaves_a_failed_charge(
    client: stripe.StripeClient,
) -> None:
    intent = client.v1.payment_intents.create(params={"amount": 1200, "currency": "usd"})

    with pytest.raises(stripe.CardError) as raised:
        client.v1.payment_intents.confirm(
            intent.id, params={"payment_method": "pm_card_visa_chargeDeclined"}
        )

    error = raised.value
    assert error.http_status == 402
    assert (error.code, error.error.decline_code) == ("card_declined", "generic_decline")
    assert error.user_message == "Your card was declined."
    assert error.error.payment_intent.id == intent.id
    after = client.v1.payment_intents.retrieve(intent.id)
    assert after.status == "requires_payment_method"
    assert after.payment_method is None
    assert after.last_payment_error.code == "card_declined"
    failed = client.v1.charges.retrieve(after.latest_charge)
    assert (failed.status, failed.paid, failed.failure_code) == ("failed", False, "card_declined")


@pytest.mark.parametrize(
    ("method", "code", "decline_code"),
    [
        ("pm_card_chargeDeclined", "card_declined", "generic_decline"),
        ("pm_card_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds"),
        ("pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card"),
        ("pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", "incorrect_cvc"),
        ("pm_card_chargeDeclinedFraudulent", "card_declined", "fraudulent"),
    ],
)
def test_each_declining_test_card_declines_with_its_own_code(
    client: stripe.StripeClient, method: str, code: str, decline_code: str
) -> None:
    with pytest.raises(stripe.CardError) as raised:
        client.v1.payment_intents.create(
            params={"amount": 900, "currency": "usd", "payment_method": method, "confirm": True}
        )

    assert (raised.value.code, raised.value.error.decline_code) == (code, decline_code)


def test_a_declined_intent_can_be_paid_with_another_card(client: stripe.StripeClient) -> None:
    intent = client.v1.payment_intents.create(params={"amount": 700, "currency": "usd"})
    with pytest.raises(stripe.CardError):
        client.v1.payment_intents.confirm(
            intent.id, params={"payment_method": "pm_card_chargeDeclined"}
        )

    retried = client.v1.payment_intents.confirm(
        intent.id, params={"payment_method": "pm_card_visa"}
    )

    assert retried.status == "succeeded"
    assert retried.last_payment_error is None


def test_a_3d_secure_card_requires_action_until_the_customer_authenticates(
    client: stripe.StripeClient,
) -> None:
    intent = client.v1.payment_intents.create(
        params={
            "amount": 4200,
            "currency": "usd",
            "payment_method": "pm_card_threeDSecure2Required",
            "confirm": True,
            "return_url": "https://shop.example/orders/7",
        }
    )
    assert intent.status == "requires_action"
    assert intent.next_action.type == "redirect_to_url"
    assert intent.next_action.redirect_to_url.return_url == "https://shop.example/orders/7"

    page = httpx.get(intent.next_action.redirect_to_url.url, follow_redirects=False)

    assert page.status_code == 302
    back = urlparse(page.headers["location"])
    assert back.netloc == "shop.example"
    assert parse_qs(back.query)["redirect_status"] == ["succeeded"]
    assert parse_qs(back.query)["payment_intent"] == [intent.id]
    assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"


def test_failed_authentication_sends_the_intent_back_for_another_payment_method(
    client: stripe.StripeClient,
) -> None:
    intent = client.v1.payment_intents.create(
        params={
            "amount": 4200,
            "currency": "usd",
            "payment_method": "pm_card_threeDSecure2Required",
        }
    )
    intent = client.v1.payment_intents.confirm(intent.id)
    assert intent.next_action.type == "use_stripe_sdk"

    page = httpx.get(intent.next_action.use_stripe_sdk.stripe_js + "&outcome=fail")

    assert page.status_code == 200
    after = client.v1.payment_intents.retrieve(intent.id)
    assert after.status == "requires_payment_method"
    assert after.last_payment_error.code == "payment_intent_authentication_failure"


def test_off_session_payments_with_a_3d_secure_card_are_declined(
    client: stripe.StripeClient,
) -> None:
    with pytest.raises(stripe.CardError) as raised:
        client.v1.payment_intents.create(
            params={
                "amount": 1500,
                "currency": "usd",
                "payment_method": "pm_card_authenticationRequired",
                "confirm": True,
                "off_session": True,
            }
        )

    assert raised.value.code == "authentication_required"


def test_canceling_an_authorised_intent_releases_its_hold(client: stripe.StripeClient) -> None:
    intent = client.v1.payment_intents.create(
        params={
            "amount": 800,
            "currency": "usd",
            "capture_method": "manual",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )

    canceled = client.v1.payment_intents.cancel(
        intent.id, params={"cancellation_reason": "requested_by_customer"}
    )

    assert canceled.status == "canceled"
    assert canceled.cancellation_reason == "requested_by_customer"
    charge = client.v1.charges.retrieve(canceled.latest_charge)
    assert (charge.refunded, charge.amount_refunded) == (True, 800)


def test_a_succeeded_intent_cannot_be_canceled_or_confirmed_again(
    client: stripe.StripeClient,
) -> None:
    intent = client.v1.payment_intents.create(
        params={"amount": 600, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}
    )

    with pytest.raises(stripe.InvalidRequestError) as canceling:
        client.v1.payment_intents.cancel(intent.id)
    with pytest.raises(stripe.InvalidRequestError) as confirming:
        client.v1.payment_intents.confirm(intent.id)

    assert canceling.value.code == "payment_intent_unexpected_state"
    assert canceling.value.http_status == 400
    assert "status of succeeded" in str(confirming.value.user_message)


def test_a_bank_debit_is_processing_until_it_settles(
    client: stripe.StripeClient, stripe_server: Served, session: str
) -> None:
    set_clock(stripe_server, session, frozen_at=1_800_000_000)
    intent = client.v1.payment_intents.create(
        params={
            "amount": 10_000,
            "currency": "usd",
            "payment_method_types": ["us_bank_account"],
            "payment_method": "pm_usBankAccount_success",
            "confirm": True,
        }
    )
    assert intent.status == "processing"
    assert client.v1.payment_intents.retrieve(intent.id).status == "processing"
    assert client.v1.charges.retrieve(intent.latest_charge).status == "pending"

    set_clock(stripe_server, session, advance=60)

    assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"
    assert client.v1.charges.retrieve(intent.latest_charge).status == "succeeded"


def test_a_bank_debit_from_an_empty_account_fails_when_it_settles(
    client: stripe.StripeClient, stripe_server: Served, session: str
) -> None:
    set_clock(stripe_server, session, frozen_at=1_800_000_000)
    intent = client.v1.payment_intents.create(
        params={
            "amount": 10_000,
            "currency": "usd",
            "payment_method_types": ["us_bank_account"],
            "payment_method": "pm_usBankAccount_insufficientFunds",
            "confirm": True,
        }
    )
    set_clock(stripe_server, session, advance=60)

    settled = client.v1.payment_intents.retrieve(intent.id)

    assert settled.status == "requires_payment_method"
    assert settled.last_payment_error.code == "insufficient_funds"
    assert client.v1.charges.retrieve(intent.latest_charge).status == "failed"


def test_a_card_payment_method_from_a_test_number_charges_like_its_token(
    client: stripe.StripeClient,
) -> None:
    method = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": "5555555555554444", "exp_month": 12, "exp_year": 2034},
        }
    )
    assert (method.card.brand, method.card.last4) == ("mastercard", "4444")

    intent = client.v1.payment_intents.create(
        params={"amount": 990, "currency": "usd", "payment_method": method.id, "confirm": True}
    )

    assert intent.status == "succeeded"
    assert intent.payment_method == method.id
