"""The webhook part of the control plane: fault rules, retry policy, deliveries, flush."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.twins.webhooks.driving import add_endpoint, deliveries, flush, pay, retry_fast
from tests.twins.webhooks.receiver import Receiver


def test_fault_rules_read_back_as_they_were_set(client: TestClient) -> None:
    rules = {
        "duplicates": {"probability": 0.25, "copies": 2, "count": 3},
        "delay": {"seconds": 30, "probability": 1, "clock": True, "count": None},
        "reorder": {"hold": 4},
        "events": ["payment_intent.*"],
    }
    assert client.put("/_twin/sessions/s/webhooks/faults", json=rules).status_code == 200
    assert client.get("/_twin/sessions/s/webhooks/faults").json() == {"session": "s", **rules}


@pytest.mark.parametrize(
    ("rules", "complaint"),
    [
        ({"reorder": {"hold": 1}}, "greater than or equal to 2"),
        ({"duplicates": {"probability": 2}}, "less than or equal to 1"),
        ({"delay": {"seconds": 7200, "clock": False}}, "at most 3600 seconds"),
        ({"delay": {}}, "seconds"),
        ({"events": ["e"] * 101}, "at most 100"),
        ({"events": ["e" * 201]}, "1-200 printable characters"),
        ({"drop": {"probability": 1}}, "Extra inputs"),
    ],
)
def test_fault_rules_that_make_no_sense_are_refused(
    client: TestClient, rules: dict[str, Any], complaint: str
) -> None:
    response = client.put("/_twin/sessions/s/webhooks/faults", json=rules)
    assert response.status_code == 422
    assert complaint in response.text


def test_the_retry_policy_is_the_servers_until_a_session_sets_its_own(
    client: TestClient,
) -> None:
    default = client.get("/_twin/sessions/s/webhooks/retry").json()
    assert default["attempts"] == 5 and default["factor"] == 2
    retry_fast(client, "s", attempts=2)
    assert client.get("/_twin/sessions/s/webhooks/retry").json()["attempts"] == 2
    assert client.get("/_twin/sessions/other/webhooks/retry").json()["attempts"] == 5


def test_a_retry_policy_out_of_bounds_is_refused(client: TestClient) -> None:
    response = client.put("/_twin/sessions/s/webhooks/retry", json={"attempts": 1000})
    assert response.status_code == 422
    assert "attempts" in response.text


def test_deliveries_can_be_filtered_by_event_and_outcome(
    client: TestClient, receiver: Receiver
) -> None:
    receiver.answer(500)
    add_endpoint(client, "s", receiver.url)
    retry_fast(client, "s")
    pay(client, "s", settle_in=0)
    flush(client, "s", scheduled=True)
    assert len(deliveries(client, "s")) == 3
    assert [d["event"] for d in deliveries(client, "s", event="*.succeeded")] == [
        "payment_intent.succeeded"
    ]
    (failed,) = deliveries(client, "s", outcome="failed")
    assert failed["status"] == 500 and failed["retry_in"] == 0.05
    assert len(deliveries(client, "s", twin="bookshop")) == 0


def test_webhook_tries_are_in_the_session_journal_beside_the_requests(
    client: TestClient, receiver: Receiver
) -> None:
    add_endpoint(client, "s", receiver.url)
    pay(client, "s")
    flush(client, "s")
    labels = [e["operation"] for e in client.get("/_twin/sessions/s/journal").json()]
    assert labels == [
        "POST /v1/webhook_endpoints",
        "POST /v1/payment_intents",
        "WEBHOOK payment_intent.created",
    ]


def test_a_flush_without_a_body_waits_for_what_is_in_hand(
    client: TestClient, receiver: Receiver
) -> None:
    add_endpoint(client, "s", receiver.url)
    pay(client, "s")
    result = client.post("/_twin/sessions/s/webhooks/flush").json()
    assert result["settled"] and result["in_hand"] == 0
    assert len(receiver.received) == 1


def test_a_flush_that_runs_out_of_time_says_so(client: TestClient, receiver: Receiver) -> None:
    receiver.answer(*[500] * 10)
    add_endpoint(client, "s", receiver.url)
    client.put("/_twin/sessions/s/webhooks/retry", json={"attempts": 10, "backoff": 3600})
    pay(client, "s")
    first = client.post("/_twin/sessions/s/webhooks/flush", json={"timeout": 0}).json()
    assert not first["settled"] and first["in_hand"] == 1
    assert flush(client, "s", timeout=30)["settled"], "a flush cuts the backoff short"
    assert len(receiver.received) == 10


def test_the_control_plane_documents_its_webhook_and_clock_endpoints(client: TestClient) -> None:
    paths = client.get("/_twin/openapi.json").json()["paths"]
    for path in [
        "/_twin/sessions/{session}/clock",
        "/_twin/sessions/{session}/twins/{name}/webhooks",
        "/_twin/sessions/{session}/webhooks/faults",
        "/_twin/sessions/{session}/webhooks/retry",
        "/_twin/sessions/{session}/webhooks/deliveries",
        "/_twin/sessions/{session}/webhooks/flush",
    ]:
        assert path in paths


def test_a_delivery_seq_beyond_64_bits_is_refused(client: TestClient) -> None:
    response = client.get("/_twin/sessions/s/webhooks/deliveries", params={"since": 2**63})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "since"]
