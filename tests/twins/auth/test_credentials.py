"""Reading the credential a request carries for one security scheme."""

from __future__ import annotations

import base64

import pytest

from twins.auth.credentials import MAX_SECRET_CHARS, Credential, Malformed, Sent, read_credential
from twins.spec.model import SecurityScheme

HEADER_KEY = SecurityScheme("k", "apiKey", location="header", parameter_name="X-Api-Key")
QUERY_KEY = SecurityScheme("q", "apiKey", location="query", parameter_name="api_key")
COOKIE_KEY = SecurityScheme("c", "apiKey", location="cookie", parameter_name="session")
BEARER = SecurityScheme("b", "http", scheme="bearer")
BASIC = SecurityScheme("basic", "http", scheme="basic")
OAUTH = SecurityScheme("o", "oauth2")
MTLS = SecurityScheme("m", "mutualTLS")


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("scheme", "headers", "query", "secret"),
    [
        (HEADER_KEY, {"x-api-key": " k1 "}, b"", "k1"),
        (QUERY_KEY, {}, b"api_key=k2&x=1", "k2"),
        (COOKIE_KEY, {"cookie": "a=1; session=k3"}, b"", "k3"),
        (BEARER, {"authorization": "Bearer t1"}, b"", "t1"),
        (BEARER, {"authorization": "bearer  t2 "}, b"", "t2"),
        (OAUTH, {"authorization": "Bearer t3"}, b"", "t3"),
        (BASIC, {"authorization": f"Basic {b64('ada:pw')}"}, b"", "ada:pw"),
    ],
)
def test_a_credential_is_read_where_its_scheme_puts_it(
    scheme: SecurityScheme, headers: dict[str, str], query: bytes, secret: str
) -> None:
    assert read_credential(scheme, Sent(headers, query)) == Credential(scheme, secret)


@pytest.mark.parametrize(
    ("scheme", "headers", "query"),
    [
        (HEADER_KEY, {}, b""),
        (HEADER_KEY, {"x-api-key": "  "}, b""),
        (QUERY_KEY, {}, b"api_key="),
        (BEARER, {"authorization": "Basic abc"}, b""),
        (BEARER, {"authorization": "Bearer"}, b""),
        (BASIC, {"authorization": "Bearer t"}, b""),
        (MTLS, {"authorization": "Bearer t"}, b""),
    ],
)
def test_no_credential_is_read_where_none_was_sent(
    scheme: SecurityScheme, headers: dict[str, str], query: bytes
) -> None:
    assert read_credential(scheme, Sent(headers, query)) is None


@pytest.mark.parametrize(
    "value",
    ["Basic !!!", f"Basic {b64('no colon')}", "Basic " + base64.b64encode(b"\xff:x").decode()],
)
def test_an_unreadable_basic_credential_is_malformed(value: str) -> None:
    found = read_credential(BASIC, Sent({"authorization": value}, b""))
    assert isinstance(found, Malformed)


def test_an_oversized_credential_is_malformed() -> None:
    found = read_credential(HEADER_KEY, Sent({"x-api-key": "k" * (MAX_SECRET_CHARS + 1)}, b""))
    assert isinstance(found, Malformed)
    assert str(MAX_SECRET_CHARS) in found.reason
