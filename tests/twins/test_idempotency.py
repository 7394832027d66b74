"""Idempotent retries (`twins.idempotency`): the same key and the same request get the first
answer again, whatever the twin; a generic twin (the bookshop) here, Stripe in its pack's tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from twins.app import TwinServer
from twins.catalog.pack import Pack
from twins.idempotency import KEY_LIFETIME_SECONDS, MAX_KEY_LENGTH
from twins.server import build_server

AUTH = {"Authorization": "Bearer test-token"}
ISBN = "9780000000001"


def _server(db: str = "memory") -> TwinServer:
    return build_server({"bookshop": OWN_SPECS / "bookshop.yaml"}, db=db, seed=3)


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(_server(), base_url="http://twin.test", headers=AUTH) as test_client:
        yield test_client


def _post(
    client: TestClient, path: str, body: dict[str, Any], key: str | None, session: str = "s1"
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(f"/_s/{session}/bookshop/v1{path}", json=body, headers=headers)


def _count(client: TestClient, path: str, session: str = "s1") -> int:
    return int(client.get(f"/_s/{session}/bookshop/v1{path}").json()["total"])


def test_a_retry_with_the_same_key_replays_the_first_answer_byte_for_byte(
    client: TestClient,
) -> None:
    first = _post(client, "/authors", {"name": "Ann"}, "k1")
    again = _post(client, "/authors", {"name": "Ann"}, "k1")

    assert again.status_code == first.status_code == 201
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert _count(client, "/authors") == 1


def test_without_a_key_every_request_runs(client: TestClient) -> None:
    _post(client, "/authors", {"name": "Ann"}, None)
    _post(client, "/authors", {"name": "Ann"}, None)

    assert _count(client, "/authors") == 2


def test_the_same_key_with_another_body_is_refused(client: TestClient) -> None:
    _post(client, "/authors", {"name": "Ann"}, "k1")

    other = _post(client, "/authors", {"name": "Bob"}, "k1")

    # 422 (the IETF draft's status), answered as the 400 the bookshop's spec documents
    assert other.status_code == 400
    assert "k1" in other.text
    assert _count(client, "/authors") == 1


def test_the_same_key_on_another_operation_is_refused(client: TestClient) -> None:
    _post(client, "/authors", {"name": "Ann"}, "k1")

    other = _post(client, "/orders", {"items": [{"isbn": ISBN, "quantity": 1}]}, "k1")

    assert other.status_code == 400
    assert "POST /authors" in other.text


def test_an_error_the_behaviour_raised_is_replayed_even_after_the_state_changed(
    client: TestClient,
) -> None:
    missing = _post(client, f"/books/{ISBN}/reviews", {"stars": 5}, "review-1")
    author = _post(client, "/authors", {"name": "Ann"}, None).json()
    _post(client, "/books", {"isbn": ISBN, "title": "T", "author_id": author["id"]}, None)

    again = _post(client, f"/books/{ISBN}/reviews", {"stars": 5}, "review-1")

    assert missing.status_code == again.status_code == 404
    assert again.content == missing.content
    assert again.headers["idempotent-replayed"] == "true"


def test_a_request_refused_before_its_behaviour_ran_is_not_kept(client: TestClient) -> None:
    refused = _post(client, "/authors", {"name": ""}, "k1")

    fixed = _post(client, "/authors", {"name": "Ann"}, "k1")

    assert refused.status_code == 400
    assert fixed.status_code == 201
    assert "idempotent-replayed" not in fixed.headers


def test_keys_belong_to_their_session(client: TestClient) -> None:
    _post(client, "/authors", {"name": "Ann"}, "k1", session="s1")

    elsewhere = _post(client, "/authors", {"name": "Ann"}, "k1", session="s2")

    assert elsewhere.status_code == 201
    assert "idempotent-replayed" not in elsewhere.headers


def test_keys_belong_to_the_credential_that_used_them(client: TestClient) -> None:
    for token in ("token-a", "token-b"):
        registered = client.post("/_twin/sessions/s1/credentials", json={"secret": token})
        assert registered.status_code == 201
    path = "/_s/s1/bookshop/v1/authors"

    first = client.post(
        path, json={"name": "Ann"}, headers={"Idempotency-Key": "k", **_bearer("token-a")}
    )
    other = client.post(
        path, json={"name": "Ann"}, headers={"Idempotency-Key": "k", **_bearer("token-b")}
    )

    assert first.status_code == other.status_code == 201
    assert first.json()["id"] != other.json()["id"]


def test_a_key_expires_after_a_day_of_session_time(client: TestClient) -> None:
    client.post("/_twin/sessions/s1/clock", json={"frozen_at": 1_800_000_000})
    _post(client, "/authors", {"name": "Ann"}, "k1")
    client.post("/_twin/sessions/s1/clock", json={"advance": KEY_LIFETIME_SECONDS + 1})

    later = _post(client, "/authors", {"name": "Ann"}, "k1")

    assert later.status_code == 201
    assert "idempotent-replayed" not in later.headers
    assert _count(client, "/authors") == 2


def test_replays_are_noted_in_the_journal(client: TestClient) -> None:
    _post(client, "/authors", {"name": "Ann"}, "k1")
    _post(client, "/authors", {"name": "Ann"}, "k1")

    journal = client.get("/_twin/sessions/s1/journal", params={"operation": "POST /authors"})

    assert [entry["extra"].get("idempotent_replay") for entry in journal.json()] == [None, "k1"]


def test_an_overlong_key_is_refused(client: TestClient) -> None:
    answer = _post(client, "/authors", {"name": "Ann"}, "k" * (MAX_KEY_LENGTH + 1))

    assert answer.status_code == 400
    assert _count(client, "/authors") == 0


def test_a_pack_without_an_idempotency_header_has_no_replays(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Pack, "idempotency_header", None)

    _post(client, "/authors", {"name": "Ann"}, "k1")
    again = _post(client, "/authors", {"name": "Ann"}, "k1")

    assert "idempotent-replayed" not in again.headers
    assert _count(client, "/authors") == 2


def test_kept_answers_survive_a_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "twins.sqlite")
    with TestClient(_server(db), base_url="http://twin.test", headers=AUTH) as before:
        first = _post(before, "/authors", {"name": "Ann"}, "k1")

    with TestClient(_server(db), base_url="http://twin.test", headers=AUTH) as after:
        again = _post(after, "/authors", {"name": "Ann"}, "k1")

    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
