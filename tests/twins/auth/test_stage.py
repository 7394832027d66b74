"""The authentication stage, through the whole server: what passes, what is refused, how."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from tests.twins.auth.conftest import NOTES, bearer, register
from twins.app import TwinServer
from twins.behaviour.call import Reply
from twins.exchange import Exchange, Stage
from twins.server import build_server

KEY = {"X-Vault-Key": "vk_live_1234"}


def basic(user: str, password: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


@pytest.mark.parametrize(
    "headers",
    [bearer("anything-at-all"), KEY],
    ids=["bearer token", "api key"],
)
def test_any_well_formed_credential_is_accepted_by_default(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert client.get(NOTES, headers=headers).status_code == 200


def test_a_request_without_credentials_is_refused_with_401(client: TestClient) -> None:
    reply = client.get(NOTES)
    assert reply.status_code == 401
    assert "missing credentials" in reply.json()["fault"]["message"]
    assert reply.headers["www-authenticate"].startswith("Bearer")


def test_refusals_come_in_the_specs_own_error_schema(client: TestClient) -> None:
    reply = client.get(NOTES)
    body = reply.json()
    assert set(body) == {"fault"}  # the spec's Fault, not RFC 7807's type/title/status
    assert "type" not in body and "title" not in body


def test_once_a_session_registers_credentials_only_those_pass(client: TestClient) -> None:
    register(client, secret="vk_live_1234")
    assert client.get(NOTES, headers=KEY).status_code == 200
    refused = client.get(NOTES, headers={"X-Vault-Key": "vk_live_9999"})
    assert refused.status_code == 401
    assert "not one session 'default' registered" in refused.json()["fault"]["message"]


def test_registered_credentials_bind_only_their_own_session(client: TestClient) -> None:
    register(client, "alice", secret="alice-key")
    other = {"X-Twin-Session": "bob", "X-Vault-Key": "whatever"}
    assert client.get(NOTES, headers=other).status_code == 200
    refused = client.get(NOTES, headers={"X-Twin-Session": "alice", "X-Vault-Key": "whatever"})
    assert refused.status_code == 401


def test_a_credential_registered_for_another_twin_does_not_bind_this_one(
    vault_spec: Path,
) -> None:
    server = build_server({"vault": vault_spec, "bookshop": OWN_SPECS / "bookshop.yaml"})
    with TestClient(server, base_url="http://twin.test") as client:
        register(client, secret="shop-key", twin="bookshop")
        assert client.get("/bookshop/v1/books", headers=bearer("guess")).status_code == 401
        assert client.get("/bookshop/v1/books", headers=bearer("shop-key")).status_code == 200
        assert client.get(NOTES, headers={"X-Vault-Key": "guess"}).status_code == 200


def test_an_unknown_twin_in_a_registration_is_a_422(client: TestClient) -> None:
    reply = client.post("/_twin/sessions/default/credentials", json={"secret": "k", "twin": "nope"})
    assert reply.status_code == 422
    assert "no twin named 'nope'" in reply.text


def test_a_credential_can_select_the_session_of_requests_that_name_none(
    client: TestClient,
) -> None:
    register(client, "tenant-a", secret="key-of-a", selects_session=True)
    created = client.post(NOTES, json={"text": "in tenant a"}, headers={"X-Vault-Key": "key-of-a"})
    assert created.status_code == 201
    in_a = client.get(NOTES, headers={"X-Twin-Session": "tenant-a", "X-Vault-Key": "key-of-a"})
    assert [note["text"] for note in in_a.json()] == ["in tenant a"]
    in_default = client.get(NOTES, headers={"X-Vault-Key": "someone-else"})
    assert in_default.json() == []


def test_a_session_named_by_the_request_wins_over_the_credentials_choice(
    client: TestClient,
) -> None:
    register(client, "tenant-a", secret="key-of-a", selects_session=True)
    headers = {"X-Twin-Session": "tenant-b", "X-Vault-Key": "key-of-a"}
    client.post(NOTES, json={"text": "in tenant b"}, headers=headers)
    listed = client.get(NOTES, headers={"X-Twin-Session": "tenant-a", "X-Vault-Key": "key-of-a"})
    assert listed.json() == []


def test_a_read_is_not_answered_from_cache_once_a_credential_selects_another_session(
    client: TestClient,
) -> None:
    headers = {"X-Vault-Key": "key-of-a"}
    assert client.get(NOTES, headers=headers).json() == []  # cached for "default"
    register(client, "tenant-a", secret="key-of-a", selects_session=True)
    client.post(NOTES, json={"text": "a"}, headers=headers)
    assert [note["text"] for note in client.get(NOTES, headers=headers).json()] == ["a"]


def test_a_credential_selects_only_one_session(client: TestClient) -> None:
    register(client, "tenant-a", secret="shared", selects_session=True)
    reply = client.post(
        "/_twin/sessions/tenant-b/credentials",
        json={"secret": "shared", "selects_session": True},
    )
    assert reply.status_code == 409
    assert "already selects session 'tenant-a'" in reply.text


def test_a_reset_forgets_the_sessions_credentials(client: TestClient) -> None:
    register(client, secret="vk_live_1234")
    assert client.get(NOTES, headers={"X-Vault-Key": "other"}).status_code == 401
    assert client.post("/_twin/sessions/default/reset").status_code == 200
    assert client.get(NOTES, headers={"X-Vault-Key": "other"}).status_code == 200


def test_a_missing_scope_is_a_403_in_the_vendor_format(client: TestClient) -> None:
    register(client, secret="reader", scopes=["notes:read"])
    headers = bearer("reader")
    assert client.get(NOTES, headers=headers).status_code == 200
    refused = client.post(NOTES, json={"text": "x"}, headers=headers)
    assert refused.status_code == 403
    assert "notes:write" in refused.json()["fault"]["message"]


def test_another_alternative_without_scopes_still_lets_the_request_through(
    client: TestClient,
) -> None:
    register(client, secret="reader", scopes=["notes:read"])
    register(client, secret="vk_admin")
    headers = {**bearer("reader"), "X-Vault-Key": "vk_admin"}
    assert client.post(NOTES, json={"text": "x"}, headers=headers).status_code == 201


def test_credentials_are_checked_before_the_request_is_validated(client: TestClient) -> None:
    register(client, secret="vk_live_1234")
    broken = {"text": 42}  # not a string: a 400 for a caller who may call
    assert client.post(NOTES, json=broken, headers=KEY).status_code == 400
    assert client.post(NOTES, json=broken, headers={"X-Vault-Key": "no"}).status_code == 401


@pytest.mark.parametrize(
    "authorization",
    ["Basic !!!not-base64", "Basic " + base64.b64encode(b"no-colon").decode()],
    ids=["not base64", "no colon"],
)
def test_a_malformed_basic_credential_is_a_401(client: TestClient, authorization: str) -> None:
    reply = client.get("/vault/v1/archive", headers={"Authorization": authorization})
    assert reply.status_code == 401
    assert "malformed credentials" in reply.text


def test_basic_credentials_are_matched_as_user_and_password(client: TestClient) -> None:
    register(client, username="ada", password="lovelace")
    assert client.get("/vault/v1/archive", headers=basic("ada", "lovelace")).status_code == 200
    assert client.get("/vault/v1/archive", headers=basic("ada", "babbage")).status_code == 401


def test_an_api_key_sent_as_a_basic_user_name_matches_the_key(client: TestClient) -> None:
    register(client, secret="sk_test_123")
    assert client.get("/vault/v1/archive", headers=basic("sk_test_123", "")).status_code == 200


def test_an_operation_without_security_takes_any_request(client: TestClient) -> None:
    register(client, secret="vk_live_1234")
    assert client.get("/vault/v1/status").status_code == 200
    assert client.get("/vault/v1/status", headers={"X-Vault-Key": "junk"}).status_code == 200


def test_optional_authentication_passes_without_credentials_but_not_with_refused_ones(
    client: TestClient,
) -> None:
    register(client, secret="vk_live_1234")
    assert client.get("/vault/v1/feed").status_code == 200
    assert client.get("/vault/v1/feed", headers=KEY).status_code == 200
    assert client.get("/vault/v1/feed", headers={"X-Vault-Key": "junk"}).status_code == 401


class Recorder(Stage):
    """Notes the credential each request reached it with."""

    name = "recorder"

    def __init__(self) -> None:
        self.seen: list[str | None] = []

    def before(self, exchange: Exchange) -> Reply | None:
        self.seen.append(exchange.credential)
        return None


def test_the_credential_used_is_handed_to_later_stages(
    client: TestClient, server: TwinServer
) -> None:
    recorder = Recorder()
    server.stages.append(recorder)
    client.post(NOTES, json={"text": "x"}, headers=KEY)
    client.get("/vault/v1/status")
    assert recorder.seen == ["vk_live_1234", None]
