"""Authentication of twin requests: who calls, whether the credential is valid, what it may do.

    credentials.py   the credential a request carries for one security scheme
    presence.py      `check_security`: are the credentials an operation asks for there at all
    verdict.py       pass, 401 or 403 for one operation, given a judge of credentials
    judge.py         a credential judged in a session: issued token, registered, or any
    registry.py      what sessions registered and twins issued, kept in the store
    stage.py         `AuthStage`, the first stage of every request
    oauth/           the OAuth 2.0 endpoints a spec declares: token and consent

By default any well-formed credential is accepted; a session can register the valid ones
(then only those, and the tokens its twins issued, pass), give them scopes, and let one select
the session for requests that name none.
"""

from twins.auth.presence import check_security, credential_present

__all__ = ["check_security", "credential_present"]
