"""The consent step, approved at once: an authorization code flow through a real server."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from tests.serving import Served, serve
from tests.twins.auth.conftest import AUTHORIZE_PATH, NOTES, TOKEN_PATH, VAULT_SPEC, bearer
from twins.server import build_server

REDIRECT = "https://app.test/callback"
VERIFIER = "v" * 43 + "-erifier._~"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("vault")
    spec = folder / "vault.json"
    spec.write_text(json.dumps(VAULT_SPEC))
    with serve([f"vault={spec}", "--db", "memory"], folder / "serve.log") as running:
        yield running


def consent(http: httpx.Client, **params: str) -> httpx.Response:
    query = {"response_type": "code", "client_id": "app", "redirect_uri": REDIRECT, **params}
    return http.get(AUTHORIZE_PATH, params=query)


def redirected(reply: httpx.Response) -> dict[str, str]:
    """The parameters a redirect hands back, after checking it goes where it was asked to."""
    assert reply.status_code == 302, reply.text
    location = urlsplit(reply.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    return {key: values[0] for key, values in parse_qs(location.query or location.fragment).items()}


def test_an_authorization_code_flow_runs_end_to_end_over_http(served: Served) -> None:
    with httpx.Client(base_url=served.url, follow_redirects=False) as http:
        back = redirected(consent(http, state="xyz", scope="notes:read"))
        assert back["state"] == "xyz"
        form = {
            "grant_type": "authorization_code",
            "code": back["code"],
            "redirect_uri": REDIRECT,
            "client_id": "app",
        }
        issued = http.post(TOKEN_PATH, data=form)
        assert issued.status_code == 200, issued.text
        tokens = issued.json()
        assert tokens["scope"] == "notes:read"
        assert tokens["refresh_token"]
        headers = bearer(tokens["access_token"])
        assert http.get(NOTES, headers=headers).status_code == 200
        assert http.post(NOTES, json={"text": "hi"}, headers=headers).status_code == 403


def test_a_code_is_good_once_and_its_reuse_revokes_what_it_gave(served: Served) -> None:
    with httpx.Client(base_url=served.url, follow_redirects=False) as http:
        code = redirected(consent(http))["code"]
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
        first = http.post(TOKEN_PATH, data=form)
        assert first.status_code == 200
        again = http.post(TOKEN_PATH, data=form)
        assert again.status_code == 400
        assert again.json()["error"] == "invalid_grant"
        revoked = http.get(NOTES, headers=bearer(first.json()["access_token"]))
        assert revoked.status_code == 401


def test_the_token_request_must_repeat_the_redirect_uri(client: TestClient) -> None:
    code = redirected(client.get(AUTHORIZE_PATH, params=_query()))["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": "https://evil.test"}
    reply = client.post(TOKEN_PATH, data=form)
    assert reply.json()["error"] == "invalid_grant"


def test_pkce_binds_the_code_to_the_verifier(client: TestClient) -> None:
    digest = hashlib.sha256(VERIFIER.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    query = {**_query(), "code_challenge": challenge, "code_challenge_method": "S256"}
    code = redirected(client.get(AUTHORIZE_PATH, params=query))["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    wrong = client.post(TOKEN_PATH, data={**form, "code_verifier": "w" * 43})
    assert wrong.json()["error"] == "invalid_grant"
    code = redirected(client.get(AUTHORIZE_PATH, params=query))["code"]
    right = client.post(TOKEN_PATH, data={**form, "code": code, "code_verifier": VERIFIER})
    assert right.status_code == 200, right.text


def test_a_code_expires_on_the_session_clock(client: TestClient) -> None:
    client.post("/_twin/sessions/default/clock", json={"frozen_at": 1_700_000_000})
    code = redirected(client.get(AUTHORIZE_PATH, params=_query()))["code"]
    client.post("/_twin/sessions/default/clock", json={"advance": 601})
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    reply = client.post(TOKEN_PATH, data=form)
    assert reply.json()["error"] == "invalid_grant"
    assert "expired" in reply.json()["error_description"]


def test_a_registered_client_may_only_be_sent_back_to_its_own_uris(client: TestClient) -> None:
    client.post(
        "/_twin/sessions/default/oauth/clients",
        json={"client_id": "app", "client_secret": "s3cret", "redirect_uris": [REDIRECT]},
    )
    elsewhere = client.get(AUTHORIZE_PATH, params={**_query(), "redirect_uri": "https://evil.test"})
    assert elsewhere.status_code == 400  # shown, never redirected (RFC 6749 4.1.2.1)
    assert elsewhere.json()["error"] == "invalid_request"
    omitted = {"response_type": "code", "client_id": "app"}
    assert "code" in redirected(client.get(AUTHORIZE_PATH, params=omitted))


def test_a_confidential_client_must_authenticate_to_redeem_its_code(client: TestClient) -> None:
    client.post(
        "/_twin/sessions/default/oauth/clients",
        json={"client_id": "app", "client_secret": "s3cret", "redirect_uris": [REDIRECT]},
    )
    code = redirected(client.get(AUTHORIZE_PATH, params=_query()))["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    anonymous = client.post(TOKEN_PATH, data={**form, "client_id": "app"})
    assert anonymous.status_code == 401
    assert anonymous.json()["error"] == "invalid_client"
    with_secret = client.post(TOKEN_PATH, data=form, auth=("app", "s3cret"))
    assert with_secret.status_code == 200, with_secret.text


def test_an_unknown_client_is_told_so_and_not_redirected(client: TestClient) -> None:
    client.post("/_twin/sessions/default/oauth/clients", json={"client_id": "app"})
    reply = client.get(AUTHORIZE_PATH, params={**_query(), "client_id": "stranger"})
    assert reply.status_code == 400
    assert "stranger" in reply.json()["error_description"]


def test_errors_after_the_redirect_is_known_go_back_to_the_client(client: TestClient) -> None:
    unsupported = redirected(
        client.get(AUTHORIZE_PATH, params={**_query(), "response_type": "token", "state": "s"})
    )
    assert unsupported["error"] == "unsupported_response_type"
    assert unsupported["state"] == "s"
    bad_scope = redirected(client.get(AUTHORIZE_PATH, params={**_query(), "scope": "root"}))
    assert bad_scope["error"] == "invalid_scope"


def test_a_missing_redirect_uri_without_a_registered_client_is_a_400(client: TestClient) -> None:
    reply = client.get(AUTHORIZE_PATH, params={"response_type": "code", "client_id": "app"})
    assert reply.status_code == 400
    assert "redirect_uri" in reply.json()["error_description"]


def test_the_consent_step_is_served_at_a_fixed_control_plane_path_too(client: TestClient) -> None:
    reply = client.get("/_twin/oauth/vault/authorize", params=_query())
    code = redirected(reply)["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    assert client.post("/_twin/oauth/vault/token", data=form).status_code == 200


def test_a_twin_without_oauth_flows_has_no_fixed_oauth_paths() -> None:
    server = build_server({"bookshop": OWN_SPECS / "bookshop.yaml"})
    with TestClient(server, base_url="http://twin.test") as http:
        reply = http.post("/_twin/oauth/bookshop/token", data={"grant_type": "x"})
    assert reply.status_code == 404
    assert "declares no OAuth token flow" in reply.text


def _query() -> dict[str, str]:
    return {"response_type": "code", "client_id": "app", "redirect_uri": REDIRECT}


@pytest.mark.parametrize("path", [AUTHORIZE_PATH, "/_twin/oauth/vault/authorize"])
@pytest.mark.parametrize("uri", ["https://app.test/\x01", "https://app.test/caf\u00e9\u20ac"])
def test_a_redirect_uri_no_location_header_can_carry_is_a_400_not_a_dropped_reply(
    client: TestClient, path: str, uri: str
) -> None:
    reply = client.get(path, params={**_query(), "redirect_uri": uri})
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_request"


def test_a_client_cannot_register_a_redirect_uri_with_control_characters(
    client: TestClient,
) -> None:
    reply = client.post(
        "/_twin/sessions/default/oauth/clients",
        json={"client_id": "app", "redirect_uris": ["https://app.test/\x01"]},
    )
    assert reply.status_code == 422
