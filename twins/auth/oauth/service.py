"""The OAuth endpoints of every twin: which requests they answer, and the answers."""

from __future__ import annotations

from twins.auth.oauth.authorize import approve
from twins.auth.oauth.endpoints import OAuthSpec, oauth_spec
from twins.auth.oauth.token import issue
from twins.auth.oauth.wire import OAuthError, OAuthRequest, error_reply, token_reply
from twins.auth.registry import AuthRegistry
from twins.behaviour.call import Reply
from twins.twin import Twin

ROLES = ("token", "authorize")


class OAuthService:
    def __init__(self, registry: AuthRegistry) -> None:
        self.registry = registry
        self._specs: dict[Twin, OAuthSpec] = {}

    def spec_of(self, twin: Twin) -> OAuthSpec:
        """What `twin`'s spec declares (read once per twin)."""
        found = self._specs.get(twin)
        if found is None:
            found = self._specs[twin] = oauth_spec(twin.spec)
        return found

    def role_of(self, twin: Twin, method: str, path: str) -> str | None:
        """ "token" or "authorize" when (method, path) is one of the twin's OAuth endpoints."""
        return self.spec_of(twin).role_of(method, path)

    def answer(self, role: str, twin: Twin, request: OAuthRequest) -> Reply:
        """The endpoint's answer; OAuth errors become RFC 6749 replies, never exceptions."""
        oauth = self.spec_of(twin)
        try:
            if role == "token":
                body = issue(request, oauth, self.registry, twin.name)
                return token_reply(body, request.headers.get("accept", ""))
            return approve(request, oauth, self.registry, twin.name)
        except OAuthError as error:
            return error_reply(error)
