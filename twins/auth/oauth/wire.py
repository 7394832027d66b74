"""OAuth 2.0 on the wire (RFC 6749): reading a request's parameters and client credentials,
writing token responses and errors.

Parameters come as `application/x-www-form-urlencoded` (the RFC's way), as a JSON object (some
vendors take it), or in the query string (the consent step's GET). A parameter sent twice is an
`invalid_request`, as the RFC says. Errors are `{"error", "error_description"}` with the RFC's
codes; they are not rendered in the spec's error schema, since no operation declares them.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus, urlencode

import orjson

from twins.behaviour.call import Reply
from twins.request.form import parse_pairs

MAX_PARAMS = 64
MAX_VALUE_CHARS = 4096
NO_STORE = [("Cache-Control", "no-store"), ("Pragma", "no-cache")]


class OAuthError(Exception):
    """An RFC 6749 error: `code` is the RFC's (`invalid_grant`, ...)."""

    def __init__(self, code: str, description: str, status: int = 400) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description
        self.status = status


def invalid_request(description: str) -> OAuthError:
    return OAuthError("invalid_request", description)


def invalid_client(description: str) -> OAuthError:
    return OAuthError("invalid_client", description, status=401)


def invalid_grant(description: str) -> OAuthError:
    return OAuthError("invalid_grant", description)


@dataclass(frozen=True)
class OAuthRequest:
    """One request to an OAuth endpoint, however it arrived (a twin's path, the control plane)."""

    method: str
    headers: Mapping[str, str]  # lower-case names
    query_string: bytes
    body: bytes
    session: str
    seed: int
    now: float

    def params(self) -> dict[str, str]:
        """The request's parameters: the body's for a POST, the query's for a GET."""
        if self.method == "GET":
            return _single(parse_pairs(self.query_string))
        media_type = self.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type == "application/json" or media_type.endswith("+json"):
            return _json_params(self.body)
        if self.body and media_type not in ("", "application/x-www-form-urlencoded"):
            raise invalid_request(
                f"the body is {media_type}; send application/x-www-form-urlencoded"
            )
        return _single(parse_pairs(self.body))


@dataclass(frozen=True)
class ClientCredentials:
    """Who the client says it is: by HTTP Basic (RFC 6749 2.3.1) or by body parameters."""

    client_id: str | None
    secret: str | None


def client_credentials(headers: Mapping[str, str], params: Mapping[str, str]) -> ClientCredentials:
    kind, _, encoded = headers.get("authorization", "").strip().partition(" ")
    if kind.lower() == "basic" and encoded.strip():
        client_id, secret = _basic(encoded.strip())
        sent = params.get("client_id")
        if sent is not None and sent != client_id:
            raise invalid_request("client_id in the body differs from the one in Authorization")
        return ClientCredentials(client_id, secret)
    return ClientCredentials(params.get("client_id") or None, params.get("client_secret") or None)


def token_reply(body: dict[str, Any], accept: str) -> Reply:
    """A token response: JSON, or a form when the client accepts only that (GitHub's default)."""
    if "application/x-www-form-urlencoded" in accept and "json" not in accept:
        encoded = urlencode({k: v for k, v in body.items() if v is not None})
        return Reply(200, encoded, "application/x-www-form-urlencoded", list(NO_STORE))
    return Reply(200, body, "application/json", list(NO_STORE))


def error_reply(error: OAuthError) -> Reply:
    headers = list(NO_STORE)
    if error.status == 401:
        headers.append(("WWW-Authenticate", 'Basic realm="oauth"'))
    body = {"error": error.code, "error_description": error.description}
    return Reply(error.status, body, "application/json", headers)


def _basic(encoded: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid_client("the Basic client credentials are not base64 of UTF-8") from None
    client_id, colon, secret = decoded.partition(":")
    if not colon or not client_id:
        raise invalid_client("the Basic client credentials are not client_id:client_secret")
    # RFC 6749 2.3.1: both are form-encoded before they are joined
    return unquote_plus(client_id), unquote_plus(secret)


def _single(pairs: list[tuple[str, str]]) -> dict[str, str]:
    if len(pairs) > MAX_PARAMS:
        raise invalid_request(f"{len(pairs)} parameters; at most {MAX_PARAMS} are read")
    found: dict[str, str] = {}
    for key, value in pairs:
        if key in found:
            raise invalid_request(f"the parameter {key!r} is sent more than once")
        if len(value) > MAX_VALUE_CHARS:
            raise invalid_request(f"the parameter {key!r} is over {MAX_VALUE_CHARS} characters")
        found[key] = value
    return found


def _json_params(body: bytes) -> dict[str, str]:
    try:
        value = orjson.loads(body) if body else {}
    except orjson.JSONDecodeError as error:
        raise invalid_request(f"the body is not JSON: {error}") from None
    if not isinstance(value, dict):
        raise invalid_request("the JSON body must be an object of parameters")
    pairs: list[tuple[str, str]] = []
    for key, item in value.items():
        if item is None:
            continue  # an absent parameter, as JSON writers often send it
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise invalid_request(f"the parameter {key!r} must be a string")
        pairs.append((key, str(item)))
    return _single(pairs)
