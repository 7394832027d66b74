"""The fault rules of a session through the control plane: set, add, list, remove, refuse."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from twins.server import build_server

FAULTS = "/_twin/sessions/s1/faults"


@pytest.fixture
def api() -> Iterator[TestClient]:
    server = build_server({"bookshop": OWN_SPECS / "bookshop.yaml"}, db="memory", seed=7)
    with TestClient(
        server, base_url="http://twin.test", headers={"Authorization": "Bearer t"}
    ) as c:
        yield c


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def test_putting_rules_returns_them_with_ids_in_order(api: TestClient) -> None:
    response = api.put(
        FAULTS,
        json={
            "rules": [
                {"kind": "latency", "latency": {"normal": {"mean": 100, "sd": 10}}},
                {"kind": "error", "id": "flaky", "status": 503, "probability": 0.2},
                {"kind": "sequence", "operation": "POST /*", "sequence": [503, "ok"]},
            ]
        },
    )
    assert response.status_code == 200, response.text
    rules = response.json()["rules"]
    assert [r["id"] for r in rules] == ["f1", "flaky", "f2"]
    assert rules[0]["latency"] == {"normal": {"mean": 100.0, "sd": 10.0}}
    assert rules[2]["sequence"] == [503, "ok"]


def test_a_posted_rule_goes_after_the_others_with_a_new_id(api: TestClient) -> None:
    api.put(FAULTS, json={"rules": [{"kind": "reset"}]})
    added = api.post(FAULTS, json={"kind": "truncate", "operation": "GET /books"})
    assert added.status_code == 201
    assert added.json()["rule"]["id"] == "f2"
    assert [r["kind"] for r in api.get(FAULTS).json()["rules"]] == ["reset", "truncate"]


def test_listed_rules_say_how_often_each_matched_and_fired(api: TestClient) -> None:
    api.put(FAULTS, json={"rules": [{"kind": "error", "status": 500, "after": 1}]})
    for _ in range(3):
        api.get("/_s/s1/bookshop/v1/authors")
    (rule,) = api.get(FAULTS).json()["rules"]
    assert (rule["matched"], rule["fired"]) == (3, 2)


def test_one_rule_can_be_removed_by_id(api: TestClient) -> None:
    api.put(FAULTS, json={"rules": [{"kind": "reset"}, {"kind": "timeout"}]})
    assert api.delete(f"{FAULTS}/f1").json() == {"session": "s1", "removed": "f1"}
    assert [r["id"] for r in api.get(FAULTS).json()["rules"]] == ["f2"]
    missing = api.delete(f"{FAULTS}/f1")
    assert missing.status_code == 404
    assert "no fault rule 'f1'" in missing.json()["detail"]


def test_all_rules_can_be_removed(api: TestClient) -> None:
    api.put(FAULTS, json={"rules": [{"kind": "reset"}, {"kind": "timeout"}]})
    assert api.delete(FAULTS).json() == {"session": "s1", "removed": 2}
    assert api.get(FAULTS).json() == {"session": "s1", "rules": []}


def test_an_id_used_twice_is_refused(api: TestClient) -> None:
    api.put(FAULTS, json={"rules": [{"kind": "reset", "id": "drop"}]})
    again = api.post(FAULTS, json={"kind": "timeout", "id": "drop"})
    assert again.status_code == 422
    assert "already has a fault rule 'drop'" in again.json()["detail"]


def test_an_operation_glob_that_matches_nothing_is_taken_with_a_warning(api: TestClient) -> None:
    response = api.post(FAULTS, json={"kind": "reset", "operation": "POST /v1/customers"})
    assert response.status_code == 201
    assert "matches no operation" in response.json()["warnings"][0]


def test_a_twin_glob_that_matches_no_twin_is_refused(api: TestClient) -> None:
    response = api.post(FAULTS, json={"kind": "reset", "twin": "strpe"})
    assert response.status_code == 422
    assert "matches no twin" in response.json()["detail"]


@pytest.mark.parametrize(
    ("rule", "where", "says"),
    [
        ({"kind": "explode"}, ["kind"], "Input should be"),
        ({"kind": "error"}, [], "kind 'error' needs 'status'"),
        ({"kind": "error", "status": 200}, ["status"], "greater than or equal to 400"),
        ({"kind": "error", "status": 599}, [], "599 is no HTTP status"),
        ({"kind": "latency"}, [], "kind 'latency' needs 'latency'"),
        ({"kind": "latency", "latency": -5}, ["latency", "fixed"], "greater than or equal"),
        ({"kind": "latency", "latency": {"gamma": 3}}, ["latency"], "latency is ms, or one of"),
        ({"kind": "latency", "latency": {"uniform": [9, 1]}}, ["latency", "uniform"], "low > high"),
        ({"kind": "reset", "status": 503}, [], "'status' is for kind 'error'"),
        ({"kind": "sequence"}, [], "kind 'sequence' needs it"),
        ({"kind": "sequence", "sequence": []}, ["sequence"], "at least 1 item"),
        ({"kind": "sequence", "sequence": ["boom"]}, ["sequence", 0], "'ok', 'reset'"),
        ({"kind": "reset", "probability": 1.5}, ["probability"], "less than or equal to 1"),
        ({"kind": "reset", "count": 0}, ["count"], "greater than or equal to 1"),
        ({"kind": "reset", "after": -1}, ["after"], "greater than or equal to 0"),
        ({"kind": "reset", "id": "no spaces"}, ["id"], "should match pattern"),
        ({"kind": "reset", "probabilty": 0.5}, ["probabilty"], "Extra inputs"),
        (
            {"kind": "error", "status": 503, "headers": {"X-Bad": "a\r\nb"}},
            [],
            "without control characters",
        ),
        (
            {"kind": "error", "status": 503, "headers": {"X-Bad": "a\x01b"}},
            [],
            "without control characters",
        ),
        ({"kind": "error", "status": 503, "body": _nested(300)}, [], "levels deep"),
        (
            {"kind": "error", "status": 503, "headers": {"Content-Length": "9"}},
            [],
            "set by the server",
        ),
        ({"kind": "error", "status": 503, "body": "x" * 70_000}, [], "'body' is over"),
    ],
)
def test_a_bad_rule_is_refused_naming_where_and_why(
    api: TestClient, rule: dict[str, Any], where: list[Any], says: str
) -> None:
    response = api.post(FAULTS, json=rule)
    assert response.status_code == 422
    problems = response.json()["detail"]
    assert any(
        p["loc"][: 1 + len(where)] == ["body", *where] and says in p["msg"] for p in problems
    ), problems


def test_more_rules_than_a_session_may_hold_are_refused(api: TestClient) -> None:
    response = api.put(FAULTS, json={"rules": [{"kind": "reset"}] * 101})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "rules"]


def test_a_bad_session_name_is_refused(api: TestClient) -> None:
    response = api.put("/_twin/sessions/bad name!/faults", json={"rules": []})
    assert response.status_code == 422
    assert "session name" in response.json()["detail"]


def test_an_error_body_holding_an_integer_beyond_64_bits_is_taken(api: TestClient) -> None:
    rule = {"kind": "error", "status": 503, "body": {"code": 10**30}}
    assert api.post(FAULTS, json=rule).status_code == 201
    answered = api.get("/_s/s1/bookshop/v1/stats")
    assert answered.status_code == 503 and answered.json() == {"code": 10**30}


def test_a_body_with_nan_is_refused_with_422_not_500(api: TestClient) -> None:
    response = api.post(
        FAULTS,
        content=b'{"kind": "reset", "probability": NaN}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "probability"]
