"""Errors the way Stripe answers them: `{"error": {type, code, message, param}}` and its
statuses, as the SDK reads them into its exception classes."""

from __future__ import annotations

import httpx
import pytest
import stripe


def test_no_api_key_is_a_401_that_says_how_to_send_one(twin_url: str) -> None:
    reply = httpx.get(f"{twin_url}/v1/customers")

    assert reply.status_code == 401
    error = reply.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith("You did not provide an API key.")


def test_a_missing_required_parameter_is_named(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_intents.create(params={"currency": "usd"})  # type: ignore[typeddict-item]

    error = raised.value
    assert (error.http_status, error.code, error.param) == (400, "parameter_missing", "amount")
    assert error.user_message == "Missing required param: amount."


def test_an_unknown_parameter_is_named_in_brackets(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.customers.create(params={"address": {"planet": "Mars"}})  # type: ignore[typeddict-unknown-key]

    assert (raised.value.code, raised.value.param) == ("parameter_unknown", "address[planet]")


def test_a_missing_object_is_a_404_resource_missing(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.customers.retrieve("cus_nope")

    error = raised.value
    assert (error.http_status, error.code) == (404, "resource_missing")
    assert error.user_message == "No such customer: 'cus_nope'"


def test_a_missing_object_named_by_a_parameter_names_that_parameter(
    client: stripe.StripeClient,
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_intents.create(
            params={"amount": 1000, "currency": "usd", "customer": "cus_nope"}
        )

    assert (raised.value.code, raised.value.param) == ("resource_missing", "customer")


def test_an_amount_below_the_smallest_charge_is_too_small(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_intents.create(params={"amount": 10, "currency": "usd"})

    assert (raised.value.code, raised.value.param) == ("amount_too_small", "amount")


def test_an_unknown_path_is_an_unrecognized_request_url(twin_url: str) -> None:
    reply = httpx.get(f"{twin_url}/v1/nothing", headers={"Authorization": "Bearer sk_test_x"})

    assert reply.status_code == 404
    assert reply.json()["error"]["message"].startswith("Unrecognized request URL (GET: /v1/")


def test_empty_metadata_keys_are_refused(twin_url: str) -> None:
    reply = httpx.post(
        f"{twin_url}/v1/customers",
        headers={"Authorization": "Bearer sk_test_x"},
        content=b"metadata[]=x",
    )

    assert reply.status_code == 400
    assert reply.json()["error"]["param"] == "metadata[]"
