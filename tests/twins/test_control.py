"""The control plane: twins, seeding, export, journal, clock; documented by its own OpenAPI."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from twins.server import build_server

AUTH = {"Authorization": "Bearer t"}


@pytest.fixture
def client() -> Iterator[TestClient]:
    server = build_server({"bookshop": OWN_SPECS / "bookshop.yaml"}, db="memory")
    with TestClient(server, base_url="http://twin.test", headers=AUTH) as test_client:
        yield test_client


def test_twins_are_listed_with_their_operations_and_base_url(client: TestClient) -> None:
    twins = client.get("/_twin/twins").json()
    assert twins[0]["name"] == "bookshop"
    assert twins[0]["operations"] == 16
    assert twins[0]["base_url"] == "http://twin.test/bookshop/v1"


def test_a_twin_says_what_each_operation_does(client: TestClient) -> None:
    detail = client.get("/_twin/twins/bookshop").json()
    kinds = {op["label"]: op["behaviour"] for op in detail["operations"]}
    assert kinds["POST /orders"] == "create"
    assert kinds["POST /orders/{orderId}/cancel"] == "action"
    assert kinds["GET /stats"] == "generated"


def test_seeded_records_can_be_read_through_the_twin(client: TestClient) -> None:
    response = client.post(
        "/_twin/sessions/s1/twins/bookshop/resources",
        json={"resource": "authors", "records": [{"name": "Seeded", "country": "NO"}]},
    )
    assert response.status_code == 201, response.text
    author_id = response.json()["stored"][0]
    author = client.get(f"/_s/s1/bookshop/v1/authors/{author_id}").json()
    assert author["name"] == "Seeded" and author["country"] == "NO"


def test_seeded_nested_records_need_their_parent_ids(client: TestClient) -> None:
    response = client.post(
        "/_twin/sessions/s1/twins/bookshop/resources",
        json={"resource": "reviews", "records": [{"stars": 4}]},
    )
    assert response.status_code == 422
    assert "isbn" in response.text


def test_seeding_a_record_that_breaks_the_schema_is_refused_naming_the_rule(
    client: TestClient,
) -> None:
    response = client.post(
        "/_twin/sessions/s1/twins/bookshop/resources",
        json={"resource": "authors", "records": [{"name": "", "country": "NOR"}]},
    )
    assert response.status_code == 422
    assert "minLength" in response.text or "maxLength" in response.text


def test_seeding_an_unknown_resource_names_the_known_ones(client: TestClient) -> None:
    response = client.post(
        "/_twin/sessions/s1/twins/bookshop/resources", json={"resource": "cats", "records": []}
    )
    assert response.status_code == 404
    assert "authors" in response.text


def test_export_holds_every_record_of_the_session(client: TestClient) -> None:
    client.post("/_s/ex/bookshop/v1/authors", json={"name": "A"})
    state = client.get("/_twin/sessions/ex/state").json()
    records = state["resources"]["bookshop"]["/authors"]
    assert [r["body"]["name"] for r in records] == ["A"]


def test_the_journal_records_requests_and_responses_filterable_by_operation(
    client: TestClient,
) -> None:
    client.post("/_s/j/bookshop/v1/authors", json={"name": "A"})
    client.get("/_s/j/bookshop/v1/authors")
    client.get("/_s/j/bookshop/v1/authors")
    everything = client.get("/_twin/sessions/j/journal").json()
    assert [e["operation"] for e in everything] == ["POST /authors", "GET /authors", "GET /authors"]
    posts = client.get("/_twin/sessions/j/journal", params={"operation": "POST *"}).json()
    assert len(posts) == 1
    assert posts[0]["status"] == 201
    assert posts[0]["request"]["body"] == {"name": "A"}
    assert posts[0]["response"]["body"]["name"] == "A"
    assert "authorization" not in posts[0]["request"]["headers"]
    assert everything[2]["response"]["body"]["total"] == 1, "a cached reply is journalled too"


def test_reset_empties_the_session(client: TestClient) -> None:
    client.post("/_s/r/bookshop/v1/authors", json={"name": "A"})
    client.post("/_twin/sessions/r/reset")
    assert client.get("/_s/r/bookshop/v1/authors").json()["items"] == []


def test_a_read_after_a_write_sees_the_write_even_when_cached(client: TestClient) -> None:
    assert client.get("/_s/c/bookshop/v1/authors").json()["total"] == 0
    client.post("/_s/c/bookshop/v1/authors", json={"name": "A"})
    assert client.get("/_s/c/bookshop/v1/authors").json()["total"] == 1
    client.post(
        "/_twin/sessions/c/twins/bookshop/resources",
        json={"resource": "authors", "records": [{"name": "B"}]},
    )
    assert client.get("/_s/c/bookshop/v1/authors").json()["total"] == 2


def test_a_frozen_clock_stamps_records_with_its_time(client: TestClient) -> None:
    client.post("/_twin/sessions/t/clock", json={"frozen_at": 1_700_000_000})
    author = client.post("/_s/t/bookshop/v1/authors", json={"name": "A"}).json()
    assert author["created_at"] == "2023-11-14T22:13:20Z"
    client.post("/_twin/sessions/t/clock", json={"advance": 60})
    later = client.post("/_s/t/bookshop/v1/authors", json={"name": "B"}).json()
    assert later["created_at"] == "2023-11-14T22:14:20Z"


def test_the_control_plane_documents_itself(client: TestClient) -> None:
    document = client.get("/_twin/openapi.json").json()
    assert "/_twin/sessions/{session}/journal" in document["paths"]


def test_health_is_ok(client: TestClient) -> None:
    assert client.get("/_twin/health").json()["status"] == "ok"


@pytest.mark.parametrize("seed", [2**63, -(2**63) - 1, 10**30])
def test_a_seed_beyond_64_bits_is_refused(client: TestClient, seed: int) -> None:
    response = client.put("/_twin/sessions/s1/seed", json={"seed": seed})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "seed"]


def test_a_journal_seq_beyond_64_bits_is_refused(client: TestClient) -> None:
    response = client.get("/_twin/sessions/s1/journal", params={"since": 2**63})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "since"]
