"""Delivering a pack's webhooks: signed, retried with backoff, journaled, refused off the
allow-list, held until the session clock reaches them."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest
import stripe
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from tests.serving import free_port
from tests.twins.webhooks.driving import (
    SECRET,
    add_endpoint,
    deliveries,
    flush,
    pay,
    retry_fast,
)
from tests.twins.webhooks.payments import PACK, write_spec
from tests.twins.webhooks.receiver import HANG, Receiver
from twins.behaviour.call import Outbound
from twins.catalog import PACKS
from twins.server import build_server
from twins.state import open_store
from twins.webhooks.delivery import Delivery

EPOCH = 1_700_000_000


def test_a_pack_webhook_arrives_signed_the_way_the_vendor_signs(
    client: TestClient, receiver: Receiver
) -> None:
    add_endpoint(client, "s", receiver.url + "/stripe")
    intent = pay(client, "s")
    (request,) = receiver.wait_for(1)
    assert request.path == "/stripe"
    event = request.json()
    assert event["type"] == "payment_intent.created"
    assert event["data"]["object"]["id"] == intent["id"]
    # the vendor's own SDK accepts the signature (it raises when it does not)
    stripe.WebhookSignature.verify_header(
        request.body.decode(), request.headers["stripe-signature"], SECRET, tolerance=300
    )


def test_a_github_style_endpoint_gets_an_x_hub_signature(
    client: TestClient, receiver: Receiver
) -> None:
    add_endpoint(client, "s", receiver.url + "/github", style="github")
    pay(client, "s")
    (request,) = receiver.wait_for(1)
    expected = "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["x-hub-signature-256"] == expected
    assert request.headers["x-github-event"] == "payment_intent"


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(
    client: TestClient, receiver: Receiver
) -> None:
    receiver.answer(503, 500)
    add_endpoint(client, "s", receiver.url)
    retry_fast(client, "s")
    pay(client, "s")
    tries = receiver.wait_for(3)
    flush(client, "s")
    assert len({request.body for request in tries}) == 1, "every try carries the same event"
    journal = deliveries(client, "s")
    assert [d["status"] for d in journal] == [503, 500, 200]
    assert [d["attempt"] for d in journal] == [1, 2, 3]
    assert [d["outcome"] for d in journal] == ["failed", "failed", "delivered"]
    assert [d["retry_in"] for d in journal] == [0.05, 0.1, None], "the wait doubles"
    assert len({d["delivery"] for d in journal}) == 1
    assert journal[-1]["response"]["body"] == '{"received": true}'
    assert "stripe-signature" in journal[-1]["request"]["headers"]


def test_a_receiver_that_keeps_failing_is_given_up_after_the_last_attempt(
    client: TestClient, receiver: Receiver
) -> None:
    receiver.answer(500, 500, 500, 500)
    add_endpoint(client, "s", receiver.url)
    retry_fast(client, "s", attempts=3)
    pay(client, "s")
    flush(client, "s")
    journal = deliveries(client, "s")
    assert [d["outcome"] for d in journal] == ["failed", "failed", "gave up"]
    assert len(receiver.received) == 3


def test_a_receiver_nobody_answers_for_is_a_failure_with_status_0(client: TestClient) -> None:
    add_endpoint(client, "s", f"http://127.0.0.1:{free_port()}/gone")
    retry_fast(client, "s", attempts=2)
    pay(client, "s")
    flush(client, "s")
    journal = deliveries(client, "s")
    assert [(d["status"], d["outcome"]) for d in journal] == [(0, "failed"), (0, "gave up")]
    assert "Connect" in journal[0]["response"]["error"]


def test_a_receiver_too_slow_to_answer_is_a_failed_try(
    client: TestClient, receiver: Receiver
) -> None:
    receiver.answer(HANG)
    add_endpoint(client, "s", receiver.url)
    client.put("/_twin/sessions/s/webhooks/retry", json={"attempts": 2, "timeout": 0.2})
    pay(client, "s")
    flush(client, "s")
    journal = deliveries(client, "s")
    assert [(d["status"], d["outcome"]) for d in journal] == [(0, "failed"), (200, "delivered")]
    assert "Timeout" in journal[0]["response"]["error"]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hook",
        "http://10.0.0.7:8080/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://localhost.example.com/hook",
        "file:///etc/passwd",
    ],
)
def test_a_target_off_the_allow_list_is_refused_and_journaled_without_contact(
    client: TestClient, url: str
) -> None:
    add_endpoint(client, "s", url)
    pay(client, "s")
    flush(client, "s")
    (refused,) = deliveries(client, "s")
    assert refused["outcome"] == "refused" and refused["status"] == 0
    assert refused["attempt"] == 0, "never tried"
    assert refused["url"] == url


def test_a_host_given_to_webhook_allow_is_allowed(tmp_path: Path) -> None:
    server = build_server(
        {"bookshop": OWN_SPECS / "bookshop.yaml"}, webhook_allow="hooks.test,10.0.0.0/8"
    )
    allow = server.dispatcher.allow  # type: ignore[union-attr]
    assert allow.refusal("https://hooks.test/x") is None
    assert allow.refusal("http://10.1.2.3/x") is None
    assert allow.refusal("http://127.0.0.1:9/x") is None, "loopback stays allowed"
    assert "allow-list" in (allow.refusal("http://other.test/x") or "")


def test_a_webhook_due_later_is_sent_only_once_the_clock_passes_it(
    client: TestClient, receiver: Receiver
) -> None:
    client.post("/_twin/sessions/s/clock", json={"frozen_at": EPOCH})
    add_endpoint(client, "s", receiver.url)
    pay(client, "s", settle_in=3600)
    flush(client, "s")
    assert [r.json()["type"] for r in receiver.received] == ["payment_intent.created"]
    assert client.get("/_twin/sessions/s/clock").json()["next_due"] == EPOCH + 3600
    client.post("/_twin/sessions/s/clock", json={"advance": 3599})
    flush(client, "s")
    assert len(receiver.received) == 1
    moved = client.post("/_twin/sessions/s/clock", json={"advance": 1}).json()
    assert moved["jobs_run"] == 1
    flush(client, "s")
    settled = receiver.received[1]
    assert settled.json()["type"] == "payment_intent.succeeded"
    assert settled.headers["stripe-signature"].startswith(f"t={EPOCH + 3600},"), (
        "signed at the session's time"
    )


def test_a_webhook_due_soon_on_a_real_time_clock_is_sent_by_itself(
    client: TestClient, receiver: Receiver
) -> None:
    add_endpoint(client, "s", receiver.url)
    pay(client, "s", settle_in=0.1)
    kinds = [r.json()["type"] for r in receiver.wait_for(2)]  # no flush, no clock move
    assert kinds == ["payment_intent.created", "payment_intent.succeeded"]


def test_a_flush_can_send_what_waits_on_the_clock_without_moving_it(
    client: TestClient, receiver: Receiver
) -> None:
    add_endpoint(client, "s", receiver.url)
    pay(client, "s", settle_in=86_400)
    result = flush(client, "s", scheduled=True)
    assert result["jobs_run"] == 1
    assert [r.json()["type"] for r in receiver.wait_for(2)] == [
        "payment_intent.created",
        "payment_intent.succeeded",
    ]


def test_webhooks_still_in_hand_at_shutdown_are_journaled_as_abandoned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, receiver: Receiver
) -> None:
    monkeypatch.setitem(PACKS, "payments", (PACK, ()))
    db = str(tmp_path / "state.sqlite")
    server = build_server({"payments": write_spec(tmp_path)}, db=db)
    with TestClient(server, base_url="http://twin.test") as client:
        add_endpoint(client, "s", receiver.url)
        client.put("/_twin/sessions/s/webhooks/faults", json={"delay": {"seconds": 600}})
        pay(client, "s")
    with open_store(db) as store:
        (entry,) = store.journal("s", operation="WEBHOOK *")
    assert entry.extra["outcome"] == "abandoned"
    assert receiver.received == []


def test_a_packs_own_headers_stand_and_each_try_is_signed_at_its_time() -> None:
    outbound = Outbound(
        "http://127.0.0.1/x",
        "thing.happened",
        b"{}",
        [("User-Agent", "Stripe/1.0"), ("Content-Type", "application/json; charset=utf-8")],
        lambda body, at: [("Signature", f"t={int(at)}")],
    )
    delivery = Delivery("whd_t_1", 1, "s", "t", outbound)
    assert delivery.headers(EPOCH) == [
        ("User-Agent", "Stripe/1.0"),
        ("Content-Type", "application/json; charset=utf-8"),
        ("Signature", f"t={EPOCH}"),
    ]
    plain = Delivery("whd_t_2", 2, "s", "t", Outbound("http://127.0.0.1/x", "e", b"{}"))
    assert plain.headers(EPOCH) == [
        ("user-agent", "dtu-webhooks/1"),
        ("content-type", "application/json"),
    ]
