"""Bad requests get the spec's own error shape, naming the field and the rule; never a 500."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.twins.behaviour.conftest import BOOKS


def test_missing_credentials_are_a_401_in_the_spec_error_schema(client: TestClient) -> None:
    response = client.get(f"{BOOKS}/authors", headers={"Authorization": ""})
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "unauthorized"
    assert "Bearer" in error["message"]
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_malformed_credential_counts_as_missing(client: TestClient) -> None:
    response = client.get(f"{BOOKS}/authors", headers={"Authorization": "Token abc"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    "body, field, rule",
    [
        ({"name": ""}, "name", "minLength"),
        ({}, "name", "required"),
        ({"name": "A", "email": "not-an-email"}, "email", "format"),
        ({"name": "A", "unknown": 1}, "", "additionalProperties"),
        ({"name": 42}, "name", "type"),
    ],
)
def test_an_invalid_body_names_the_field_and_the_rule(
    client: TestClient, body: dict[str, object], field: str, rule: str
) -> None:
    response = client.post(f"{BOOKS}/authors", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert rule in error["message"]
    if field:
        assert error["field"] == field


def test_invalid_json_is_a_400_saying_where(client: TestClient) -> None:
    response = client.post(
        f"{BOOKS}/authors", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "json" in response.json()["error"]["message"].lower()


def test_an_invalid_path_parameter_is_a_400(client: TestClient) -> None:
    response = client.get(f"{BOOKS}/books/not-an-isbn")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "isbn"


def test_an_invalid_query_parameter_is_a_400(client: TestClient) -> None:
    response = client.get(f"{BOOKS}/books", params={"limit": "many"})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "limit"


def test_an_unknown_path_is_a_404_problem(client: TestClient) -> None:
    response = client.get(f"{BOOKS}/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_an_unknown_twin_is_a_404_listing_the_twins(client: TestClient) -> None:
    response = client.get("/nosuchtwin/v1/things")
    assert response.status_code == 404
    assert "bookshop" in response.json()["detail"]


def test_a_method_the_path_does_not_have_is_a_405_with_allow(client: TestClient) -> None:
    response = client.put(f"{BOOKS}/stats")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"


def test_an_undeclared_content_type_is_rejected(client: TestClient) -> None:
    response = client.post(
        f"{BOOKS}/authors", content=b"name=A", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 400
    assert "content-type" in response.json()["error"]["message"]


def test_an_oversized_body_is_a_413(client: TestClient) -> None:
    response = client.post(
        f"{BOOKS}/authors",
        content=b'{"name": "' + b"x" * (11 * 1024 * 1024) + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
