"""The authentication registry: what each session declared valid and what its twins issued.

Kept in the store, under the reserved twin name `_auth` (twin names never start with `_`), so
it survives restarts, is shared by replicas, and goes with a session's state: a reset forgets
it, a snapshot keeps it. Per session:

    credentials   registered API keys, bearer tokens, `user:password`  (key: fingerprint)
    clients       registered OAuth clients                              (key: client_id)
    tokens        access and refresh tokens the twins issued            (key: fingerprint)
    codes         authorization codes of the consent step               (key: fingerprint)

A credential that selects its session is also indexed in a session no request can name
(`GLOBAL_SESSION`), since the request that carries it names no session.
"""

from __future__ import annotations

import threading
from typing import Any

from twins.auth.records import (
    AuthorizationCode,
    Client,
    IssuedToken,
    RegisteredCredential,
    fingerprint,
    hint,
)
from twins.errors import ConfigError
from twins.state import Store

AUTH_TWIN = "_auth"
GLOBAL_SESSION = "dtu:auth"  # ":" is not allowed in a session name: no request reaches it
CREDENTIALS = "credentials"
CLIENTS = "clients"
TOKENS = "tokens"
CODES = "codes"
SELECTORS = "selectors"
MAX_CREDENTIALS = 1000  # per session
MAX_CLIENTS = 100  # per session


class RegistryFull(ConfigError):
    """A session already holds as many credentials or clients as it may."""


class SelectorTaken(ConfigError):
    """The credential already selects another session."""


