"""The token endpoint: grants, expiry on the session clock, refresh, clients, RFC 6749 errors."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.twins.auth.conftest import NOTES, TOKEN_PATH, advance_clock, bearer, register
from twins.app import TwinServer
from twins.server import build_server

CLIENT = {"grant_type": "client_credentials", "client_id": "app", "client_secret": "s3cret"}


def token(client: TestClient, form: dict[str, str], **kwargs: Any) -> dict[str, Any]:
    reply = client.post(TOKEN_PATH, data=form, **kwargs)
    assert reply.status_code == 200, reply.text
    found: dict[str, Any] = reply.json()
    return found


def freeze(client: TestClient, session: str = "default") -> None:
    reply = client.post(f"/_twin/sessions/{session}/clock", json={"frozen_at": 1_700_000_000})
    assert reply.status_code == 200


def test_client_credentials_give_a_bearer_token_that_calls_the_api(client: TestClient) -> None:
    issued = token(client, CLIENT)
    assert issued["token_type"] == "Bearer"
    assert issued["expires_in"] == 3600
    assert set(issued["scope"].split()) == {"notes:read", "notes:write"}
    assert "refresh_token" not in issued  # RFC 6749 4.4.3
    assert client.get(NOTES, headers=bearer(issued["access_token"])).status_code == 200


def test_a_token_response_is_never_cached(client: TestClient) -> None:
    reply = client.post(TOKEN_PATH, data=CLIENT)
    assert reply.headers["cache-control"] == "no-store"


def test_an_issued_token_expires_when_the_session_clock_passes_its_lifetime(
    client: TestClient,
) -> None:
    freeze(client)
    issued = token(client, CLIENT)
    headers = bearer(issued["access_token"])
    advance_clock(client, 3599)
    assert client.get(NOTES, headers=headers).status_code == 200
    advance_clock(client, 1)
    expired = client.get(NOTES, headers=headers)
    assert expired.status_code == 401
    assert "expired" in expired.json()["fault"]["message"]


def test_an_issued_token_passes_where_the_session_registered_other_credentials(
    client: TestClient,
) -> None:
    register(client, secret="the-only-key")
    issued = token(client, CLIENT)
    assert client.get(NOTES, headers=bearer(issued["access_token"])).status_code == 200
    assert client.get(NOTES, headers=bearer("made-up")).status_code == 401


def test_a_token_carries_only_the_scopes_asked_for(client: TestClient) -> None:
    issued = token(client, {**CLIENT, "scope": "notes:read"})
    headers = bearer(issued["access_token"])
    assert client.get(NOTES, headers=headers).status_code == 200
    refused = client.post(NOTES, json={"text": "x"}, headers=headers)
    assert refused.status_code == 403
    assert "notes:write" in refused.json()["fault"]["message"]


def test_a_scope_the_spec_does_not_declare_is_an_invalid_scope(client: TestClient) -> None:
    reply = client.post(TOKEN_PATH, data={**CLIENT, "scope": "admin"})
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_scope"


def test_a_refresh_token_gives_a_new_access_token_and_is_spent(client: TestClient) -> None:
    freeze(client)
    issued = _authorization_code_tokens(client)
    advance_clock(client, 4000)
    assert client.get(NOTES, headers=bearer(issued["access_token"])).status_code == 401
    form = {"grant_type": "refresh_token", "refresh_token": issued["refresh_token"]}
    renewed = token(client, {**form, "client_id": "app"})
    assert renewed["access_token"] != issued["access_token"]
    assert client.get(NOTES, headers=bearer(renewed["access_token"])).status_code == 200
    again = client.post(TOKEN_PATH, data={**form, "client_id": "app"})
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_a_refresh_token_cannot_widen_the_grant(client: TestClient) -> None:
    issued = _authorization_code_tokens(client, scope="notes:read")
    form = {"grant_type": "refresh_token", "refresh_token": issued["refresh_token"]}
    reply = client.post(TOKEN_PATH, data={**form, "scope": "notes:read notes:write"})
    assert reply.json()["error"] == "invalid_scope"


def test_a_refresh_token_is_not_an_access_token(client: TestClient) -> None:
    issued = _authorization_code_tokens(client)
    refused = client.get(NOTES, headers=bearer(issued["refresh_token"]))
    assert refused.status_code == 401


def test_a_grant_the_spec_does_not_declare_is_unsupported(client: TestClient) -> None:
    reply = client.post(TOKEN_PATH, data={"grant_type": "password", "username": "a"})
    assert reply.status_code == 400
    assert reply.json()["error"] == "unsupported_grant_type"


def test_client_credentials_need_a_secret(client: TestClient) -> None:
    reply = client.post(TOKEN_PATH, data={"grant_type": "client_credentials", "client_id": "app"})
    assert reply.status_code == 401
    assert reply.json()["error"] == "invalid_client"


def test_a_registered_client_must_give_its_own_secret(client: TestClient) -> None:
    registered = client.post(
        "/_twin/sessions/default/oauth/clients",
        json={"client_id": "app", "client_secret": "s3cret", "scopes": ["notes:read"]},
    )
    assert registered.status_code == 201
    assert token(client, CLIENT)["scope"] == "notes:read"
    wrong = client.post(TOKEN_PATH, data={**CLIENT, "client_secret": "guess"})
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    stranger = client.post(TOKEN_PATH, data={**CLIENT, "client_id": "other"})
    assert stranger.json()["error"] == "invalid_client"
    greedy = client.post(TOKEN_PATH, data={**CLIENT, "scope": "notes:write"})
    assert greedy.json()["error"] == "invalid_scope"


def test_a_registered_clients_token_lifetime_applies(client: TestClient) -> None:
    client.post(
        "/_twin/sessions/default/oauth/clients",
        json={"client_id": "app", "client_secret": "s3cret", "token_lifetime": 60},
    )
    freeze(client)
    issued = token(client, CLIENT)
    assert issued["expires_in"] == 60
    advance_clock(client, 60)
    assert client.get(NOTES, headers=bearer(issued["access_token"])).status_code == 401


def test_client_credentials_may_come_in_an_http_basic_header(client: TestClient) -> None:
    encoded = base64.b64encode(b"app:s3cret").decode()
    issued = token(
        client,
        {"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {encoded}"},
    )
    assert issued["access_token"]


def test_a_json_body_is_read_like_a_form(client: TestClient) -> None:
    reply = client.post(TOKEN_PATH, json=CLIENT)
    assert reply.status_code == 200
    assert reply.json()["access_token"]


def test_a_client_that_accepts_only_forms_gets_a_form(client: TestClient) -> None:
    reply = client.post(
        TOKEN_PATH, data=CLIENT, headers={"Accept": "application/x-www-form-urlencoded"}
    )
    assert reply.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert "access_token=" in reply.text


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({}, "invalid_request"),
        ({"grant_type": "client_credentials", "client_id": ["a", "b"]}, "invalid_request"),
        ({"grant_type": "authorization_code", "code": "nope", "client_id": "app"}, "invalid_grant"),
        ({"grant_type": "refresh_token", "refresh_token": "nope"}, "invalid_grant"),
    ],
    ids=["no grant_type", "a parameter twice", "unknown code", "unknown refresh token"],
)
def test_bad_token_requests_get_rfc_6749_errors(
    client: TestClient, form: dict[str, Any], error: str
) -> None:
    reply = client.post(TOKEN_PATH, data=form)
    assert reply.status_code == 400
    assert reply.json()["error"] == error
    assert reply.json()["error_description"]


def test_the_same_seed_issues_the_same_tokens(vault_spec: Any) -> None:
    def first_token() -> str:
        server = build_server({"vault": vault_spec}, db="memory", seed=5)
        with TestClient(server, base_url="http://twin.test") as client:
            return str(token(client, CLIENT)["access_token"])

    assert first_token() == first_token()


def test_tokens_are_issued_in_the_session_of_the_request(client: TestClient) -> None:
    issued = token(client, CLIENT, headers={"X-Twin-Session": "alice"})
    other = {**bearer(issued["access_token"]), "X-Twin-Session": "alice"}
    register(client, "alice", secret="k")
    assert client.get(NOTES, headers=other).status_code == 200
    listed = client.get("/_twin/sessions/alice/oauth/tokens").json()
    assert [(t["kind"], t["grant"], t["live"]) for t in listed] == [
        ("access", "client_credentials", True)
    ]


def test_the_token_endpoint_is_served_at_a_fixed_control_plane_path_too(
    client: TestClient, server: TwinServer
) -> None:
    reply = client.post("/_twin/oauth/vault/token", data=CLIENT)
    assert reply.status_code == 200
    headers = bearer(reply.json()["access_token"])
    assert client.get(NOTES, headers=headers).status_code == 200
    in_session = client.post("/_twin/sessions/s1/twins/vault/oauth/token", data=CLIENT)
    assert in_session.status_code == 200


def _authorization_code_tokens(client: TestClient, scope: str | None = None) -> dict[str, Any]:
    query = {"response_type": "code", "client_id": "app", "redirect_uri": "https://app.test/cb"}
    if scope is not None:
        query["scope"] = scope
    consent = client.get("/vault/oauth/authorize", params=query)
    assert consent.status_code == 302, consent.text
    code = consent.headers["location"].split("code=", 1)[1].split("&", 1)[0]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": "app",
        "redirect_uri": "https://app.test/cb",
    }
    return token(client, form)


def test_the_journal_keeps_no_client_secret_and_no_issued_token(client: TestClient) -> None:
    issued = token(client, CLIENT)
    journal = client.get("/_twin/sessions/default/journal").json()
    recorded = str(journal)
    assert "s3cret" not in recorded
    assert issued["access_token"] not in recorded
    entry = next(e for e in journal if e["path"].endswith("/oauth/token"))
    assert "client_secret=[redacted]" in entry["request"]["body"]
    assert entry["response"]["body"]["access_token"] == "[redacted]"
