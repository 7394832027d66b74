"""Whether a request carries the credentials its operation's `security` asks for, at all.

Presence only: any well-formed credential passes. An operation lists alternatives; one
alternative is met when every scheme in it is present. The authentication stage goes further
(registered credentials, issued tokens, scopes); this is the check without a session.
"""

from __future__ import annotations

from collections.abc import Mapping

from twins.auth.credentials import Credential, Sent, describe, read_credential
from twins.errors import Unauthorized
from twins.spec.model import Operation, SecurityScheme


def credential_present(
    scheme: SecurityScheme,
    headers: Mapping[str, str],
    query: Mapping[str, object],
    cookies: Mapping[str, str],
) -> bool:
    """True when a well-formed credential for `scheme` is in the request (always for schemes
    HTTP cannot check, such as mutualTLS)."""
    if scheme.type not in ("apiKey", "http", "oauth2", "openIdConnect"):
        return True
    if scheme.type == "apiKey" and scheme.location == "query":
        return bool(query.get(scheme.parameter_name or ""))
    if scheme.type == "apiKey" and scheme.location == "cookie":
        return bool(cookies.get(scheme.parameter_name or ""))
    return isinstance(read_credential(scheme, Sent(headers, b"")), Credential)


def check_security(
    operation: Operation,
    schemes: Mapping[str, SecurityScheme],
    headers: Mapping[str, str],
    query: Mapping[str, object],
    cookies: Mapping[str, str],
) -> None:
    """Raise Unauthorized unless one of the operation's security alternatives is met."""
    if not operation.security:
        return
    for alternative in operation.security:
        if all(
            name not in schemes or credential_present(schemes[name], headers, query, cookies)
            for name in alternative
        ):
            return
    raise Unauthorized(missing_message(operation, schemes))


def missing_message(operation: Operation, schemes: Mapping[str, SecurityScheme]) -> str:
    """`missing credentials: this operation needs ...` (vendor packs key on the prefix)."""
    wanted = " or ".join(
        " + ".join(describe(schemes.get(name), name) for name in alternative) or "nothing"
        for alternative in operation.security
    )
    return f"missing credentials: this operation needs {wanted}"
