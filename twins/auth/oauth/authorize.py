"""The consent step (RFC 6749 4.1.1 and 4.2.1), approved at once: no page, no user, a redirect.

    GET <authorizationUrl>?response_type=code&client_id=..&redirect_uri=..&scope=..&state=..
    -> 302 Location: <redirect_uri>?code=...&state=...

`response_type=token` (an implicit flow, where the spec declares one) redirects with the token
in the fragment instead. Until the redirect URI is known to be the client's, errors are answered
to the caller (400, JSON), never redirected (RFC 6749 4.1.2.1); after, they go to the redirect
URI as `error=...&error_description=...`.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit, urlunsplit

from twins.auth.oauth.clients import Caller, granted_scopes, known_client, parse_scope
from twins.auth.oauth.endpoints import OAuthSpec
from twins.auth.oauth.issuer import Issuer
from twins.auth.oauth.wire import NO_STORE, OAuthError, OAuthRequest, invalid_request
from twins.auth.registry import AuthRegistry
from twins.behaviour.call import Reply

CHALLENGE_METHODS = ("plain", "S256")
# RFC 7636 4.1/4.2: 43-128 unreserved characters
_PKCE_VALUE = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")


def approve(request: OAuthRequest, oauth: OAuthSpec, registry: AuthRegistry, twin: str) -> Reply:
    """The redirect that approves the request (or says why not); raises `OAuthError` for what
    must not be redirected."""
    params = request.params()
    client_id = params.get("client_id")
    if not client_id:
        raise invalid_request("the parameter 'client_id' is required")
    try:
        caller = known_client(registry, request.session, twin, client_id)
    except OAuthError as error:  # shown to the caller, not redirected: the client is unknown
        raise invalid_request(error.description) from None
    redirect = _redirect_uri(caller, params.get("redirect_uri"))
    state = params.get("state")
    try:
        return _approved(request, oauth, registry, twin, client_id, caller, params, redirect)
    except OAuthError as error:
        fields = {"error": error.code, "error_description": error.description}
        return _redirect(redirect, fields, state, fragment=params.get("response_type") == "token")


def _approved(
    request: OAuthRequest,
    oauth: OAuthSpec,
    registry: AuthRegistry,
    twin: str,
    client_id: str,
    caller: Caller,
    params: dict[str, str],
    redirect: str,
) -> Reply:
    response_type = params.get("response_type")
    if response_type not in oauth.response_types:
        served = ", ".join(sorted(oauth.response_types)) or "none"
        raise OAuthError(
            "unsupported_response_type",
            f"response_type {response_type!r} is not a flow of this spec (it has {served})",
        )
    scopes = granted_scopes(parse_scope(params.get("scope")), oauth, caller)
    issuer = Issuer(registry, request.session, twin, request.seed, request.now)
    state = params.get("state")
    if response_type == "token":
        tokens = issuer.tokens(
            client_id=client_id,
            scopes=scopes,
            lifetime=caller.token_lifetime,
            grant="implicit",
            refresh=False,
        )
        return _redirect(redirect, {k: str(v) for k, v in tokens.items()}, state, fragment=True)
    challenge, method = _challenge(params)
    code = issuer.code(
        client_id=client_id,
        redirect_uri=params.get("redirect_uri"),
        scopes=scopes,
        code_challenge=challenge,
        challenge_method=method,
    )
    return _redirect(redirect, {"code": code}, state, fragment=False)


def _redirect_uri(caller: Caller, sent: str | None) -> str:
    """Where to send the user back: the URI sent, which must be one the client registered."""
    registered = caller.registered.redirect_uris if caller.registered else ()
    if sent is None:
        if len(registered) == 1:
            return registered[0]
        raise invalid_request(
            "the parameter 'redirect_uri' is required"
            + (": the client registered several" if registered else "")
        )
    if registered and sent not in registered:
        raise invalid_request(f"redirect_uri {sent!r} is not one the client registered")
    if not (sent.isascii() and sent.isprintable()):
        # It becomes the Location header: a control character would make the server drop
        # the reply, and a URI (RFC 3986) is printable ASCII anyway.
        raise invalid_request(f"redirect_uri {sent!r} holds characters a URI cannot")
    parts = urlsplit(sent)
    if not parts.scheme or parts.fragment or not (parts.netloc or parts.path):
        raise invalid_request(f"redirect_uri {sent!r} must be an absolute URI without a fragment")
    return sent


def _challenge(params: dict[str, str]) -> tuple[str | None, str | None]:
    challenge = params.get("code_challenge")
    if challenge is None:
        return None, None
    method = params.get("code_challenge_method", "plain")
    if method not in CHALLENGE_METHODS:
        raise invalid_request(f"code_challenge_method must be plain or S256, not {method!r}")
    if not _PKCE_VALUE.match(challenge):
        raise invalid_request("code_challenge must be 43-128 unreserved characters (RFC 7636)")
    return challenge, method


def _redirect(uri: str, fields: dict[str, str], state: str | None, *, fragment: bool) -> Reply:
    if state is not None:
        fields = {**fields, "state": state}
    parts = urlsplit(uri)
    if fragment:
        location = urlunsplit(parts._replace(fragment=urlencode(fields)))
    else:
        query = f"{parts.query}&{urlencode(fields)}" if parts.query else urlencode(fields)
        location = urlunsplit(parts._replace(query=query))
    return Reply(302, None, None, [("Location", location), *NO_STORE])
