"""The stub endpoints: queue (POST), pin (PUT), list (GET), remove (DELETE)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

STUBS = "/_twin/sessions/s1/twins/bookshop/stubs"
STATS = "/_s/s1/bookshop/v1/stats"


def test_queued_answers_are_listed_and_served_in_order(client: TestClient) -> None:
    response = client.post(
        STUBS,
        json={
            "operation": "GET /stats",
            "responses": [
                {"status": 200, "body": {"books": 1, "orders": 0}},
                {"status": 401, "body": {"error": {"code": "expired", "message": "log in"}}},
            ],
        },
    )
    assert response.status_code == 201, response.text
    [rule] = client.get(STUBS).json()
    assert rule["operation"] == "GET /stats"
    assert [stub["status"] for stub in rule["queued"]] == [200, 401]
    assert rule["queued"][0]["media_type"] == "application/json"
    assert client.get(STATS).json() == {"books": 1, "orders": 0}
    assert client.get(STATS).status_code == 401
    assert client.get(STUBS).json() == []


def test_a_pinned_answer_is_served_until_deleted(client: TestClient) -> None:
    pinned = {"status": 200, "body": {"books": 5, "orders": 5}, "headers": {"X-Stub": "yes"}}
    response = client.put(STUBS, json={"operation": "GET /stats", "response": pinned})
    assert response.status_code == 200, response.text
    assert response.json()["pinned"]["headers"] == {"X-Stub": "yes"}
    assert [client.get(STATS).json()["books"] for _ in range(2)] == [5, 5]
    removed = client.delete(STUBS, params={"operation": "GET /stats"})
    assert removed.json() == {"session": "s1", "twin": "bookshop", "removed": 1}
    assert client.get(STATS).headers.get("x-stub") is None


def test_deleting_only_the_queue_keeps_the_pinned_answer(client: TestClient) -> None:
    client.put(
        STUBS,
        json={
            "operation": "GET /stats",
            "response": {"status": 200, "body": {"books": 9, "orders": 9}},
        },
    )
    client.post(
        STUBS,
        json={
            "operation": "GET /stats",
            "responses": [{"status": 200, "body": {"books": 1, "orders": 1}}],
        },
    )
    client.delete(STUBS, params={"operation": "GET /stats", "part": "queued"})
    assert client.get(STATS).json()["books"] == 9


def test_deleting_without_an_operation_removes_every_stub_of_the_twin(client: TestClient) -> None:
    for operation in ("GET /stats", "GET /author*"):
        client.put(
            STUBS,
            json={
                "operation": operation,
                "response": {"status": 401, "body": {"error": {"code": "c", "message": "m"}}},
            },
        )
    assert client.delete(STUBS).json()["removed"] == 2
    assert client.get(STUBS).json() == []


def test_an_off_spec_stub_is_refused_with_422_naming_the_pointer(client: TestClient) -> None:
    response = client.post(
        STUBS,
        json={
            "operation": "GET /stats",
            "responses": [{"status": 200, "body": {"books": "x", "orders": 0}}],
        },
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]["problems"]
    assert problem == {
        "operation": "GET /stats",
        "pointer": "/responses/0/body/books",
        "rule": "type",
        "message": '"x" is not of type "integer"',
    }


def test_force_lets_an_off_spec_stub_through(client: TestClient) -> None:
    response = client.put(
        STUBS,
        json={
            "operation": "GET /stats",
            "response": {"status": 529, "body": "overloaded", "media_type": "text/plain"},
            "force": True,
        },
    )
    assert response.status_code == 200, response.text
    served = client.get(STATS)
    assert (served.status_code, served.text) == (529, "overloaded")


def test_unknown_twins_operations_and_stubs_are_404(client: TestClient) -> None:
    stub = {
        "operation": "GET /stats",
        "response": {"status": 200, "body": {"books": 1, "orders": 1}},
    }
    assert client.put("/_twin/sessions/s1/twins/nope/stubs", json=stub).status_code == 404
    unknown = client.put(STUBS, json={**stub, "operation": "GET /statz"})
    assert unknown.status_code == 404 and "GET /stats" in unknown.text
    assert client.delete(STUBS, params={"operation": "GET /stats"}).status_code == 404


def test_out_of_range_fields_and_bad_session_names_are_422(client: TestClient) -> None:
    slow = {"operation": "GET /stats", "response": {"status": 200, "body": {}, "delay": 3600}}
    assert client.put(STUBS, json=slow).status_code == 422
    none = {"operation": "GET /stats", "responses": []}
    assert client.post(STUBS, json=none).status_code == 422
    bad = "/_twin/sessions/bad%20name/twins/bookshop/stubs"
    assert client.get(bad).status_code == 422


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("response", "pointer"),
    [
        ({"status": 200, "body": {}, "headers": {"X-A": "a\x01b"}}, "/response/headers/X-A"),
        ({"status": 200, "body": {}, "headers": {"X-A\n": "a"}}, "/response/headers/X-A\n"),
        ({"status": 200, "body": "x", "media_type": "text/plain\n"}, "/response/media_type"),
        ({"status": 200, "body": _nested(300)}, "/response/body"),
    ],
)
def test_a_stub_the_wire_could_not_carry_is_refused_even_when_forced(
    client: TestClient, response: dict[str, Any], pointer: str
) -> None:
    refused = client.put(
        STUBS, json={"operation": "GET /stats", "response": response, "force": True}
    )
    assert refused.status_code == 422, refused.text
    assert [p["pointer"] for p in refused.json()["detail"]["problems"]] == [pointer]
    assert client.get(STUBS).json() == []
