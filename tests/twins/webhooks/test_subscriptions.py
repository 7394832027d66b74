"""Subscriptions of a generic twin, against a real `dtu serve`: resource events, signed the
Standard Webhooks way, only the events asked for, only to allowed hosts."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import OWN_SPECS
from tests.serving import Served, serve
from tests.twins.webhooks.driving import BOOKSHOP_AUTH
from tests.twins.webhooks.receiver import Received, Receiver

BOOK = {"isbn": "9780000000001", "title": "Twins", "genre": "fiction", "price": 1200}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    log = tmp_path_factory.mktemp("serve") / "dtu.log"
    args = [f"bookshop={OWN_SPECS / 'bookshop.yaml'}", "--db", "memory"]
    with serve([*args, "--webhook-allow", "hooks.test"], log) as running:
        yield running


@pytest.fixture
def twin(served: Served) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served.url, headers=BOOKSHOP_AUTH, timeout=30) as client:
        yield client


def subscribe(twin: httpx.Client, session: str, url: str, **more: Any) -> dict[str, Any]:
    response = twin.post(
        f"/_twin/sessions/{session}/twins/bookshop/webhooks", json={"url": url, **more}
    )
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


def flushed(twin: httpx.Client, session: str) -> list[dict[str, Any]]:
    result = twin.post(f"/_twin/sessions/{session}/webhooks/flush", json={}).json()
    assert result["settled"], result
    found: list[dict[str, Any]] = twin.get(f"/_twin/sessions/{session}/webhooks/deliveries").json()
    return found


def verify_standard_webhook(request: Received, secret: str) -> None:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    headers = request.headers
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + request.body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert headers["webhook-signature"] == f"v1,{expected}"


def new_author(twin: httpx.Client, session: str) -> dict[str, Any]:
    response = twin.post(f"/_s/{session}/bookshop/v1/authors", json={"name": "Ada"})
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


def test_a_subscribed_endpoint_gets_resource_created_when_a_book_is_posted(
    twin: httpx.Client, receiver: Receiver
) -> None:
    subscription = subscribe(twin, "created", receiver.url + "/events")
    author = new_author(twin, "created")
    book = twin.post("/_s/created/bookshop/v1/books", json={**BOOK, "author_id": author["id"]})
    assert book.status_code == 201, book.text
    first, second = receiver.wait_for(2)
    assert first.json()["type"] == "author.created"
    event = second.json()
    assert event["type"] == "book.created"
    assert event["data"] == book.json()
    assert event["id"].startswith("evt_") and isinstance(event["created"], int)
    assert second.headers["webhook-id"] == event["id"]
    verify_standard_webhook(second, subscription["secret"])


def test_updates_and_deletes_are_events_too(twin: httpx.Client, receiver: Receiver) -> None:
    subscribe(twin, "changes", receiver.url)
    author = new_author(twin, "changes")
    base = "/_s/changes/bookshop/v1/books"
    twin.post(base, json={**BOOK, "author_id": author["id"]})
    patched = twin.patch(f"{base}/{BOOK['isbn']}", json={"price": 999})
    assert patched.status_code == 200, patched.text
    assert twin.delete(f"{base}/{BOOK['isbn']}").status_code == 204
    events = [r.json() for r in receiver.wait_for(4)]
    assert [e["type"] for e in events] == [
        "author.created",
        "book.created",
        "book.updated",
        "book.deleted",
    ]
    assert events[2]["data"]["price"] == 999
    assert events[3]["data"]["isbn"] == BOOK["isbn"], "a deleted record is the one that was"


def test_an_endpoint_gets_only_the_events_it_asked_for(
    twin: httpx.Client, receiver: Receiver
) -> None:
    subscribe(twin, "filtered", receiver.url, events=["*.deleted"])
    author = new_author(twin, "filtered")
    assert flushed(twin, "filtered") == []
    twin.delete(f"/_s/filtered/bookshop/v1/authors/{author['id']}")
    (delivery,) = flushed(twin, "filtered")
    assert delivery["event"] == "author.deleted" and delivery["outcome"] == "delivered"


def test_an_unsubscribed_endpoint_hears_no_more(twin: httpx.Client, receiver: Receiver) -> None:
    subscription = subscribe(twin, "gone", receiver.url)
    listed = twin.get("/_twin/sessions/gone/twins/bookshop/webhooks").json()
    assert [s["id"] for s in listed] == [subscription["id"]]
    path = f"/_twin/sessions/gone/twins/bookshop/webhooks/{subscription['id']}"
    assert twin.delete(path).status_code == 204
    assert twin.delete(path).status_code == 404
    new_author(twin, "gone")
    assert flushed(twin, "gone") == []


def test_a_host_named_by_webhook_allow_may_be_subscribed_and_others_not(
    twin: httpx.Client,
) -> None:
    subscribe(twin, "hosts", "https://hooks.test/in")
    refused = twin.post(
        "/_twin/sessions/hosts/twins/bookshop/webhooks", json={"url": "https://evil.test/in"}
    )
    assert refused.status_code == 422
    assert "not on the webhook allow-list" in refused.text


@pytest.mark.parametrize(
    ("body", "status", "complaint"),
    [
        ({"url": "ftp://127.0.0.1/x"}, 422, "not an http(s) URL"),
        ({"url": "http://127.0.0.1/x", "events": ["x" * 300]}, 422, "1-200 printable"),
        ({"url": "http://127.0.0.1/x", "colour": "red"}, 422, "Extra inputs"),
        ({"events": ["a"]}, 422, "url"),
    ],
)
def test_a_subscription_that_cannot_work_is_refused_saying_why(
    twin: httpx.Client, body: dict[str, Any], status: int, complaint: str
) -> None:
    response = twin.post("/_twin/sessions/bad/twins/bookshop/webhooks", json=body)
    assert response.status_code == status
    assert complaint in response.text


def test_subscribing_to_a_twin_that_does_not_exist_is_a_404(twin: httpx.Client) -> None:
    response = twin.post("/_twin/sessions/s/twins/nope/webhooks", json={"url": "http://127.0.0.1/"})
    assert response.status_code == 404
    assert "bookshop" in response.text


def test_a_bad_allow_list_stops_dtu_serve_with_a_clear_message(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "twins.cli", "serve", "bookshop", "--webhook-allow", "bad host!"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "webhook allow-list entry 'bad host!'" in result.stderr


def test_a_replayed_idempotent_request_emits_no_second_event(
    twin: httpx.Client, receiver: Receiver
) -> None:
    subscribe(twin, "replay", receiver.url)
    key = {"Idempotency-Key": "author-ada"}
    first = twin.post("/_s/replay/bookshop/v1/authors", json={"name": "Ada"}, headers=key)
    again = twin.post("/_s/replay/bookshop/v1/authors", json={"name": "Ada"}, headers=key)
    assert first.json() == again.json()
    assert [d["event"] for d in flushed(twin, "replay")] == ["author.created"]
