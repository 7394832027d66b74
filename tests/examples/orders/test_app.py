"""The correct order service against the Stripe, Slack and GitHub twins."""

from __future__ import annotations

from typing import Any

import httpx

from tests.examples.orders.conftest import StartApp, request_fields


def test_a_paid_order_charges_once_and_tells_the_channel(start_app: StartApp) -> None:
    with start_app("correct") as app:
        reply = app.order(amount=2500)

        assert reply.status_code == 201, reply.text
        order = reply.json()
        assert order["status"] == "paid"
        creates = app.journal("stripe", "POST /v1/payment_intents")
        assert [entry["status"] for entry in creates] == [200]
        assert request_fields(creates[0])["confirm"] == "true"
        intents = app.payment_intents()
        assert [(i["id"], i["status"], i["amount"]) for i in intents] == [
            (order["payment_intent"], "succeeded", 2500)
        ]
        messages = app.slack_messages()
        assert len(messages) == 1
        assert order["id"] in messages[0] and "25.00 USD" in messages[0]
        assert app.issues() == []


def test_an_order_can_be_read_back(start_app: StartApp) -> None:
    with start_app("correct") as app:
        order = app.order().json()

        reply = httpx.get(f"{app.url}/orders/{order['id']}")
        assert reply.status_code == 200
        assert reply.json() == order
        assert httpx.get(f"{app.url}/orders/ord_missing").status_code == 404


def test_a_declined_card_is_a_402_with_an_issue_and_a_message(start_app: StartApp) -> None:
    with start_app("correct") as app:
        reply = app.order(payment_method="pm_card_chargeDeclinedInsufficientFunds")

        assert reply.status_code == 402, reply.text
        order = reply.json()
        assert order["status"] == "declined"
        assert "insufficient_funds" in order["error"]
        issues = app.issues()
        assert [issue["title"] for issue in issues] == [f"Payment failed for order {order['id']}"]
        assert order["issue_url"] == issues[0]["html_url"]
        messages = app.slack_messages()
        assert len(messages) == 1 and order["id"] in messages[0] and "failed" in messages[0]


def test_a_refund_refunds_the_charge_and_tells_the_channel(start_app: StartApp) -> None:
    with start_app("correct") as app:
        order = app.order().json()

        reply = app.refund(order["id"])

        assert reply.status_code == 200, reply.text
        assert reply.json()["status"] == "refunded"
        refunds = app.journal("stripe", "POST /v1/refunds")
        assert [entry["status"] for entry in refunds] == [200]
        assert request_fields(refunds[0])["payment_intent"] == order["payment_intent"]
        messages = app.slack_messages()
        assert len(messages) == 2 and "refunded" in messages[1] and order["id"] in messages[1]
        again = app.refund(order["id"])
        assert again.status_code == 409
        assert "refunded, not paid" in again.json()["error"]


def test_a_malformed_order_is_refused_with_the_field_that_is_wrong(start_app: StartApp) -> None:
    with start_app("correct") as app:
        cases: list[tuple[dict[str, Any], str]] = [
            ({"email": "not an email"}, "email"),
            ({"amount": 0}, "amount"),
            ({"amount": "20"}, "amount"),
            ({"currency": "dollars"}, "currency"),
            ({"item": ""}, "item"),
            ({"payment_method": "card 4242"}, "payment_method"),
            ({"coupon": "FREE"}, "coupon"),
        ]
        for fields, field in cases:
            reply = app.order(**fields)
            assert reply.status_code == 400, fields
            assert field in reply.json()["error"]
        assert app.journal("stripe", "*") == []


def test_a_body_that_is_not_a_json_object_is_refused(start_app: StartApp) -> None:
    with start_app("correct") as app:
        for body in [b"email=ada@example.com", b"[1, 2]", b"{" + b" " * 20_000 + b"}"]:
            reply = httpx.post(
                f"{app.url}/orders", content=body, headers={"content-type": "application/json"}
            )
            assert reply.status_code == 400, body[:40]
            assert "body" in reply.json()["error"]
