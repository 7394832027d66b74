"""The pack also drives a twin built from Stripe's own published spec (chosen by its host)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import stripe

from tests.conftest import shared_spec
from tests.serving import Served, serve
from tests.twins.catalog.stripe.conftest import client_for


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    spec = shared_spec("stripe/spec3.yaml")
    log = tmp_path_factory.mktemp("stripe-published") / "serve.log"
    with serve([f"stripe={spec}", "--db", "memory"], log, timeout=180) as served:
        yield served


@pytest.fixture
def client(published: Served, session: str) -> stripe.StripeClient:
    return client_for(published, session)


def test_a_customer_pays_and_is_refunded_on_the_published_spec(
    client: stripe.StripeClient,
) -> None:
    customer = client.v1.customers.create(params={"email": "ada@example.com"})
    intent = client.v1.payment_intents.create(
        params={"amount": 2500, "currency": "usd", "customer": customer.id}
    )

    paid = client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})
    refund = client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 1000})

    assert paid.status == "succeeded"
    assert (refund.amount, refund.charge) == (1000, paid.latest_charge)
    seen = client.v1.payment_intents.retrieve(
        intent.id, params={"expand": ["latest_charge", "customer"]}
    )
    assert (seen.latest_charge.amount_refunded, seen.latest_charge.refunded) == (1000, False)
    assert seen.customer.email == "ada@example.com"


def test_a_decline_is_a_card_error_on_the_published_spec(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.CardError) as raised:
        client.v1.payment_intents.create(
            params={
                "amount": 800,
                "currency": "usd",
                "payment_method": "pm_card_chargeDeclined",
                "confirm": True,
            }
        )

    assert raised.value.http_status == 402
    assert raised.value.error.decline_code == "generic_decline"


def test_a_subscription_with_its_invoice_on_the_published_spec(
    client: stripe.StripeClient,
) -> None:
    price = client.v1.prices.create(
        params={
            "currency": "usd",
            "unit_amount": 1000,
            "recurring": {"interval": "month"},
            "product_data": {"name": "Pro"},
        }
    )
    customer = client.v1.customers.create(params={"payment_method": "pm_card_visa"})
    method = client.v1.payment_methods.list(params={"customer": customer.id}).data[0]

    subscription = client.v1.subscriptions.create(
        params={
            "customer": customer.id,
            "items": [{"price": price.id}],
            "default_payment_method": method.id,
            "expand": ["latest_invoice.payment_intent"],
        }
    )

    assert subscription.status == "active"
    assert subscription.latest_invoice.paid is True
    assert subscription.latest_invoice.payment_intent.status == "succeeded"


def test_lists_page_through_on_the_published_spec(client: stripe.StripeClient) -> None:
    made = [client.v1.products.create(params={"name": f"p{n}"}).id for n in range(12)]

    seen = [p.id for p in client.v1.products.list(params={"limit": 5}).auto_paging_iter()]

    assert seen == list(reversed(made))
