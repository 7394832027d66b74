"""Which OAuth client is asking, and which scopes it may be granted.

By default any client is welcome: a non-empty client_id (and a secret where the grant needs
one). Once a session registers clients for a twin, only those may ask, with their own secret,
redirect URIs and scopes.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass

from twins.auth.oauth.endpoints import OAuthSpec
from twins.auth.oauth.issuer import DEFAULT_TOKEN_LIFETIME
from twins.auth.oauth.wire import ClientCredentials, OAuthError, invalid_client, invalid_request
from twins.auth.records import Client, fingerprint
from twins.auth.registry import AuthRegistry

MAX_SCOPES = 100
# RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
SCOPE_TOKEN = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]+$")


@dataclass(frozen=True)
class Caller:
    """The client of one request: its id (None when it gave none) and its registration."""

    client_id: str | None
    registered: Client | None

    @property
    def token_lifetime(self) -> int:
        return self.registered.token_lifetime if self.registered else DEFAULT_TOKEN_LIFETIME


def identify(
    registry: AuthRegistry,
    session: str,
    twin: str,
    sent: ClientCredentials,
    *,
    needs_secret: bool,
) -> Caller:
    """The client a token request comes from; raises `invalid_client` when it cannot be."""
    if sent.client_id is None:
        if needs_secret:
            raise invalid_client("no client credentials: send client_id and client_secret")
        return Caller(None, None)
    return registered_client(registry, session, twin, sent.client_id, sent.secret, needs_secret)


def registered_client(
    registry: AuthRegistry,
    session: str,
    twin: str,
    client_id: str,
    secret: str | None,
    needs_secret: bool,
) -> Caller:
    """The client, authenticated by its secret where it has one (or the grant needs one)."""
    caller = known_client(registry, session, twin, client_id)
    client = caller.registered
    if client is None:
        if needs_secret and not secret:
            raise invalid_client("no client_secret")
        return caller
    if client.secret_id is not None:
        if secret is None:
            raise invalid_client(f"client {client_id!r} must authenticate with its secret")
        if not hmac.compare_digest(fingerprint(secret), client.secret_id):
            raise invalid_client(f"wrong client_secret for client {client_id!r}")
    elif needs_secret:
        raise OAuthError("unauthorized_client", f"client {client_id!r} is public: it has no secret")
    return caller


def known_client(registry: AuthRegistry, session: str, twin: str, client_id: str) -> Caller:
    """The client by its id alone (the consent step): any id, unless the session registered
    clients for the twin; then one of those."""
    if not registry.has_clients(session, twin):
        return Caller(client_id, None)
    client = registry.client(session, client_id)
    if client is None or not client.applies_to(twin):
        raise invalid_client(f"no client {client_id!r} is registered in session {session!r}")
    return Caller(client_id, client)


def parse_scope(value: str | None) -> tuple[str, ...] | None:
    """A `scope` parameter as distinct scope tokens in order; None when none was sent."""
    if value is None or not value.strip():
        return None
    tokens = value.split()
    if len(tokens) > MAX_SCOPES:
        raise OAuthError("invalid_scope", f"{len(tokens)} scopes; at most {MAX_SCOPES}")
    for token in tokens:
        if not SCOPE_TOKEN.match(token):
            raise OAuthError("invalid_scope", f"{token!r} is not a scope token (RFC 6749 3.3)")
    return tuple(dict.fromkeys(tokens))


def granted_scopes(
    requested: tuple[str, ...] | None, oauth: OAuthSpec, caller: Caller
) -> tuple[str, ...]:
    """What a grant gives: the scopes asked for, if the spec declares them and the client may
    have them; with none asked for, all the client may have (all the spec declares)."""
    allowed = caller.registered.scopes if caller.registered else None
    if requested is None:
        if allowed is not None:
            return allowed
        return tuple(sorted(oauth.scopes)) if oauth.scopes is not None else ()
    undeclared = oauth.undeclared(requested)
    if undeclared:
        raise OAuthError("invalid_scope", f"the spec declares no scope {', '.join(undeclared)}")
    if allowed is not None:
        denied = [scope for scope in requested if scope not in allowed]
        if denied:
            raise OAuthError(
                "invalid_scope", f"client {caller.client_id!r} may not have {', '.join(denied)}"
            )
    return requested


def require(params: dict[str, str], name: str) -> str:
    value = params.get(name)
    if not value:
        raise invalid_request(f"the parameter {name!r} is required")
    return value
