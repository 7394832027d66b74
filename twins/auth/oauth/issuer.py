"""Issuing tokens and authorization codes: opaque secrets drawn from the session's seed.

The n-th secret a twin issues in a session is drawn from `Rng.derive(seed, twin, "oauth", n)`,
so a replayed session hands out the same tokens. They expire on the session clock.
"""

from __future__ import annotations

from typing import Any

from twins.auth.records import AuthorizationCode, IssuedToken, fingerprint
from twins.auth.registry import AuthRegistry
from twins.fake import Rng

DEFAULT_TOKEN_LIFETIME = 3600  # seconds of session clock
CODE_LIFETIME = 600  # RFC 6749 4.1.2: "a maximum authorization code lifetime of 10 minutes"
SECRET_CHARS = 40


class Issuer:
    """Issues for one twin in one session, at the session's time."""

    def __init__(
        self, registry: AuthRegistry, session: str, twin: str, seed: int, now: float
    ) -> None:
        self.registry = registry
        self.session = session
        self.twin = twin
        self.seed = seed
        self.now = now

    def tokens(
        self,
        *,
        client_id: str | None,
        scopes: tuple[str, ...],
        lifetime: int,
        grant: str,
        refresh: bool,
        family: str | None = None,
        subject: str | None = None,
    ) -> dict[str, Any]:
        """Issue an access token (and a refresh token) and answer them as RFC 6749 5.1 does."""
        access, number = self._secret("at")
        family = family or f"{self.twin}:{number}"
        self._save(access, "access", client_id, scopes, lifetime, grant, family, subject)
        answer: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": " ".join(scopes),
        }
        if refresh:
            refresh_token, _ = self._secret("rt")
            self._save(refresh_token, "refresh", client_id, scopes, None, grant, family, subject)
            answer["refresh_token"] = refresh_token
        return answer

    def code(
        self,
        *,
        client_id: str,
        redirect_uri: str | None,
        scopes: tuple[str, ...],
        code_challenge: str | None,
        challenge_method: str | None,
    ) -> str:
        secret, number = self._secret("ac")
        self.registry.save_code(
            self.session,
            AuthorizationCode(
                id=fingerprint(secret),
                twin=self.twin,
                client_id=client_id,
                redirect_uri=redirect_uri,
                scopes=scopes,
                expires_at=self.now + CODE_LIFETIME,
                family=f"{self.twin}:{number}",
                code_challenge=code_challenge,
                challenge_method=challenge_method,
            ),
        )
        return secret

    def _secret(self, prefix: str) -> tuple[str, int]:
        number = self.registry.next_number(self.session, self.twin)
        rng = Rng.derive(self.seed, self.twin, "oauth", number)
        return f"{prefix}_{rng.token(SECRET_CHARS)}", number

    def _save(
        self,
        secret: str,
        kind: str,
        client_id: str | None,
        scopes: tuple[str, ...],
        lifetime: int | None,
        grant: str,
        family: str,
        subject: str | None,
    ) -> None:
        self.registry.save_token(
            self.session,
            IssuedToken(
                id=fingerprint(secret),
                kind=kind,
                twin=self.twin,
                client_id=client_id,
                scopes=scopes,
                issued_at=self.now,
                expires_at=None if lifetime is None else self.now + lifetime,
                grant=grant,
                family=family,
                subject=subject,
            ),
        )
