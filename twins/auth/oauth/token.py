"""The token endpoint (RFC 6749 sections 4 and 6): one function per grant type.

client_credentials   the client's own token (no refresh token, RFC 6749 4.4.3)
authorization_code   a code from the consent step, once, before it expires; PKCE checked
password             a resource owner's user:password (the session's registered ones, when
                     it registered any)
refresh_token        a new access token (and a new refresh token: the old one is spent)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from twins.auth.oauth.clients import Caller, granted_scopes, identify, parse_scope, require
from twins.auth.oauth.endpoints import OAuthSpec
from twins.auth.oauth.issuer import Issuer
from twins.auth.oauth.wire import (
    ClientCredentials,
    OAuthError,
    OAuthRequest,
    client_credentials,
    invalid_grant,
    invalid_request,
)
from twins.auth.records import AuthorizationCode
from twins.auth.registry import AuthRegistry

Grant = Callable[["TokenRequest"], dict[str, Any]]


class TokenRequest:
    """One token request, its parameters read, with what answering it needs."""

    def __init__(
        self, request: OAuthRequest, oauth: OAuthSpec, registry: AuthRegistry, twin: str
    ) -> None:
        self.request = request
        self.oauth = oauth
        self.registry = registry
        self.twin = twin
        self.params = request.params()
        self.sent_client = client_credentials(request.headers, self.params)
        self.issuer = Issuer(registry, request.session, twin, request.seed, request.now)

    def caller(self, *, needs_secret: bool) -> Caller:
        return identify(
            self.registry,
            self.request.session,
            self.twin,
            self.sent_client,
            needs_secret=needs_secret,
        )


def issue(
    request: OAuthRequest, oauth: OAuthSpec, registry: AuthRegistry, twin: str
) -> dict[str, Any]:
    """The token response body for `request`; raises `OAuthError`."""
    token_request = TokenRequest(request, oauth, registry, twin)
    grant_type = require(token_request.params, "grant_type")
    if grant_type not in oauth.grants:
        served = ", ".join(sorted(oauth.grants)) or "none"
        raise OAuthError(
            "unsupported_grant_type", f"{grant_type!r} is not a flow of this spec (it has {served})"
        )
    return GRANTS[grant_type](token_request)


def client_credentials_grant(token: TokenRequest) -> dict[str, Any]:
    caller = token.caller(needs_secret=True)
    scopes = granted_scopes(parse_scope(token.params.get("scope")), token.oauth, caller)
    return token.issuer.tokens(
        client_id=caller.client_id,
        scopes=scopes,
        lifetime=caller.token_lifetime,
        grant="client_credentials",
        refresh=False,
    )


def authorization_code_grant(token: TokenRequest) -> dict[str, Any]:
    code = require(token.params, "code")
    session = token.request.session
    record = token.registry.code(session, code)
    if record is None or record.twin != token.twin:
        raise invalid_grant("unknown authorization code")
    if record.used:
        revoked = token.registry.revoke_family(session, record.family)
        raise invalid_grant(
            f"the authorization code was used already; the {revoked} token(s) it gave are revoked"
        )
    if token.request.now >= record.expires_at:
        raise invalid_grant("the authorization code expired (session clock)")
    sent = token.sent_client
    if sent.client_id is not None and sent.client_id != record.client_id:
        raise invalid_grant("the authorization code was issued to another client")
    # A public client names itself by the code alone; a confidential one must authenticate.
    caller = identify(
        token.registry,
        session,
        token.twin,
        ClientCredentials(record.client_id, sent.secret),
        needs_secret=False,
    )
    if record.redirect_uri is not None and token.params.get("redirect_uri") != record.redirect_uri:
        raise invalid_grant("redirect_uri differs from the one the code was requested with")
    _check_verifier(record, token.params.get("code_verifier"))
    token.registry.use_code(session, record)
    return token.issuer.tokens(
        client_id=record.client_id,
        scopes=record.scopes,
        lifetime=caller.token_lifetime,
        grant="authorization_code",
        refresh=True,
        family=record.family,
    )


def password_grant(token: TokenRequest) -> dict[str, Any]:
    username = require(token.params, "username")
    password = require(token.params, "password")
    caller = token.caller(needs_secret=False)
    session = token.request.session
    if token.registry.enforces(session, token.twin):
        registered = token.registry.credential(session, f"{username}:{password}")
        if registered is None or not registered.applies_to(token.twin):
            raise invalid_grant("wrong username or password")
    scopes = granted_scopes(parse_scope(token.params.get("scope")), token.oauth, caller)
    return token.issuer.tokens(
        client_id=caller.client_id,
        scopes=scopes,
        lifetime=caller.token_lifetime,
        grant="password",
        refresh=True,
        subject=username,
    )


def refresh_token_grant(token: TokenRequest) -> dict[str, Any]:
    secret = require(token.params, "refresh_token")
    session = token.request.session
    record = token.registry.token(session, secret)
    if record is None or record.twin != token.twin or record.kind != "refresh":
        raise invalid_grant("unknown refresh token")
    if record.revoked:
        raise invalid_grant("the refresh token was used already or revoked")
    sent_id = token.sent_client.client_id
    if sent_id is not None and record.client_id is not None and sent_id != record.client_id:
        raise invalid_grant("the refresh token was issued to another client")
    caller = token.caller(needs_secret=False)
    requested = parse_scope(token.params.get("scope"))
    if requested is not None:
        wider = [scope for scope in requested if scope not in record.scopes]
        if wider:
            raise OAuthError("invalid_scope", f"the grant did not include {', '.join(wider)}")
    token.registry.revoke(session, record)
    return token.issuer.tokens(
        client_id=record.client_id,
        scopes=requested if requested is not None else record.scopes,
        lifetime=caller.token_lifetime,
        grant="refresh_token",
        refresh=True,
        family=record.family,
        subject=record.subject,
    )


def _check_verifier(record: AuthorizationCode, verifier: str | None) -> None:
    """PKCE (RFC 7636): the verifier must hash to the challenge the consent step was given."""
    if record.code_challenge is None:
        return
    if not verifier:
        raise invalid_request("code_verifier is required: the code was requested with PKCE")
    if record.challenge_method == "S256":
        digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
        computed = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    else:
        computed = verifier
    if not hmac.compare_digest(computed, record.code_challenge):
        raise invalid_grant("code_verifier does not match the code_challenge")


GRANTS: dict[str, Grant] = {
    "client_credentials": client_credentials_grant,
    "authorization_code": authorization_code_grant,
    "password": password_grant,
    "refresh_token": refresh_token_grant,
}
