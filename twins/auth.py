"""Checking that a request carries the credentials its operation's `security` asks for.

Presence only, in this layer: any well-formed credential is accepted. An operation lists
alternatives; one alternative is met when every scheme in it is present.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping

from twins.errors import Unauthorized
from twins.spec.model import Operation, SecurityScheme


def credential_present(
    scheme: SecurityScheme,
    headers: Mapping[str, str],
    query: Mapping[str, object],
    cookies: Mapping[str, str],
) -> bool:
    if scheme.type == "apiKey":
        name = scheme.parameter_name or ""
        if scheme.location == "query":
            return bool(query.get(name))
        if scheme.location == "cookie":
            return bool(cookies.get(name))
        return bool(headers.get(name.lower()))
    if scheme.type == "http":
        return _authorization_matches(headers.get("authorization", ""), scheme.scheme or "bearer")
    if scheme.type in ("oauth2", "openIdConnect"):
        return _authorization_matches(headers.get("authorization", ""), "bearer")
    return True  # mutualTLS and unknown types cannot be checked over plain HTTP


def _authorization_matches(value: str, expected: str) -> bool:
    kind, _, credential = value.strip().partition(" ")
    if not credential.strip() or kind.lower() != expected.lower():
        return False
    if kind.lower() == "basic":
        try:
            return ":" in base64.b64decode(credential.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return False
    return True


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
    wanted = " or ".join(
        " + ".join(_describe(schemes.get(name), name) for name in alternative) or "nothing"
        for alternative in operation.security
    )
    raise Unauthorized(f"missing credentials: this operation needs {wanted}")


def _describe(scheme: SecurityScheme | None, name: str) -> str:
    if scheme is None:
        return name
    if scheme.type == "apiKey":
        return f"the {scheme.location} {scheme.parameter_name!r}"
    if scheme.type == "http":
        return f"an Authorization: {(scheme.scheme or 'bearer').title()} header"
    return "an Authorization: Bearer token"
