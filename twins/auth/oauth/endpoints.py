"""The OAuth 2.0 endpoints a spec declares, and what each serves.

Every `oauth2` security scheme lists flows; a flow names a `tokenUrl` (client credentials,
authorization code, password), an `authorizationUrl` (authorization code, implicit) and maybe a
`refreshUrl`. Those URLs usually sit on another host (https://github.com/login/oauth/...); the
twin serves them under its own prefix by their path. A relative URL is resolved against the
spec's server URL, as OpenAPI says.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from twins.spec.model import Spec

GRANT_OF_FLOW = {
    "clientCredentials": "client_credentials",
    "authorizationCode": "authorization_code",
    "password": "password",
}
RESPONSE_TYPE_OF_FLOW = {"authorizationCode": "code", "implicit": "token"}
# Flows whose tokens come with a refresh token (RFC 6749 4.4.3: not client credentials).
REFRESHING_FLOWS = frozenset({"authorizationCode", "password"})
_BASE = "http://twin.invalid"


@dataclass(frozen=True)
class OAuthSpec:
    """What the twin serves for OAuth: token and consent paths, grants, scopes."""

    token_paths: frozenset[str]
    authorize_paths: frozenset[str]
    grants: frozenset[str]  # the token endpoint's grant_type values
    response_types: frozenset[str]  # the consent step's response_type values
    scopes: frozenset[str] | None  # every scope the flows declare; None: they declare none

    @property
    def serves(self) -> bool:
        return bool(self.token_paths or self.authorize_paths)

    def role_of(self, method: str, path: str) -> str | None:
        """ "token" or "authorize" for a request to one of the endpoints, else None."""
        if method == "POST" and path in self.token_paths:
            return "token"
        if method in ("GET", "POST") and path in self.authorize_paths:
            return "authorize"
        return None

    def undeclared(self, scopes: tuple[str, ...]) -> list[str]:
        if self.scopes is None:
            return []
        return [scope for scope in scopes if scope not in self.scopes]


def oauth_spec(spec: Spec) -> OAuthSpec:
    token_paths: set[str] = set()
    authorize_paths: set[str] = set()
    grants: set[str] = set()
    response_types: set[str] = set()
    scopes: set[str] = set()
    for scheme in spec.security_schemes.values():
        if scheme.type != "oauth2":
            continue
        for flow_name, flow in scheme.flows.items():
            if not isinstance(flow, dict):
                continue
            declared = flow.get("scopes")
            if isinstance(declared, dict):
                scopes.update(str(scope) for scope in declared)
            token = url_path(flow.get("tokenUrl"), spec.base_path)
            if token is not None and flow_name in GRANT_OF_FLOW:
                token_paths.add(token)
                grants.add(GRANT_OF_FLOW[flow_name])
                if flow_name in REFRESHING_FLOWS:
                    grants.add("refresh_token")
            refresh = url_path(flow.get("refreshUrl"), spec.base_path)
            if refresh is not None:
                token_paths.add(refresh)
                grants.add("refresh_token")
            authorize = url_path(flow.get("authorizationUrl"), spec.base_path)
            if authorize is not None and flow_name in RESPONSE_TYPE_OF_FLOW:
                authorize_paths.add(authorize)
                response_types.add(RESPONSE_TYPE_OF_FLOW[flow_name])
    return OAuthSpec(
        frozenset(token_paths),
        frozenset(authorize_paths),
        frozenset(grants),
        frozenset(response_types),
        frozenset(scopes) if scopes else None,
    )


def url_path(url: object, base_path: str) -> str | None:
    """The path a flow URL is served at: its own path, or resolved against the server URL."""
    if not isinstance(url, str) or not url.strip():
        return None
    try:
        path = urlsplit(urljoin(_BASE + base_path, url.strip())).path
    except ValueError:
        return None
    return path or "/"
