"""Judging one well-formed credential in a session, for a twin, at the session's time.

a token this twin issued   valid until it expires (session clock) or is revoked; its scopes
a registered credential    valid, with the scopes it was registered with
anything else              valid (every scope) unless the session registered credentials
                           for this twin: then refused
"""

from __future__ import annotations

from datetime import UTC, datetime

from twins.auth.credentials import Credential
from twins.auth.records import IssuedToken
from twins.auth.registry import AuthRegistry
from twins.auth.verdict import Grant, Refusal


class SessionJudge:
    """Judges the credentials of one request (it looks up enforcement once)."""

    def __init__(self, registry: AuthRegistry, session: str, twin: str, now: float) -> None:
        self.registry = registry
        self.session = session
        self.twin = twin
        self.now = now
        self._enforces: bool | None = None

    def __call__(self, credential: Credential) -> Grant | Refusal:
        if self.registry.holds_nothing(self.session):
            return Grant(credential.secret, None)
        if not credential.is_basic:
            token = self.registry.token(self.session, credential.secret)
            if token is not None and token.twin == self.twin:
                return self._token(token, credential.secret)
        if not self.enforces():
            return Grant(credential.secret, None)
        for candidate in candidates(credential):
            registered = self.registry.credential(self.session, candidate)
            if registered is not None and registered.applies_to(self.twin):
                scopes = None if registered.scopes is None else frozenset(registered.scopes)
                return Grant(credential.secret, scopes)
        return Refusal(f"the credential is not one session {self.session!r} registered")

    def enforces(self) -> bool:
        if self._enforces is None:
            self._enforces = self.registry.enforces(self.session, self.twin)
        return self._enforces

    def _token(self, token: IssuedToken, secret: str) -> Grant | Refusal:
        if token.kind != "access":
            return Refusal("a refresh token is not an access token")
        if token.revoked:
            return Refusal("the access token was revoked")
        if token.expires_at is not None and token.expired(self.now):
            return Refusal(f"the access token expired at {iso(token.expires_at)} (session clock)")
        return Grant(secret, frozenset(token.scopes))


def candidates(credential: Credential) -> tuple[str, ...]:
    """The secrets a credential may have been registered as: a Basic `key:` (an API key as the
    user name, no password, as `curl -u sk_test_...:` sends it) matches the key alone."""
    secret = credential.secret
    if credential.is_basic and secret.endswith(":") and len(secret) > 1:
        return (secret, secret[:-1])
    return (secret,)


LAST_SHOWN = 253_402_300_799.0  # 9999-12-31T23:59:59Z: datetime can show no later instant


def iso(epoch: float) -> str:
    # A token issued on a clock near year 9999 expires beyond it: shown as the last second.
    return datetime.fromtimestamp(min(epoch, LAST_SHOWN), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
