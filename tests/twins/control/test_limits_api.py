"""Quotas per twin and per session through the control plane."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from twins.server import build_server

TWIN_LIMITS = "/_twin/twins/bookshop/limits"
SESSION_LIMITS = "/_twin/sessions/s1/limits"
QUOTA = {"operation": "GET /authors", "limit": 5, "window": 60}


@pytest.fixture
def api() -> Iterator[TestClient]:
    server = build_server({"bookshop": OWN_SPECS / "bookshop.yaml"}, db="memory", seed=7)
    with TestClient(
        server, base_url="http://twin.test", headers={"Authorization": "Bearer t"}
    ) as c:
        yield c


def test_a_twin_without_a_pack_quota_starts_unlimited(api: TestClient) -> None:
    described = api.get(TWIN_LIMITS).json()
    assert described["source"] == "pack"
    assert described["quotas"] == []
    assert described["headers"]["remaining"] == "X-RateLimit-Remaining"


def test_a_twins_quotas_are_replaced_and_given_back(api: TestClient) -> None:
    put = api.put(TWIN_LIMITS, json={"quotas": [QUOTA]})
    assert put.status_code == 200
    assert put.json()["source"] == "control plane"
    assert put.json()["quotas"][0] | QUOTA == put.json()["quotas"][0]
    assert api.delete(TWIN_LIMITS).json()["quotas"] == []


def test_a_sessions_quotas_show_what_applies_per_twin_and_the_windows_open(
    api: TestClient,
) -> None:
    put = api.put(SESSION_LIMITS, json={"quotas": [{**QUOTA, "twin": "book*", "per": "session"}]})
    assert put.status_code == 200
    assert put.json()["applying"]["bookshop"][0]["twin"] == "book*"
    api.get("/_s/s1/bookshop/v1/authors")
    (usage,) = api.get(SESSION_LIMITS).json()["usage"]
    assert (usage["twin"], usage["scope"], usage["used"]) == ("bookshop", "session", 1)


def test_deleting_a_sessions_quotas_gives_it_the_twins_again(api: TestClient) -> None:
    api.put(TWIN_LIMITS, json={"quotas": [QUOTA]})
    api.put(SESSION_LIMITS, json={"quotas": []})
    assert api.get(SESSION_LIMITS).json()["applying"] == {"bookshop": []}
    after = api.delete(SESSION_LIMITS).json()
    assert after["quotas"] is None
    assert after["applying"]["bookshop"][0]["limit"] == 5


def test_an_unknown_twin_is_not_found(api: TestClient) -> None:
    response = api.put("/_twin/twins/nope/limits", json={"quotas": [QUOTA]})
    assert response.status_code == 404
    assert "no twin named 'nope'" in response.json()["detail"]


def test_a_session_quota_for_a_twin_glob_that_matches_nothing_is_refused(api: TestClient) -> None:
    response = api.put(SESSION_LIMITS, json={"quotas": [{**QUOTA, "twin": "gihtub"}]})
    assert response.status_code == 422
    assert "matches no twin" in response.json()["detail"]


@pytest.mark.parametrize(
    ("quota", "field", "says"),
    [
        ({"window": 60}, "limit", "Field required"),
        ({"limit": -1, "window": 60}, "limit", "greater than or equal to 0"),
        ({"limit": 1, "window": 0}, "window", "greater than 0"),
        ({"limit": 1, "window": 1e9}, "window", "less than or equal"),
        ({"limit": 1, "window": 1, "per": "ip"}, "per", "'credential', 'session' or 'operation'"),
        ({"limit": 1, "window": 1, "operation": ""}, "operation", "at least 1 character"),
        ({"limit": 1, "window": 1, "twin": "x"}, "twin", "Extra inputs"),
        ({"limit": 1, "window": 1, "resource": "core\r\nX-A: 1"}, "resource", "pattern"),
        ({"limit": 1, "window": 1, "operation": "GET /*\x00"}, "operation", "pattern"),
    ],
)
def test_a_bad_twin_quota_is_refused_naming_the_field(
    api: TestClient, quota: dict[str, Any], field: str, says: str
) -> None:
    response = api.put(TWIN_LIMITS, json={"quotas": [quota]})
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["loc"] == ["body", "quotas", 0, field]
    assert says in problem["msg"]


def test_more_quotas_than_allowed_are_refused(api: TestClient) -> None:
    response = api.put(SESSION_LIMITS, json={"quotas": [QUOTA] * 101})
    assert response.status_code == 422
