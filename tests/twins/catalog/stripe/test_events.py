"""Events recorded for state changes, and webhook deliveries signed as Stripe signs them."""

from __future__ import annotations

import hashlib
import hmac

import httpx
import pytest
import stripe

from tests.serving import Served
from tests.twins.catalog.stripe.conftest import set_clock
from tests.twins.webhooks.receiver import Receiver

# The twin signs with the session's clock; the SDK compares with the machine's.
ANY_AGE = 10**10


def test_state_changes_are_listed_as_events_newest_first(client: stripe.StripeClient) -> None:
    intent = client.v1.payment_intents.create(
        params={
            "amount": 1000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )

    events = client.v1.events.list()

    assert [e.type for e in events.data] == [
        "payment_intent.succeeded",
        "charge.succeeded",
        "payment_intent.created",
    ]
    succeeded = events.data[0]
    assert succeeded.data.object.id == intent.id
    assert succeeded.data.object.status == "succeeded"
    assert succeeded.data.previous_attributes.status == "requires_confirmation"
    assert client.v1.events.retrieve(succeeded.id).type == "payment_intent.succeeded"


def test_events_are_filtered_by_type_and_by_pattern(client: stripe.StripeClient) -> None:
    client.v1.customers.create(params={"name": "Ann"})
    client.v1.products.create(params={"name": "Widget"})

    customers = client.v1.events.list(params={"type": "customer.created"})
    anything_product = client.v1.events.list(params={"type": "product.*"})

    assert [e.type for e in customers.data] == ["customer.created"]
    assert [e.type for e in anything_product.data] == ["product.created"]


def test_a_webhook_endpoint_shows_its_secret_only_when_created(
    client: stripe.StripeClient,
) -> None:
    created = client.v1.webhook_endpoints.create(
        params={"url": "https://shop.example/hooks", "enabled_events": ["charge.refunded"]}
    )

    assert created.secret.startswith("whsec_")
    assert created.status == "enabled"
    assert "secret" not in client.v1.webhook_endpoints.retrieve(created.id)


def test_deliveries_carry_a_signature_the_sdk_verifies(
    client: stripe.StripeClient, receiver: Receiver
) -> None:
    endpoint = client.v1.webhook_endpoints.create(
        params={"url": f"{receiver.url}/stripe", "enabled_events": ["payment_intent.succeeded"]}
    )
    intent = client.v1.payment_intents.create(
        params={
            "amount": 2500,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )

    (delivery,) = receiver.wait_for(1)

    event = stripe.Webhook.construct_event(
        delivery.body, delivery.headers["stripe-signature"], endpoint.secret, tolerance=ANY_AGE
    )
    assert (event.type, event.data.object.id) == ("payment_intent.succeeded", intent.id)
    assert delivery.path == "/stripe"
    assert delivery.headers["content-type"].startswith("application/json")


def test_the_signature_is_an_hmac_of_the_timestamp_and_the_body(
    client: stripe.StripeClient, receiver: Receiver
) -> None:
    endpoint = client.v1.webhook_endpoints.create(
        params={"url": receiver.url, "enabled_events": ["customer.created"]}
    )
    client.v1.customers.create()

    (delivery,) = receiver.wait_for(1)

    parts = dict(part.split("=", 1) for part in delivery.headers["stripe-signature"].split(","))
    signed = f"{parts['t']}.".encode() + delivery.body
    expected = hmac.new(endpoint.secret.encode(), signed, hashlib.sha256).hexdigest()
    assert parts["v1"] == expected
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(
            delivery.body, delivery.headers["stripe-signature"], "whsec_wrong", tolerance=ANY_AGE
        )


def test_only_enabled_endpoints_that_listen_to_an_event_receive_it(
    client: stripe.StripeClient, receiver: Receiver, twin_url: str
) -> None:
    listening = client.v1.webhook_endpoints.create(
        params={"url": f"{receiver.url}/all", "enabled_events": ["*"]}
    )
    client.v1.webhook_endpoints.create(
        params={"url": f"{receiver.url}/refunds", "enabled_events": ["charge.refunded"]}
    )
    disabled = client.v1.webhook_endpoints.create(
        params={"url": f"{receiver.url}/off", "enabled_events": ["*"]}
    )
    client.v1.webhook_endpoints.update(disabled.id, params={"disabled": True})

    client.v1.customers.create()

    (delivery,) = receiver.wait_for(1)
    assert delivery.path == "/all"
    assert listening.id in {e.id for e in client.v1.webhook_endpoints.list().data}
    assert (
        httpx.get(f"{twin_url}/v1/events", headers={"Authorization": "Bearer sk_test_x"}).json()[
            "data"
        ][0]["pending_webhooks"]
        == 1
    )


def test_a_settling_bank_debit_is_delivered_when_the_clock_reaches_it(
    client: stripe.StripeClient, receiver: Receiver, stripe_server: Served, session: str
) -> None:
    set_clock(stripe_server, session, frozen_at=1_800_000_000)
    client.v1.webhook_endpoints.create(
        params={"url": receiver.url, "enabled_events": ["payment_intent.succeeded"]}
    )
    client.v1.payment_intents.create(
        params={
            "amount": 5000,
            "currency": "usd",
            "payment_method_types": ["us_bank_account"],
            "payment_method": "pm_usBankAccount_success",
            "confirm": True,
        }
    )
    assert client.v1.events.list(params={"type": "payment_intent.succeeded"}).data == []

    set_clock(stripe_server, session, advance=60)

    (delivery,) = receiver.wait_for(1)
    assert delivery.json()["data"]["object"]["status"] == "succeeded"
    assert [e.type for e in client.v1.events.list(params={"type": "payment_intent.*"}).data] == [
        "payment_intent.succeeded",
        "payment_intent.processing",
        "payment_intent.created",
    ]


def test_work_rolled_back_by_an_error_owes_no_webhook(
    client: stripe.StripeClient, receiver: Receiver, stripe_server: Served, session: str
) -> None:
    price = client.v1.prices.create(
        params={
            "currency": "usd",
            "unit_amount": 1000,
            "recurring": {"interval": "month"},
            "product_data": {"name": "Pro"},
        }
    )
    customer = client.v1.customers.create(params={"payment_method": "pm_card_chargeCustomerFail"})
    method = client.v1.payment_methods.list(params={"customer": customer.id}).data[0]
    client.v1.webhook_endpoints.create(params={"url": receiver.url, "enabled_events": ["*"]})

    with pytest.raises(stripe.CardError):
        client.v1.subscriptions.create(
            params={
                "customer": customer.id,
                "items": [{"price": price.id}],
                "default_payment_method": method.id,
                "payment_behavior": "error_if_incomplete",
            }
        )
    flushed = httpx.post(f"{stripe_server.url}/_twin/sessions/{session}/webhooks/flush", json={})

    assert flushed.status_code == 200
    assert receiver.received == []
    assert client.v1.events.list(params={"type": "invoice.*"}).data == []
