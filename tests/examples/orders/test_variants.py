"""The gate can tell the flawed variants from the correct one: each fails where it should."""

from __future__ import annotations

import pytest

from tests.examples.orders.conftest import StartApp


def once(status: int) -> dict[str, object]:
    """The first payment intent create answers `status` (nothing done); the next goes through."""
    return {
        "kind": "sequence",
        "twin": "stripe",
        "operation": "POST /v1/payment_intents",
        "sequence": [status, "ok"],
    }


# Stripe charges the card, then the reply is cut off half way: the client never learns of it.
LOST_REPLY = {"kind": "truncate", "twin": "stripe", "operation": "POST /v1/payment_intents"}


@pytest.mark.parametrize("status", [429, 503])
def test_the_correct_variant_waits_out_a_busy_vendor(start_app: StartApp, status: int) -> None:
    with start_app("correct") as app:
        app.faults(once(status))

        reply = app.order()

        assert reply.status_code == 201, reply.text
        creates = app.journal("stripe", "POST /v1/payment_intents")
        assert [entry["status"] for entry in creates] == [status, 200]
        assert len(app.payment_intents()) == 1


@pytest.mark.parametrize("status", [429, 503])
def test_no_retry_fails_the_order_on_a_busy_vendor(start_app: StartApp, status: int) -> None:
    with start_app("no_retry") as app:
        app.faults(once(status))

        reply = app.order()

        assert reply.status_code == 502, reply.text
        assert reply.json()["status"] == "failed"
        assert f"HTTP {status}" in reply.json()["error"]
        assert [e["status"] for e in app.journal("stripe", "POST /v1/payment_intents")] == [status]
        assert app.payment_intents() == []
        assert [issue["title"] for issue in app.issues()] == [
            f"Payment failed for order {reply.json()['id']}"
        ]


def test_the_correct_variant_charges_once_when_a_reply_is_lost(start_app: StartApp) -> None:
    with start_app("correct") as app:
        app.faults(LOST_REPLY | {"count": 1})

        reply = app.order()

        assert reply.status_code == 201, reply.text
        intents = app.payment_intents()
        assert [(i["id"], i["status"]) for i in intents] == [
            (reply.json()["payment_intent"], "succeeded")
        ]
        creates = app.journal("stripe", "POST /v1/payment_intents")
        assert len(creates) == 2
        assert creates[1]["extra"].get("idempotent_replay")


def test_double_charge_charges_twice_when_a_reply_is_lost(start_app: StartApp) -> None:
    with start_app("double_charge") as app:
        app.faults(LOST_REPLY | {"count": 1})

        reply = app.order()

        assert reply.status_code == 201, reply.text
        intents = app.payment_intents()
        assert [i["status"] for i in intents] == ["succeeded", "succeeded"]
        assert {i["customer"] for i in intents} == {intents[0]["customer"]}
        assert {i["metadata"]["order_id"] for i in intents} == {reply.json()["id"]}


def test_silent_refunds_without_telling_the_channel(start_app: StartApp) -> None:
    with start_app("silent") as app:
        order = app.order().json()

        reply = app.refund(order["id"])

        assert reply.status_code == 200, reply.text
        assert reply.json()["status"] == "refunded"
        messages = app.slack_messages()
        assert len(messages) == 1 and "paid" in messages[0]
        assert not any("refunded" in message for message in messages)
