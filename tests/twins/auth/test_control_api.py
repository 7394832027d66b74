"""The control plane's authentication part: credentials, clients, tokens, selectors."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.twins.auth.conftest import NOTES, TOKEN_PATH, register

CREDENTIALS = "/_twin/sessions/s1/credentials"
CLIENTS = "/_twin/sessions/s1/oauth/clients"


def test_a_registered_credential_is_listed_without_its_secret(client: TestClient) -> None:
    made = register(client, "s1", secret="sk_live_abcdef123456", scopes=["notes:read"])
    listed = client.get(CREDENTIALS).json()
    assert listed == [made]
    assert made["hint"] == "sk_l…3456"
    assert "sk_live_abcdef123456" not in str(listed)
    assert made["scopes"] == ["notes:read"] and made["twin"] is None


def test_registering_a_secret_again_replaces_its_registration(client: TestClient) -> None:
    register(client, "s1", secret="k", scopes=["a"])
    register(client, "s1", secret="k", scopes=["b"])
    assert [c["scopes"] for c in client.get(CREDENTIALS).json()] == [["b"]]


def test_a_deleted_credential_is_valid_no_more(client: TestClient) -> None:
    register(client, "s1", secret="keep")
    gone = register(client, "s1", secret="drop")
    assert client.delete(f"{CREDENTIALS}/{gone['id']}").status_code == 204
    headers = {"X-Twin-Session": "s1", "X-Vault-Key": "drop"}
    assert client.get(NOTES, headers=headers).status_code == 401
    assert client.delete(f"{CREDENTIALS}/{gone['id']}").status_code == 404


def test_deleting_a_selecting_credential_drops_its_selector(client: TestClient) -> None:
    made = register(client, "s1", secret="pick-me", selects_session=True)
    assert client.get("/_twin/auth/selectors").json() == [{"id": made["id"], "session": "s1"}]
    client.delete(f"{CREDENTIALS}/{made['id']}")
    assert client.get("/_twin/auth/selectors").json() == []


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ({}, "either `secret` or `username`"),
        ({"secret": "k", "username": "u"}, "either `secret` or `username`"),
        ({"secret": ""}, "at least 1 character"),
        ({"username": "a:b", "password": "p"}, "cannot contain ':'"),
        ({"secret": "k", "scopes": ["has space"]}, "not a scope token"),
        ({"secret": "k", "colour": "red"}, "Extra inputs are not permitted"),
        ({"secret": "k", "twin": "nope"}, "no twin named 'nope'"),
    ],
)
def test_a_bad_credential_registration_is_a_clear_422(
    client: TestClient, body: dict[str, Any], why: str
) -> None:
    reply = client.post(CREDENTIALS, json=body)
    assert reply.status_code == 422
    assert why in reply.text


def test_a_bad_session_name_is_a_422(client: TestClient) -> None:
    reply = client.post("/_twin/sessions/bad name!/credentials", json={"secret": "k"})
    assert reply.status_code == 422


def test_an_oauth_client_is_listed_without_its_secret(client: TestClient) -> None:
    made = client.post(
        CLIENTS,
        json={
            "client_id": "app",
            "client_secret": "s3cret",
            "redirect_uris": ["https://app.test/cb"],
            "scopes": ["notes:read"],
        },
    )
    assert made.status_code == 201
    listed = client.get(CLIENTS).json()
    assert listed == [made.json()]
    assert listed[0]["confidential"] is True
    assert "s3cret" not in str(listed)
    assert client.delete(f"{CLIENTS}/app").status_code == 204
    assert client.get(CLIENTS).json() == []
    assert client.delete(f"{CLIENTS}/app").status_code == 404


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ({"client_id": ""}, "at least 1 character"),
        ({"client_id": "has space"}, "should match pattern"),
        ({"client_id": "a", "redirect_uris": ["/relative"]}, "not an absolute URI"),
        ({"client_id": "a", "redirect_uris": ["https://a.test/#frag"]}, "without a fragment"),
        ({"client_id": "a", "token_lifetime": 0}, "greater than or equal to 1"),
    ],
)
def test_a_bad_client_registration_is_a_clear_422(
    client: TestClient, body: dict[str, Any], why: str
) -> None:
    reply = client.post(CLIENTS, json=body)
    assert reply.status_code == 422
    assert why in reply.text


def test_a_bad_session_header_on_the_fixed_oauth_paths_is_a_422(client: TestClient) -> None:
    reply = client.post(
        "/_twin/oauth/vault/token",
        data={"grant_type": "client_credentials"},
        headers={"X-Twin-Session": "bad name"},
    )
    assert reply.status_code == 422


def test_an_unknown_twin_on_the_fixed_oauth_paths_is_a_404(client: TestClient) -> None:
    assert client.post("/_twin/oauth/nope/token").status_code == 404


def test_an_oversized_oauth_body_is_a_413(client: TestClient) -> None:
    reply = client.post(
        "/_twin/oauth/vault/token",
        content=b"x" * (65 * 1024),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert reply.status_code == 413


def test_a_token_issued_near_year_9999_is_listed_with_the_last_showable_expiry(
    client: TestClient,
) -> None:
    client.post("/_twin/sessions/default/clock", json={"frozen_at": 253_402_300_000})
    form = {"grant_type": "client_credentials", "client_id": "app", "client_secret": "s"}
    assert client.post(TOKEN_PATH, data=form).status_code == 200
    listed = client.get("/_twin/sessions/default/oauth/tokens")
    assert listed.status_code == 200
    assert listed.json()[0]["expires"] == "9999-12-31T23:59:59Z"
