"""Idempotent retries through the SDK, which sends an Idempotency-Key with every POST."""

from __future__ import annotations

import httpx
import pytest
import stripe

from tests.serving import Served
from tests.twins.catalog.stripe.conftest import API_KEY


def _post(twin_url: str, path: str, body: bytes, key: str) -> httpx.Response:
    return httpx.post(
        f"{twin_url}{path}",
        content=body,
        headers={
            "Authorization": f"Bearer {API_KEY}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Idempotency-Key": key,
        },
    )


def test_a_retried_create_replays_the_first_answer_and_creates_nothing_more(
    client: stripe.StripeClient,
) -> None:
    options = {"idempotency_key": "order-17"}
    first = client.v1.customers.create(params={"name": "Ann"}, options=options)

    again = client.v1.customers.create(params={"name": "Ann"}, options=options)

    assert again.id == first.id
    assert again.last_response is not None
    assert again.last_response.headers["idempotent-replayed"] == "true"
    assert [c.id for c in client.v1.customers.list().data] == [first.id]


def test_a_retried_decline_replays_the_same_402(client: stripe.StripeClient) -> None:
    params = {
        "amount": 1500,
        "currency": "usd",
        "payment_method": "pm_card_chargeDeclined",
        "confirm": True,
    }
    options = {"idempotency_key": "pay-once"}
    with pytest.raises(stripe.CardError) as first:
        client.v1.payment_intents.create(params=params, options=options)  # type: ignore[arg-type]

    with pytest.raises(stripe.CardError) as again:
        client.v1.payment_intents.create(params=params, options=options)  # type: ignore[arg-type]

    assert again.value.http_body == first.value.http_body
    assert again.value.headers["idempotent-replayed"] == "true"
    assert len(client.v1.payment_intents.list().data) == 1


def test_the_same_key_with_other_parameters_is_an_idempotency_error(
    client: stripe.StripeClient,
) -> None:
    options = {"idempotency_key": "k1"}
    client.v1.customers.create(params={"name": "Ann"}, options=options)

    with pytest.raises(stripe.IdempotencyError) as raised:
        client.v1.customers.create(params={"name": "Bob"}, options=options)

    assert raised.value.http_status == 400
    assert "k1" in str(raised.value.user_message)


def test_replays_are_byte_for_byte_and_marked_in_the_journal(
    twin_url: str, stripe_server: Served, session: str
) -> None:
    body = b"amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true"
    first = _post(twin_url, "/v1/payment_intents", body, "same")
    again = _post(twin_url, "/v1/payment_intents", body, "same")

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert "idempotent-replayed" not in first.headers
    journal = httpx.get(
        f"{stripe_server.url}/_twin/sessions/{session}/journal",
        params={"operation": "POST /v1/payment_intents"},
    ).json()
    assert [entry["extra"].get("idempotent_replay") for entry in journal] == [None, "same"]


def test_a_request_refused_by_validation_is_not_kept(twin_url: str) -> None:
    refused = _post(twin_url, "/v1/payment_intents", b"currency=usd", "fix-me")

    fixed = _post(twin_url, "/v1/payment_intents", b"amount=900&currency=usd", "fix-me")

    assert refused.status_code == 400
    assert fixed.status_code == 200
    assert "idempotent-replayed" not in fixed.headers
