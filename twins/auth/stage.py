"""The authentication stage: first of every request, since vendors answer 401 before 400.

For a routed request it reads the credentials the operation's security alternatives ask for
(headers, query, cookies, as the vendor pack adapts the request), lets a credential registered
to select a session choose the session when the request named none, and judges them in that
session (`judge.py`, `verdict.py`): 401 or 403 in the vendor's error format, or on with
`exchange.credential` set. A request no operation matched may be one for the twin's OAuth
endpoints (`oauth/`), which it answers.
"""

from __future__ import annotations

from twins.auth.credentials import Credential, Sent, read_credential
from twins.auth.judge import SessionJudge, candidates
from twins.auth.oauth.service import OAuthService
from twins.auth.oauth.wire import OAuthRequest
from twins.auth.registry import AuthRegistry
from twins.auth.verdict import decide
from twins.behaviour.call import Reply
from twins.catalog.pack import Pack
from twins.exchange import Exchange, Stage
from twins.request import RawRequest
from twins.sessions import Sessions
from twins.spec.model import Operation


class AuthStage(Stage):
    name = "auth"

    def __init__(self, sessions: Sessions, *, exclusive: bool = False) -> None:
        """`exclusive`: this process makes every write to the store (no replicas, one worker),
        so the registry may trust what it remembers instead of asking the store each time."""
        self.sessions = sessions
        self.registry = AuthRegistry(sessions.store, exclusive=exclusive)
        self.oauth = OAuthService(self.registry)

    def affects_reads(self, session: str, twin: str) -> bool:
        return self.registry.affects_reads(session)

    def before(self, exchange: Exchange) -> Reply | None:
        operation = exchange.operation
        if operation is None:
            return self._oauth(exchange)
        sent = _sent(exchange, operation)
        if not exchange.session_explicit and self.registry.selectors_possible():
            self._select_session(exchange, sent)
        twin = exchange.twin
        judge = SessionJudge(self.registry, exchange.session, twin.name, exchange.now)
        passed = decide(operation, twin.spec.security_schemes, sent, judge)
        exchange.credential = passed.credential
        return None

    def reset(self, session: str) -> None:
        self.registry.forget_session(session)

    def _select_session(self, exchange: Exchange, sent: Sent) -> None:
        """Move the request to the session its credential was registered to select."""
        tried: set[str] = set()
        for scheme in exchange.twin.spec.security_schemes.values():
            found = read_credential(scheme, sent)
            if not isinstance(found, Credential):
                continue
            for secret in candidates(found):
                if secret in tried:
                    continue
                tried.add(secret)
                target = self.registry.selected_session(secret, exchange.twin.name)
                if target is not None:
                    exchange.session = target
                    exchange.seed = self.sessions.seed(target)
                    exchange.now = self.sessions.now(target)
                    exchange.notes["auth"] = {"session_selected_by_credential": target}
                    return

    def _oauth(self, exchange: Exchange) -> Reply | None:
        role = self.oauth.role_of(exchange.twin, exchange.method, exchange.path)
        if role is None:
            return None
        request = OAuthRequest(
            method=exchange.method,
            headers=exchange.headers,
            query_string=exchange.query_string,
            body=exchange.body,
            session=exchange.session,
            seed=exchange.seed,
            now=exchange.now,
        )
        exchange.notes["oauth"] = role
        return self.oauth.answer(role, exchange.twin, request)


def _sent(exchange: Exchange, operation: Operation) -> Sent:
    """Where the credentials are, after the vendor pack's adaptation (Slack takes its token
    as an argument too); the request itself when the pack adapts nothing."""
    pack = exchange.twin.pack
    if type(pack).adapt is Pack.adapt:
        return Sent(exchange.headers, exchange.query_string)
    raw = RawRequest(
        method=exchange.method,
        path_params=exchange.path_params,
        query_string=exchange.query_string,
        headers=[(k.encode("latin-1"), v.encode("latin-1")) for k, v in exchange.headers.items()],
        body=exchange.body,
        content_type=exchange.headers.get("content-type", ""),
    )
    adapted = pack.adapt(raw, operation)
    if adapted is raw:
        return Sent(exchange.headers, exchange.query_string)
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in adapted.headers}
    return Sent(headers, adapted.query_string)
