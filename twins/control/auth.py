"""Authentication: the credentials a session accepts, its OAuth clients, the tokens its twins
issued, which credentials select a session; and each twin's OAuth endpoints at fixed paths,
for specs whose own paths would collide with them.

See `twins.auth` for what a registration changes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import orjson
from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from starlette.concurrency import run_in_threadpool

from twins.app import SESSION_NAME, TwinServer
from twins.auth.credentials import MAX_SECRET_CHARS
from twins.auth.judge import iso
from twins.auth.oauth.clients import SCOPE_TOKEN
from twins.auth.oauth.issuer import DEFAULT_TOKEN_LIFETIME
from twins.auth.oauth.service import OAuthService
from twins.auth.oauth.wire import OAuthRequest
from twins.auth.records import Client, IssuedToken, fingerprint
from twins.auth.registry import AuthRegistry, RegistryFull, SelectorTaken
from twins.auth.stage import AuthStage
from twins.behaviour.call import Reply
from twins.control import common
from twins.control.common import checked_session
from twins.twin import Twin

MAX_SCOPES = 100
MAX_REDIRECT_URIS = 20
MAX_TOKEN_LIFETIME = 366 * 24 * 3600
MAX_OAUTH_BODY = 64 * 1024
Scopes = list[str] | None


class CredentialIn(BaseModel):
    """A valid credential: `secret` (an API key or bearer token), or `username` + `password`
    (HTTP Basic)."""

    model_config = ConfigDict(extra="forbid")

    secret: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_SECRET_CHARS,
        description="The API key or bearer token, as the client sends it.",
    )
    username: str | None = Field(default=None, min_length=1, max_length=1000)
    password: str | None = Field(default=None, max_length=MAX_SECRET_CHARS)
    twin: str | None = Field(default=None, description="Only for this twin (default: every twin).")
    scopes: Scopes = Field(
        default=None,
        max_length=MAX_SCOPES,
        description="The scopes it grants (default: every scope).",
    )
    selects_session: bool = Field(
        default=False,
        description="Requests that carry it and name no session go to this session.",
    )
    label: str | None = Field(default=None, max_length=200, description="A note for people.")

    @model_validator(mode="after")
    def one_form(self) -> CredentialIn:
        if (self.secret is None) == (self.username is None):
            raise ValueError("give either `secret` or `username` (and `password`), not both")
        if self.username is not None and ":" in self.username:
            raise ValueError("a Basic user name cannot contain ':'")
        if self.password is not None and self.username is None:
            raise ValueError("`password` goes with `username`")
        return self

    @field_validator("scopes")
    @classmethod
    def scope_tokens(cls, scopes: Scopes) -> Scopes:
        return _checked_scopes(scopes)

    def value(self) -> str:
        if self.secret is not None:
            return self.secret
        return f"{self.username}:{self.password or ''}"


class ClientIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$")
    client_secret: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_SECRET_CHARS,
        description="None: a public client (it proves itself with PKCE, if at all).",
    )
    redirect_uris: list[str] = Field(default_factory=list, max_length=MAX_REDIRECT_URIS)
    scopes: Scopes = Field(
        default=None,
        max_length=MAX_SCOPES,
        description="The most it may be granted (default: every scope the spec declares).",
    )
    twin: str | None = Field(default=None, description="Only for this twin (default: every twin).")
    token_lifetime: int = Field(
        default=DEFAULT_TOKEN_LIFETIME,
        ge=1,
        le=MAX_TOKEN_LIFETIME,
        description="Seconds of session clock its access tokens live.",
    )

    @field_validator("redirect_uris")
    @classmethod
    def absolute_uris(cls, uris: list[str]) -> list[str]:
        for uri in uris:
            parts = urlsplit(uri)
            printable = uri.isascii() and uri.isprintable()  # it becomes a Location header
            if len(uri) > 2048 or not printable or not parts.scheme or parts.fragment:
                raise ValueError(f"{uri!r} is not an absolute URI without a fragment")
        return uris

    @field_validator("scopes")
    @classmethod
    def scope_tokens(cls, scopes: Scopes) -> Scopes:
        return _checked_scopes(scopes)


def _checked_scopes(scopes: Scopes) -> Scopes:
    for scope in scopes or ():
        if len(scope) > 200 or not SCOPE_TOKEN.match(scope):
            raise ValueError(f"{scope!r} is not a scope token (RFC 6749 3.3)")
    return scopes


def auth_stage(server: TwinServer) -> AuthStage:
    found = next((s for s in server.stages if isinstance(s, AuthStage)), None)
    if found is None:
        raise HTTPException(404, "this server runs without its authentication stage")
    return found


def router_for(server: TwinServer) -> APIRouter:
    api = APIRouter(tags=["authentication"])
    credentials_path = "/_twin/sessions/{session}/credentials"
    clients_path = "/_twin/sessions/{session}/oauth/clients"

    def registry() -> AuthRegistry:
        return auth_stage(server).registry

    def known_twin(name: str | None) -> str | None:
        if name is not None and name not in server.twins:
            raise HTTPException(422, f"no twin named {name!r}; twins: {sorted(server.twins)}")
        return name

    @api.post(credentials_path, status_code=201, summary="Register a valid credential")
    def register(session: str, body: CredentialIn) -> dict[str, Any]:
        checked_session(session)
        try:
            record = registry().register(
                session,
                body.value(),
                twin=known_twin(body.twin),
                scopes=None if body.scopes is None else tuple(body.scopes),
                selects_session=body.selects_session,
                label=body.label,
            )
        except SelectorTaken as error:
            raise HTTPException(409, str(error)) from None
        except RegistryFull as error:
            raise HTTPException(422, str(error)) from None
        return record.body()

    @api.get(credentials_path, summary="The credentials a session registered")
    def credentials(session: str) -> list[dict[str, Any]]:
        return [c.body() for c in registry().credentials(checked_session(session))]

    @api.delete(
        credentials_path + "/{credential_id}", status_code=204, summary="Forget a credential"
    )
    def forget(session: str, credential_id: str) -> Response:
        if not registry().forget_credential(checked_session(session), credential_id):
            raise HTTPException(404, f"session {session!r} has no credential {credential_id!r}")
        return Response(status_code=204)

    @api.get("/_twin/auth/selectors", summary="Credentials that select a session")
    def selectors() -> list[dict[str, Any]]:
        return registry().selectors()

    @api.post(clients_path, status_code=201, summary="Register an OAuth client")
    def register_client(session: str, body: ClientIn) -> dict[str, Any]:
        checked_session(session)
        client = Client(
            client_id=body.client_id,
            secret_id=None if body.client_secret is None else fingerprint(body.client_secret),
            redirect_uris=tuple(body.redirect_uris),
            scopes=None if body.scopes is None else tuple(body.scopes),
            twin=known_twin(body.twin),
            token_lifetime=body.token_lifetime,
        )
        try:
            return _client(registry().register_client(session, client))
        except RegistryFull as error:
            raise HTTPException(422, str(error)) from None

    @api.get(clients_path, summary="The OAuth clients a session registered")
    def clients(session: str) -> list[dict[str, Any]]:
        return [_client(c) for c in registry().clients(checked_session(session))]

    @api.delete(clients_path + "/{client_id}", status_code=204, summary="Forget an OAuth client")
    def forget_client(session: str, client_id: str) -> Response:
        if not registry().forget_client(checked_session(session), client_id):
            raise HTTPException(404, f"session {session!r} has no OAuth client {client_id!r}")
        return Response(status_code=204)

    @api.get("/_twin/sessions/{session}/oauth/tokens", summary="Tokens the twins issued")
    def tokens(session: str) -> list[dict[str, Any]]:
        now = server.sessions.now(checked_session(session))
        return [_token(token, now) for token in registry().tokens(session)]

    async def oauth(role: str, name: str, session: str, request: Request) -> Response:
        twin = common.twin_named(server, name)
        service = auth_stage(server).oauth
        _serves(service, twin, role)
        oauth_request = OAuthRequest(
            method=request.method,
            headers={k.lower(): v for k, v in request.headers.items()},
            query_string=request.url.query.encode("latin-1"),
            body=await _bounded_body(request),
            session=session,
            seed=server.sessions.seed(session),
            now=server.sessions.now(session),
        )
        reply = await run_in_threadpool(service.answer, role, twin, oauth_request)
        return _response(reply)

    def header_session(request: Request) -> str:
        named = request.headers.get("x-twin-session")
        if named is None:
            return "default"
        if not SESSION_NAME.match(named):
            raise HTTPException(
                422, "X-Twin-Session: a session name is 1-128 of A-Z a-z 0-9 . _ ~ -"
            )
        return named

    @api.post("/_twin/oauth/{name}/token", summary="A twin's OAuth token endpoint")
    async def token(name: str, request: Request) -> Response:
        return await oauth("token", name, header_session(request), request)

    consent = "A twin's OAuth consent step (approves at once)"

    @api.get("/_twin/oauth/{name}/authorize", summary=consent)
    @api.post("/_twin/oauth/{name}/authorize", summary=consent)
    async def authorize(name: str, request: Request) -> Response:
        return await oauth("authorize", name, header_session(request), request)

    @api.post("/_twin/sessions/{session}/twins/{name}/oauth/token", summary="Token, in a session")
    async def session_token(session: str, name: str, request: Request) -> Response:
        return await oauth("token", name, checked_session(session), request)

    @api.get(
        "/_twin/sessions/{session}/twins/{name}/oauth/authorize", summary="Consent, in a session"
    )
    @api.post(
        "/_twin/sessions/{session}/twins/{name}/oauth/authorize", summary="Consent, in a session"
    )
    async def session_authorize(session: str, name: str, request: Request) -> Response:
        return await oauth("authorize", name, checked_session(session), request)

    return api


def _serves(service: OAuthService, twin: Twin, role: str) -> None:
    oauth = service.spec_of(twin)
    served = oauth.grants if role == "token" else oauth.response_types
    if not served:
        flows = "token" if role == "token" else "consent (authorization code or implicit)"
        raise HTTPException(404, f"twin {twin.name!r} declares no OAuth {flows} flow")


async def _bounded_body(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_OAUTH_BODY:
            raise HTTPException(413, f"an OAuth request body is at most {MAX_OAUTH_BODY} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _response(reply: Reply) -> Response:
    body = reply.body
    if body is None:
        content = b""
    elif isinstance(body, bytes):
        content = body
    elif isinstance(body, str):
        content = body.encode()
    else:
        content = orjson.dumps(body)
    response = Response(content, status_code=reply.status, media_type=reply.media_type)
    for name, value in reply.headers:
        response.headers.append(name, value)
    return response


def _client(client: Client) -> dict[str, Any]:
    shown = client.body()
    shown["confidential"] = shown.pop("secret_id") is not None
    return shown


def _token(token: IssuedToken, now: float) -> dict[str, Any]:
    shown = token.body()
    shown["live"] = not token.revoked and not token.expired(now)
    if token.expires_at is not None:
        shown["expires"] = iso(token.expires_at)
    return shown
