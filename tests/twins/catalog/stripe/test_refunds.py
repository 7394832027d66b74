"""Refunds change the charge they take from, and what the intent's latest charge shows."""

from __future__ import annotations

import pytest
import stripe


def _paid_intent(client: stripe.StripeClient, amount: int = 5000) -> stripe.PaymentIntent:
    return client.v1.payment_intents.create(
        params={
            "amount": amount,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )


def test_a_partial_refund_marks_the_amount_refunded_but_not_the_charge_refunded(
    client: stripe.StripeClient,
) -> None:
    intent = _paid_intent(client)

    refund = client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 1500})

    assert (refund.status, refund.amount, refund.charge) == (
        "succeeded",
        1500,
        intent.latest_charge,
    )
    assert refund.payment_intent == intent.id
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert (charge.amount_refunded, charge.refunded) == (1500, False)


def test_refunding_what_is_left_marks_the_charge_refunded(client: stripe.StripeClient) -> None:
    intent = _paid_intent(client)
    client.v1.refunds.create(params={"charge": intent.latest_charge, "amount": 2000})

    rest = client.v1.refunds.create(params={"charge": intent.latest_charge})

    assert rest.amount == 3000
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert (charge.amount_refunded, charge.refunded) == (5000, True)


def test_the_intent_shows_its_refunded_charge_when_expanded(client: stripe.StripeClient) -> None:
    intent = _paid_intent(client)
    client.v1.refunds.create(params={"payment_intent": intent.id})

    seen = client.v1.payment_intents.retrieve(
        intent.id, params={"expand": ["latest_charge.balance_transaction"]}
    )

    assert seen.latest_charge.refunded is True
    assert seen.latest_charge.amount_refunded == 5000
    assert seen.latest_charge.balance_transaction.fee == round(5000 * 0.029) + 30
    refunds = client.v1.refunds.list(params={"payment_intent": intent.id})
    assert [r.amount for r in refunds.data] == [5000]


def test_a_charge_lists_its_refunds_when_expanded(client: stripe.StripeClient) -> None:
    intent = _paid_intent(client)
    first = client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 100})
    second = client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 200})

    charge = client.v1.charges.retrieve(intent.latest_charge, params={"expand": ["refunds"]})

    assert [r.id for r in charge.refunds.data] == [second.id, first.id]


def test_refunding_more_than_is_left_is_refused(client: stripe.StripeClient) -> None:
    intent = _paid_intent(client, amount=1000)

    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 1001})

    assert (raised.value.code, raised.value.param) == ("amount_too_large", "amount")


def test_a_fully_refunded_charge_cannot_be_refunded_again(client: stripe.StripeClient) -> None:
    intent = _paid_intent(client, amount=1000)
    client.v1.refunds.create(params={"payment_intent": intent.id})

    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.refunds.create(params={"payment_intent": intent.id})

    assert raised.value.code == "charge_already_refunded"


def test_an_intent_that_did_not_succeed_has_nothing_to_refund(client: stripe.StripeClient) -> None:
    intent = client.v1.payment_intents.create(params={"amount": 1000, "currency": "usd"})

    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.refunds.create(params={"payment_intent": intent.id})

    assert raised.value.http_status == 400
    assert raised.value.code == "charge_not_refundable"
