"""Reading the credential a request carries for one security scheme.

A scheme's credential is absent (None), well formed (`Credential`), or sent but unreadable
(`Malformed`: a Basic value that is not base64 of `user:password`, an absurdly long key).
Nothing here decides whether a credential is valid; that is `verdict.py`'s business.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from twins.request.form import parse_query
from twins.request.styles import parse_cookies
from twins.spec.model import SecurityScheme

MAX_SECRET_CHARS = 4096  # longer than any real key or token; bounds hashing and storage
# Schemes a credential can be read for over plain HTTP (mutualTLS lives below HTTP).
CHECKABLE = frozenset({"apiKey", "http", "oauth2", "openIdConnect"})


@dataclass(frozen=True, slots=True)
class Credential:
    """A well-formed credential: the API key, the bearer token, or `user:password`."""

    scheme: SecurityScheme
    secret: str

    @property
    def is_basic(self) -> bool:
        return self.scheme.type == "http" and self.scheme.scheme == "basic"


@dataclass(frozen=True, slots=True)
class Malformed:
    """A credential was sent for the scheme but cannot be read."""

    scheme: SecurityScheme
    reason: str


class Sent:
    """Where a request may carry credentials: headers (lower-case names), query, cookies.
    The query and cookies are parsed on first use only."""

    def __init__(self, headers: Mapping[str, str], query_string: bytes) -> None:
        self.headers = headers
        self._query_string = query_string

    @cached_property
    def query(self) -> dict[str, list[str]]:
        return parse_query(self._query_string)

    @cached_property
    def cookies(self) -> dict[str, str]:
        return parse_cookies(self.headers.get("cookie", ""))


def read_credential(scheme: SecurityScheme, sent: Sent) -> Credential | Malformed | None:
    """The credential `sent` carries for `scheme`, if any."""
    if scheme.type == "apiKey":
        value = _api_key(scheme, sent)
    elif scheme.type == "http":
        value = _authorization(sent.headers.get("authorization", ""), scheme.scheme or "bearer")
    elif scheme.type in ("oauth2", "openIdConnect"):
        value = _authorization(sent.headers.get("authorization", ""), "bearer")
    else:
        return None
    if value is None:
        return None
    if len(value) > MAX_SECRET_CHARS:
        return Malformed(scheme, f"the credential is over {MAX_SECRET_CHARS} characters")
    if scheme.type == "http" and scheme.scheme == "basic":
        return _basic(scheme, value)
    return Credential(scheme, value)


def describe(scheme: SecurityScheme | None, name: str) -> str:
    """Where a scheme's credential goes, for error messages: `the header 'X-Api-Key'`."""
    if scheme is None:
        return name
    if scheme.type == "apiKey":
        return f"the {scheme.location} {scheme.parameter_name!r}"
    if scheme.type == "http":
        return f"an Authorization: {(scheme.scheme or 'bearer').title()} header"
    return "an Authorization: Bearer token"


def _api_key(scheme: SecurityScheme, sent: Sent) -> str | None:
    name = scheme.parameter_name or ""
    if scheme.location == "query":
        values = sent.query.get(name)
        value = values[0] if values else ""
    elif scheme.location == "cookie":
        value = sent.cookies.get(name, "")
    else:
        value = sent.headers.get(name.lower(), "")
    return value.strip() or None


def _authorization(value: str, expected: str) -> str | None:
    """The credential of an `Authorization: <expected> <credential>` header."""
    kind, _, credential = value.strip().partition(" ")
    credential = credential.strip()
    if not credential or kind.lower() != expected.lower():
        return None
    return credential


def _basic(scheme: SecurityScheme, encoded: str) -> Credential | Malformed:
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return Malformed(scheme, "the Basic credential is not base64 of UTF-8 text")
    if ":" not in decoded:
        return Malformed(scheme, "the Basic credential is not of the form user:password")
    return Credential(scheme, decoded)
