"""Which OAuth endpoints a spec declares, and the paths the twin serves them at."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import shared_spec
from twins.auth.oauth.endpoints import oauth_spec, url_path
from twins.spec import load_spec


@pytest.mark.parametrize(
    ("url", "base_path", "path"),
    [
        ("https://github.com/login/oauth/access_token", "", "/login/oauth/access_token"),
        ("https://auth.example.com/oauth/token", "/v1", "/oauth/token"),
        ("/api/v1/users/token", "", "/api/v1/users/token"),
        ("/oauth/token", "/v1", "/oauth/token"),
        ("oauth/token", "/api/v1", "/api/oauth/token"),  # RFC 3986: relative to the server URL
        ("https://auth.example.com", "", "/"),
        ("", "", None),
        (None, "", None),
    ],
)
def test_a_flow_url_is_served_at_its_path(url: Any, base_path: str, path: str | None) -> None:
    assert url_path(url, base_path) == path


def _spec(flows: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"securitySchemes": {"o": {"type": "oauth2", "flows": flows}}},
    }


def test_each_declared_flow_becomes_a_grant_of_the_token_endpoint() -> None:
    declared = oauth_spec(
        load_spec(
            _spec(
                {
                    "clientCredentials": {"tokenUrl": "/token", "scopes": {"a": ""}},
                    "password": {"tokenUrl": "/token", "scopes": {"b": ""}},
                    "implicit": {"authorizationUrl": "/authorize", "scopes": {}},
                }
            )
        )
    )
    assert declared.token_paths == {"/token"}
    assert declared.grants == {"client_credentials", "password", "refresh_token"}
    assert declared.response_types == {"token"}
    assert declared.scopes == frozenset({"a", "b"})
    assert declared.role_of("POST", "/token") == "token"
    assert declared.role_of("GET", "/token") is None
    assert declared.role_of("GET", "/authorize") == "authorize"


def test_a_spec_without_oauth_serves_no_oauth_endpoint() -> None:
    declared = oauth_spec(load_spec(_spec({})))
    assert not declared.serves
    assert declared.scopes is None


def test_a_vendors_flows_on_another_host_are_served_by_their_path() -> None:
    declared = oauth_spec(load_spec(shared_spec("apis-guru/googleapis.com_tasks.json")))
    assert declared.token_paths == {"/o/oauth2/token"}
    assert declared.authorize_paths == {"/o/oauth2/auth"}
    assert declared.response_types == {"code", "token"}
