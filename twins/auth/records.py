"""What the authentication registry keeps, as typed records and the JSON bodies they are stored as.

Secrets are never stored: a record is keyed by the `fingerprint` of its secret, so the store
(and a state export) holds no usable credential. A record shows a `hint` of it instead.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any


def fingerprint(secret: str) -> str:
    """The id of a secret: a hash, stable across processes (never Python's `hash()`)."""
    return hashlib.blake2b(secret.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def hint(secret: str) -> str:
    """Enough of a secret to recognise it, too little to use it: `sk_t…9xQ2`."""
    if len(secret) <= 8:
        return "…" + secret[-2:] if len(secret) > 4 else "…"
    return f"{secret[:4]}…{secret[-4:]}"


def _scopes(body: dict[str, Any], key: str = "scopes") -> tuple[str, ...] | None:
    value = body.get(key)
    return None if value is None else tuple(str(scope) for scope in value)


@dataclass(frozen=True, slots=True)
class RegisteredCredential:
    """A credential a session declared valid: an API key, a bearer token or `user:password`.

    `scopes` None grants every scope; `twin` None makes it valid for every twin of the session.
    """

    id: str
    hint: str
    twin: str | None
    scopes: tuple[str, ...] | None
    selects_session: bool
    label: str | None = None

    def applies_to(self, twin: str) -> bool:
        return self.twin is None or self.twin == twin

    def body(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "hint": self.hint,
            "twin": self.twin,
            "scopes": None if self.scopes is None else list(self.scopes),
            "selects_session": self.selects_session,
            "label": self.label,
        }

    @classmethod
    def of(cls, body: dict[str, Any]) -> RegisteredCredential:
        return cls(
            id=str(body["id"]),
            hint=str(body.get("hint", "")),
            twin=body.get("twin"),
            scopes=_scopes(body),
            selects_session=bool(body.get("selects_session")),
            label=body.get("label"),
        )


@dataclass(frozen=True, slots=True)
class Client:
    """An OAuth client a session registered. No secret: a public client (PKCE)."""

    client_id: str
    secret_id: str | None  # fingerprint of the client secret
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...] | None  # the most it may be granted; None: any declared scope
    twin: str | None
    token_lifetime: int

    def applies_to(self, twin: str) -> bool:
        return self.twin is None or self.twin == twin

    def body(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "secret_id": self.secret_id,
            "redirect_uris": list(self.redirect_uris),
            "scopes": None if self.scopes is None else list(self.scopes),
            "twin": self.twin,
            "token_lifetime": self.token_lifetime,
        }

    @classmethod
    def of(cls, body: dict[str, Any]) -> Client:
        return cls(
            client_id=str(body["client_id"]),
            secret_id=body.get("secret_id"),
            redirect_uris=tuple(body.get("redirect_uris") or ()),
            scopes=_scopes(body),
            twin=body.get("twin"),
            token_lifetime=int(body["token_lifetime"]),
        )


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """An access or refresh token the twin issued, on the session clock. `family` ties the
    tokens of one grant together (a reused authorization code revokes them all)."""

    id: str
    kind: str  # "access" or "refresh"
    twin: str
    client_id: str | None
    scopes: tuple[str, ...]
    issued_at: float
    expires_at: float | None
    grant: str
    family: str
    revoked: bool = False
    subject: str | None = None  # the resource owner of a password grant

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def body(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "twin": self.twin,
            "client_id": self.client_id,
            "scopes": list(self.scopes),
            "issued_at": self.issued_at,
            "expires_at": self.expires_at,
            "grant": self.grant,
            "family": self.family,
            "revoked": self.revoked,
            "subject": self.subject,
        }

    @classmethod
    def of(cls, body: dict[str, Any]) -> IssuedToken:
        return cls(
            id=str(body["id"]),
            kind=str(body["kind"]),
            twin=str(body["twin"]),
            client_id=body.get("client_id"),
            scopes=_scopes(body) or (),
            issued_at=float(body["issued_at"]),
            expires_at=None if body.get("expires_at") is None else float(body["expires_at"]),
            grant=str(body["grant"]),
            family=str(body["family"]),
            revoked=bool(body.get("revoked")),
            subject=body.get("subject"),
        )


@dataclass(frozen=True, slots=True)
class AuthorizationCode:
    """A code the consent step handed out; good for one token request before `expires_at`."""

    id: str
    twin: str
    client_id: str
    redirect_uri: str | None  # as sent to the consent step; the token request must repeat it
    scopes: tuple[str, ...]
    expires_at: float
    family: str
    code_challenge: str | None = None
    challenge_method: str | None = None
    used: bool = False

    def body(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "twin": self.twin,
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scopes": list(self.scopes),
            "expires_at": self.expires_at,
            "family": self.family,
            "code_challenge": self.code_challenge,
            "challenge_method": self.challenge_method,
            "used": self.used,
        }

    @classmethod
    def of(cls, body: dict[str, Any]) -> AuthorizationCode:
        return cls(
            id=str(body["id"]),
            twin=str(body["twin"]),
            client_id=str(body["client_id"]),
            redirect_uri=body.get("redirect_uri"),
            scopes=_scopes(body) or (),
            expires_at=float(body["expires_at"]),
            family=str(body["family"]),
            code_challenge=body.get("code_challenge"),
            challenge_method=body.get("challenge_method"),
            used=bool(body.get("used")),
        )
