"""Injected delivery faults: duplicates, delays, reordering, all drawn from the session seed."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.twins.webhooks.driving import add_endpoint, deliveries, flush, pay
from tests.twins.webhooks.receiver import Receiver

EPOCH = 1_700_000_000


def set_faults(client: TestClient, session: str, **faults: Any) -> None:
    response = client.put(f"/_twin/sessions/{session}/webhooks/faults", json=faults)
    assert response.status_code == 200, response.text


def amounts(receiver: Receiver, path: str = "") -> list[int]:
    """The amounts of the payments whose webhooks reached `path`, in arrival order."""
    return [
        r.json()["data"]["object"]["amount"]
        for r in receiver.received
        if r.path.startswith(path or "/")
    ]


def test_a_duplicated_delivery_arrives_twice_with_the_same_event(
    client: TestClient, receiver: Receiver
) -> None:
    add_endpoint(client, "s", receiver.url)
    set_faults(client, "s", duplicates={"count": 1})
    pay(client, "s", amount=1)
    pay(client, "s", amount=2)
    flush(client, "s")
    assert amounts(receiver) == [1, 1, 2], "only the first, since count is 1"
    first, copy = receiver.received[:2]
    assert first.body == copy.body
    journal = deliveries(client, "s")
    assert [d["duplicate"] for d in journal] == [False, True, False]
    assert journal[0]["delivery"] == journal[1]["delivery"]


def run_with_faults(client: TestClient, receiver: Receiver, session: str) -> list[Any]:
    """Twelve payments under every fault at once; what arrived, in order, and how."""
    path = f"/{session}"
    client.post(f"/_twin/sessions/{session}/clock", json={"frozen_at": EPOCH})
    add_endpoint(client, session, receiver.url + path)
    set_faults(
        client,
        session,
        duplicates={"probability": 0.5},
        delay={"seconds": 60, "probability": 0.3},
        reorder={"hold": 4},
    )
    for amount in range(1, 13):
        pay(client, session, amount=amount)
    flush(client, session)
    client.post(f"/_twin/sessions/{session}/clock", json={"advance": 60})
    flush(client, session)
    tries = [
        (d["delivery"], d["duplicate"], d["delayed"], d["reordered"])
        for d in deliveries(client, session)
    ]
    return [amounts(receiver, path), tries]


def test_faults_drawn_from_the_seed_replay_identically_in_a_session_of_the_same_seed(
    client: TestClient, receiver: Receiver
) -> None:
    first = run_with_faults(client, receiver, "one")
    second = run_with_faults(client, receiver, "two")
    assert first == second
    arrived, tries = first
    assert sorted(set(arrived)) == list(range(1, 13)), "every payment arrives"
    assert 12 < len(arrived) < 24, "some deliveries, not all, were duplicated"
    assert arrived != sorted(arrived), "and they came out of order"
    assert 0 < sum(1 for _, _, delayed, _ in tries if delayed) < len(tries), "some were late"
    client.put("/_twin/sessions/three/seed", json={"seed": 12345})
    assert run_with_faults(client, receiver, "three") != first, "another seed, other draws"


def test_reordered_deliveries_are_held_until_the_batch_is_full(
    client: TestClient, receiver: Receiver
) -> None:
    add_endpoint(client, "s", receiver.url)
    set_faults(client, "s", reorder={"hold": 3})
    pay(client, "s", amount=1)
    pay(client, "s", amount=2)
    assert client.get("/_twin/sessions/s/webhooks/deliveries").json() == []
    assert receiver.received == []
    pay(client, "s", amount=3)
    receiver.wait_for(3)
    assert sorted(amounts(receiver)) == [1, 2, 3]
    places = [d["reordered"] for d in deliveries(client, "s")]
    assert sorted(places) == [0, 1, 2]


def test_a_flush_releases_a_batch_that_is_not_full(client: TestClient, receiver: Receiver) -> None:
    add_endpoint(client, "s", receiver.url)
    set_faults(client, "s", reorder={"hold": 10})
    pay(client, "s", amount=1)
    pay(client, "s", amount=2)
    result = flush(client, "s")
    assert result["released"] == 2
    assert sorted(amounts(receiver)) == [1, 2]


def test_a_delay_on_the_clock_holds_a_delivery_until_the_clock_passes_it(
    client: TestClient, receiver: Receiver
) -> None:
    client.post("/_twin/sessions/s/clock", json={"frozen_at": EPOCH})
    add_endpoint(client, "s", receiver.url)
    set_faults(client, "s", delay={"seconds": 60})
    pay(client, "s")
    flush(client, "s")
    assert receiver.received == []
    client.post("/_twin/sessions/s/clock", json={"advance": 60})
    flush(client, "s")
    assert len(receiver.received) == 1
    (delivered,) = deliveries(client, "s")
    assert delivered["delayed"] == 60 and delivered["outcome"] == "delivered"


def test_a_real_time_delay_passes_by_itself(client: TestClient, receiver: Receiver) -> None:
    add_endpoint(client, "s", receiver.url)
    set_faults(client, "s", delay={"seconds": 0.05, "clock": False})
    pay(client, "s")
    receiver.wait_for(1)  # nobody flushes or moves the clock
    (delivered,) = deliveries(client, "s")
    assert delivered["delayed"] == 0.05


def test_faults_can_be_limited_to_some_events(client: TestClient, receiver: Receiver) -> None:
    add_endpoint(client, "s", receiver.url)
    set_faults(client, "s", duplicates={}, events=["payment_intent.succeeded"])
    pay(client, "s", settle_in=0)
    flush(client, "s", scheduled=True)
    kinds = [r.json()["type"] for r in receiver.received]
    assert sorted(kinds) == [
        "payment_intent.created",
        "payment_intent.succeeded",
        "payment_intent.succeeded",
    ]


def test_clearing_the_faults_sends_what_they_held(client: TestClient, receiver: Receiver) -> None:
    add_endpoint(client, "s", receiver.url)
    set_faults(client, "s", reorder={"hold": 5})
    pay(client, "s")
    cleared = client.delete("/_twin/sessions/s/webhooks/faults").json()
    assert cleared["released"] == 1
    receiver.wait_for(1)
    assert client.get("/_twin/sessions/s/webhooks/faults").json()["reorder"] is None


def test_a_session_reset_forgets_its_faults_and_subscriptions(
    client: TestClient, receiver: Receiver
) -> None:
    client.post("/_twin/sessions/s/twins/bookshop/webhooks", json={"url": receiver.url})
    set_faults(client, "s", reorder={"hold": 5})
    client.post("/_twin/sessions/s/reset")
    assert client.get("/_twin/sessions/s/twins/bookshop/webhooks").json() == []
    assert client.get("/_twin/sessions/s/webhooks/faults").json()["reorder"] is None