class AuthRegistry:
    """One per server. The store decides; in-memory hints say when it need not be asked: for
    `affects_reads` always, and for every request when the store is `exclusive` (this process
    makes all its writes, so what it remembers of them is the truth)."""

    def __init__(self, store: Store, *, exclusive: bool = False) -> None:
        self.store = store
        self.exclusive = exclusive
        self._lock = threading.Lock()
        self._active: set[str] = set()  # sessions known to hold credentials or tokens
        self._probed: set[str] = set()  # sessions whose store was looked at for that
        self._selectors: bool | None = None  # whether any credential selects a session

    # -- registered credentials ---------------------------------------------------------

    def register(
        self,
        session: str,
        secret: str,
        *,
        twin: str | None = None,
        scopes: tuple[str, ...] | None = None,
        selects_session: bool = False,
        label: str | None = None,
    ) -> RegisteredCredential:
        """Declare `secret` valid in `session` (replacing an earlier registration of it)."""
        key = fingerprint(secret)
        known = self._get(session, CREDENTIALS, key)
        if known is None and self.store.count(session, AUTH_TWIN, CREDENTIALS) >= MAX_CREDENTIALS:
            raise RegistryFull(f"session {session!r} already has {MAX_CREDENTIALS} credentials")
        if selects_session:
            elsewhere = self.selected_session(secret, twin=None)
            if elsewhere is not None and elsewhere != session:
                raise SelectorTaken(
                    f"this credential already selects session {elsewhere!r}; delete it there first"
                )
        record = RegisteredCredential(key, hint(secret), twin, scopes, selects_session, label)
        self._put(session, CREDENTIALS, key, record.body())
        if selects_session:
            self._put(GLOBAL_SESSION, SELECTORS, key, {"id": key, "session": session})
            self._selectors = True
        elif known is not None and RegisteredCredential.of(known).selects_session:
            self._drop_selector(key, session)
        self._mark_active(session)
        return record

    def credentials(self, session: str) -> list[RegisteredCredential]:
        return [RegisteredCredential.of(b) for _, b in self._list(session, CREDENTIALS)]

    def credential(self, session: str, secret: str) -> RegisteredCredential | None:
        found = self._get(session, CREDENTIALS, fingerprint(secret))
        return None if found is None else RegisteredCredential.of(found)

    def forget_credential(self, session: str, credential_id: str) -> bool:
        """Whether the session had it."""
        found = self._get(session, CREDENTIALS, credential_id)
        if found is None:
            return False
        self.store.delete(session, AUTH_TWIN, CREDENTIALS, credential_id)
        if RegisteredCredential.of(found).selects_session:
            self._drop_selector(credential_id, session)
        return True

    def enforces(self, session: str, twin: str) -> bool:
        """Whether `session` registered credentials for `twin`: then only those are valid."""
        if self.store.count(session, AUTH_TWIN, CREDENTIALS) == 0:
            return False
        return any(credential.applies_to(twin) for credential in self.credentials(session))

    # -- credentials that select a session ----------------------------------------------

    def selected_session(self, secret: str, twin: str | None) -> str | None:
        """The session `secret` was registered to select (for `twin`, when given)."""
        key = fingerprint(secret)
        entry = self._get(GLOBAL_SESSION, SELECTORS, key)
        if entry is None:
            return None
        session = str(entry["session"])
        # The index may outlive a reset of the session it names: the session decides.
        found = self._get(session, CREDENTIALS, key)
        if found is None:
            return None
        credential = RegisteredCredential.of(found)
        if not credential.selects_session or (twin is not None and not credential.applies_to(twin)):
            return None
        return session

    def selectors(self) -> list[dict[str, Any]]:
        """Every credential (by id) that selects a session, with the session it selects."""
        return [dict(body) for _, body in self._list(GLOBAL_SESSION, SELECTORS)]

    def selectors_possible(self) -> bool:
        """Whether a credential might select a session (always, unless this process knows)."""
        return not self.exclusive or self.any_selectors()

    def any_selectors(self) -> bool:
        if self._selectors is None:
            self._selectors = self.store.count(GLOBAL_SESSION, AUTH_TWIN, SELECTORS) > 0
        return self._selectors

    def _drop_selector(self, key: str, session: str) -> None:
        entry = self._get(GLOBAL_SESSION, SELECTORS, key)
        if entry is not None and entry.get("session") == session:
            self.store.delete(GLOBAL_SESSION, AUTH_TWIN, SELECTORS, key)
            self._selectors = None  # looked up again when next needed

    # -- OAuth clients ------------------------------------------------------------------

    def register_client(self, session: str, client: Client) -> Client:
        known = self._get(session, CLIENTS, client.client_id)
        if known is None and self.store.count(session, AUTH_TWIN, CLIENTS) >= MAX_CLIENTS:
            raise RegistryFull(f"session {session!r} already has {MAX_CLIENTS} OAuth clients")
        self._put(session, CLIENTS, client.client_id, client.body())
        return client

    def clients(self, session: str) -> list[Client]:
        return [Client.of(body) for _, body in self._list(session, CLIENTS)]

    def client(self, session: str, client_id: str) -> Client | None:
        found = self._get(session, CLIENTS, client_id)
        return None if found is None else Client.of(found)

    def forget_client(self, session: str, client_id: str) -> bool:
        return self.store.delete(session, AUTH_TWIN, CLIENTS, client_id)

    def has_clients(self, session: str, twin: str) -> bool:
        """Whether `session` registered OAuth clients for `twin`: then only those may ask."""
        if self.store.count(session, AUTH_TWIN, CLIENTS) == 0:
            return False
        return any(client.applies_to(twin) for client in self.clients(session))

    # -- issued tokens and codes --------------------------------------------------------

    def save_token(self, session: str, token: IssuedToken) -> None:
        self._put(session, TOKENS, token.id, token.body())
        self._mark_active(session)

    def token(self, session: str, secret: str) -> IssuedToken | None:
        found = self._get(session, TOKENS, fingerprint(secret))
        return None if found is None else IssuedToken.of(found)

    def tokens(self, session: str) -> list[IssuedToken]:
        return [IssuedToken.of(body) for _, body in self._list(session, TOKENS)]

    def revoke_family(self, session: str, family: str) -> int:
        """Revoke every token of one grant; how many were still live."""
        revoked = 0
        for _, body in self.store.list(session, AUTH_TWIN, TOKENS, filters={"family": family}):
            token = IssuedToken.of(body)
            if not token.revoked:
                self._put(session, TOKENS, token.id, {**token.body(), "revoked": True})
                revoked += 1
        return revoked

    def revoke(self, session: str, token: IssuedToken) -> None:
        self._put(session, TOKENS, token.id, {**token.body(), "revoked": True})

    def save_code(self, session: str, code: AuthorizationCode) -> None:
        self._put(session, CODES, code.id, code.body())

    def code(self, session: str, secret: str) -> AuthorizationCode | None:
        found = self._get(session, CODES, fingerprint(secret))
        return None if found is None else AuthorizationCode.of(found)

    def use_code(self, session: str, code: AuthorizationCode) -> None:
        self._put(session, CODES, code.id, {**code.body(), "used": True})

    def next_number(self, session: str, twin: str) -> int:
        """1, 2, 3, ... per session and twin: what makes each issued secret different."""
        return self.store.next_value(session, AUTH_TWIN, f"issued|{twin}")

    # -- what the reply cache must know -------------------------------------------------

    def affects_reads(self, session: str) -> bool:
        """Whether a GET's answer in `session` may change without its state changing: when a
        credential may select another session, or when credentials are registered or tokens
        issued (they expire on the clock; registrations change without a write to the twin)."""
        return self.any_selectors() or self._holds(session)

    def holds_nothing(self, session: str) -> bool:
        """True when this process knows `session` holds no credentials and no tokens (only
        with an exclusive store): then any well-formed credential passes, no lookup needed."""
        return self.exclusive and not self._holds(session)

    def _holds(self, session: str) -> bool:
        if session not in self._probed:
            held = any(self.store.count(session, AUTH_TWIN, c) for c in (CREDENTIALS, TOKENS))
            with self._lock:
                if held:
                    self._active.add(session)
                self._probed.add(session)
        return session in self._active

    def forget_session(self, session: str) -> None:
        """After a reset (or a fork into it): its records are gone or replaced; so are the
        selectors that named it."""
        with self._lock:
            self._active.discard(session)
            self._probed.discard(session)
        for key, _ in self._selectors_of(session):
            self.store.delete(GLOBAL_SESSION, AUTH_TWIN, SELECTORS, key)
        self._selectors = None

    def _selectors_of(self, session: str) -> list[tuple[str, dict[str, Any]]]:
        page = self.store.list(GLOBAL_SESSION, AUTH_TWIN, SELECTORS, filters={"session": session})
        return [(str(body["id"]), body) for _, body in page]

    def _mark_active(self, session: str) -> None:
        with self._lock:
            self._active.add(session)
            self._probed.add(session)

    # -- the store ----------------------------------------------------------------------

    def _get(self, session: str, collection: str, key: str) -> dict[str, Any] | None:
        found = self.store.get(session, AUTH_TWIN, collection, key)
        return found if isinstance(found, dict) else None

    def _put(self, session: str, collection: str, key: str, body: dict[str, Any]) -> None:
        self.store.put(session, AUTH_TWIN, collection, key, "", body)

    def _list(self, session: str, collection: str) -> list[tuple[int, dict[str, Any]]]:
        return [
            (seq, body)
            for seq, body in self.store.list(session, AUTH_TWIN, collection)
            if isinstance(body, dict)
        ]
