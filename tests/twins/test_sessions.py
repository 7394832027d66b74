"""Sessions are isolated worlds; a seed replays a world exactly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from twins.server import build_server

AUTH = {"Authorization": "Bearer t"}
ORDER = {"items": [{"isbn": "9780000000001", "quantity": 2}]}


def new_client(seed: int = 3) -> TestClient:
    server = build_server({"bookshop": OWN_SPECS / "bookshop.yaml"}, db="memory", seed=seed)
    return TestClient(server, base_url="http://twin.test", headers=AUTH)


@pytest.fixture
def client() -> Iterator[TestClient]:
    with new_client() as test_client:
        yield test_client


def script(client: TestClient, session: str) -> list[bytes]:
    """A fixed sequence of requests; their response bodies."""
    base = f"/_s/{session}/bookshop/v1"
    client.post(f"/_twin/sessions/{session}/clock", json={"frozen_at": 1_700_000_000})
    bodies = [client.post(f"{base}/authors", json={"name": "A"}).content]
    bodies.append(client.post(f"{base}/orders", json=ORDER).content)
    bodies.append(client.get(f"{base}/orders").content)
    bodies.append(client.get(f"{base}/stats").content)
    return bodies


def test_sessions_do_not_see_each_others_state(client: TestClient) -> None:
    client.post("/_s/one/bookshop/v1/orders", json=ORDER)
    assert len(client.get("/_s/one/bookshop/v1/orders").json()["data"]) == 1
    assert client.get("/_s/two/bookshop/v1/orders").json()["data"] == []


def test_the_session_header_selects_a_session_on_the_plain_url(client: TestClient) -> None:
    client.post("/bookshop/v1/orders", json=ORDER, headers={"X-Twin-Session": "hdr"})
    assert len(client.get("/_s/hdr/bookshop/v1/orders").json()["data"]) == 1
    assert client.get("/bookshop/v1/orders").json()["data"] == []


def test_the_same_seed_and_requests_give_byte_identical_responses() -> None:
    with new_client(seed=11) as first, new_client(seed=11) as second:
        assert script(first, "replay") == script(second, "replay")


def test_a_different_seed_gives_different_data() -> None:
    with new_client(seed=11) as first, new_client(seed=12) as second:
        assert script(first, "s")[0] != script(second, "s")[0]


def test_a_reset_session_starts_again_from_its_seed(client: TestClient) -> None:
    before = script(client, "again")
    assert client.post("/_twin/sessions/again/reset").status_code == 200
    assert script(client, "again") == before


def test_setting_a_seed_resets_and_reseeds_the_session(client: TestClient) -> None:
    client.put("/_twin/sessions/x/seed", json={"seed": 99})
    first = script(client, "x")
    client.put("/_twin/sessions/x/seed", json={"seed": 99})
    assert script(client, "x") == first
    assert client.get("/_twin/sessions/x/seed").json() == {"session": "x", "seed": 99}


def test_a_request_by_the_vendors_host_reaches_its_twin(client: TestClient) -> None:
    response = client.get("/v1/orders", headers={"Host": "api.bookshop.example"})
    assert response.status_code == 200
    assert response.json()["object"] == "list"


def test_a_session_name_with_odd_characters_is_refused(client: TestClient) -> None:
    assert client.get("/_s/bad%20name/bookshop/v1/orders").status_code == 404
