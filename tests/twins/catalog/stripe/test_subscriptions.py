"""Subscriptions: paid at once with the customer's card, incomplete until paid, canceled."""

from __future__ import annotations

import pytest
import stripe


def _monthly_price(client: stripe.StripeClient, amount: int = 1200) -> stripe.Price:
    return client.v1.prices.create(
        params={
            "currency": "usd",
            "unit_amount": amount,
            "recurring": {"interval": "month"},
            "product_data": {"name": "Pro"},
        }
    )


def _customer_with_card(client: stripe.StripeClient, card: str = "pm_card_visa") -> str:
    customer = client.v1.customers.create(params={"payment_method": card})
    method = client.v1.payment_methods.list(params={"customer": customer.id}).data[0]
    client.v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": method.id}}
    )
    return str(customer.id)


def test_a_subscription_is_active_once_its_first_invoice_is_paid(
    client: stripe.StripeClient,
) -> None:
    price = _monthly_price(client)
    customer = _customer_with_card(client)

    subscription = client.v1.subscriptions.create(
        params={
            "customer": customer,
            "items": [{"price": price.id, "quantity": 2}],
            "expand": ["latest_invoice.payment_intent"],
        }
    )

    assert subscription.status == "active"
    assert subscription.items.data[0].price.id == price.id
    assert subscription.current_period_end > subscription.current_period_start
    invoice = subscription.latest_invoice
    assert (invoice.status, invoice.paid, invoice.amount_paid) == ("paid", True, 2400)
    assert invoice.payment_intent.status == "succeeded"


def test_default_incomplete_waits_for_the_client_to_pay_the_first_invoice(
    client: stripe.StripeClient,
) -> None:
    price = _monthly_price(client)
    customer = client.v1.customers.create()

    subscription = client.v1.subscriptions.create(
        params={
            "customer": customer.id,
            "items": [{"price": price.id}],
            "payment_behavior": "default_incomplete",
            "expand": ["latest_invoice.payment_intent"],
        }
    )
    assert subscription.status == "incomplete"
    intent = subscription.latest_invoice.payment_intent
    assert intent.status == "requires_payment_method"

    client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})

    paid = client.v1.subscriptions.retrieve(subscription.id, params={"expand": ["latest_invoice"]})
    assert paid.status == "active"
    assert paid.latest_invoice.status == "paid"


def test_a_declined_first_payment_leaves_the_subscription_incomplete(
    client: stripe.StripeClient,
) -> None:
    price = _monthly_price(client)
    customer = _customer_with_card(client, "pm_card_chargeCustomerFail")

    subscription = client.v1.subscriptions.create(
        params={"customer": customer, "items": [{"price": price.id}]}
    )

    assert subscription.status == "incomplete"
    invoice = client.v1.invoices.retrieve(subscription.latest_invoice)
    assert (invoice.status, invoice.paid) == ("open", False)


def test_error_if_incomplete_answers_the_decline_and_creates_nothing(
    client: stripe.StripeClient,
) -> None:
    price = _monthly_price(client)
    customer = _customer_with_card(client, "pm_card_chargeCustomerFail")

    with pytest.raises(stripe.CardError):
        client.v1.subscriptions.create(
            params={
                "customer": customer,
                "items": [{"price": price.id}],
                "payment_behavior": "error_if_incomplete",
            }
        )

    assert client.v1.subscriptions.list(params={"customer": customer}).data == []


def test_a_trial_starts_trialing_with_nothing_to_pay(client: stripe.StripeClient) -> None:
    price = _monthly_price(client)
    customer = client.v1.customers.create()

    subscription = client.v1.subscriptions.create(
        params={"customer": customer.id, "items": [{"price": price.id}], "trial_period_days": 14}
    )

    assert subscription.status == "trialing"
    assert subscription.trial_end - subscription.trial_start == 14 * 24 * 3600
    assert client.v1.invoices.retrieve(subscription.latest_invoice).amount_due == 0


def test_a_canceled_subscription_stays_readable_and_leaves_the_default_list(
    client: stripe.StripeClient,
) -> None:
    price = _monthly_price(client)
    customer = _customer_with_card(client)
    subscription = client.v1.subscriptions.create(
        params={"customer": customer, "items": [{"price": price.id}]}
    )

    canceled = client.v1.subscriptions.cancel(subscription.id)

    assert canceled.status == "canceled"
    assert canceled.canceled_at is not None
    assert client.v1.subscriptions.retrieve(subscription.id).status == "canceled"
    assert client.v1.subscriptions.list(params={"customer": customer}).data == []
    every = client.v1.subscriptions.list(params={"customer": customer, "status": "all"})
    assert [s.id for s in every.data] == [subscription.id]


def test_cancel_at_period_end_schedules_the_end(client: stripe.StripeClient) -> None:
    price = _monthly_price(client)
    customer = _customer_with_card(client)
    subscription = client.v1.subscriptions.create(
        params={"customer": customer, "items": [{"price": price.id}]}
    )

    updated = client.v1.subscriptions.update(subscription.id, params={"cancel_at_period_end": True})

    assert updated.status == "active"
    assert updated.cancel_at == updated.current_period_end


def test_a_one_time_price_cannot_be_subscribed_to(client: stripe.StripeClient) -> None:
    price = client.v1.prices.create(
        params={"currency": "usd", "unit_amount": 100, "product_data": {"name": "Once"}}
    )
    customer = _customer_with_card(client)

    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscriptions.create(
            params={"customer": customer, "items": [{"price": price.id}]}
        )

    assert raised.value.param == "items[0][price]"
