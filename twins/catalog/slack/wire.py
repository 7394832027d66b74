"""Slack's requests as its methods' specs expect them.

Slack takes a method's arguments from the query string, a form body or a JSON body, or a mix,
whatever the verb, and its token from the Authorization header or a `token` argument. Its
clients rely on that: slack_sdk POSTs every method (reads too) as a form, except a few it
sends as JSON (`chat.postMessage` with its blocks), with booleans as "1"/"0".

A spec declares one place for the arguments: query parameters for some methods, a body for
others. `reshape` gathers what was sent and puts it where the operation reads it, with
structured JSON values as the JSON text a form carries and Slack's "1"/"0" as booleans.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import orjson

from twins.catalog.slack.errors import SlackError
from twins.request import RawRequest
from twins.request.bodies import BodyKind, base_media_type, kind_of
from twins.request.form import parse_pairs
from twins.request.multipart import MultipartError, parse_multipart
from twins.spec.model import Operation
from twins.spec.schemas import deref, properties_of, types_of

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
MAX_ARGUMENTS = 200  # no Slack method takes more; a request with thousands is an attack
_TRUE = frozenset({"1", "true"})
_FALSE = frozenset({"0", "false"})


@dataclass(frozen=True, slots=True)
class Shape:
    """Where an operation reads its arguments, and which of them are booleans."""

    query: frozenset[str]  # arguments the operation declares as query parameters
    form: str | None  # the form media type its body takes (as the spec spells it)
    json: str | None  # the JSON media type its body takes
    other_bodies: frozenset[str]  # other media types its body takes (multipart...)
    booleans: frozenset[str]
    needs_token: bool  # the method needs a token at all
    token_query: bool  # it requires `token` as a query parameter (Slack's published spec)
    token_header: bool  # it declares `token` as a header (Slack's published spec)


def shape_of(operation: Operation, document: dict[str, Any]) -> Shape:
    query = {p.name: p for p in operation.parameters if p.location == "query"}
    headers = {p.name.lower(): p for p in operation.parameters if p.location == "header"}
    booleans = {name for name, p in query.items() if _is_boolean(document, p.schema)}
    form = json = None
    others: set[str] = set()
    content = operation.request_body.content if operation.request_body else {}
    for media_type, media in content.items():
        kind = kind_of(media_type)
        if kind is BodyKind.FORM and form is None:
            form = media_type
        elif kind is BodyKind.JSON and json is None:
            json = media_type
        else:
            others.add(base_media_type(media_type))
        if kind in (BodyKind.FORM, BodyKind.JSON):
            properties = properties_of(document, media.schema)
            booleans |= {n for n, s in properties.items() if _is_boolean(document, s)}
    token_query = "token" in query and query["token"].required
    return Shape(
        query=frozenset(query),
        form=form,
        json=json,
        other_bodies=frozenset(others),
        booleans=frozenset(booleans),
        needs_token=bool(operation.security) or token_query or "token" in headers,
        token_query=token_query,
        token_header="token" in headers,
    )


def reshape(raw: RawRequest, shape: Shape) -> RawRequest:
    """`raw` with its arguments where the operation reads them; raises `SlackError`."""
    media_type = base_media_type(raw.content_type)
    if raw.body and media_type in shape.other_bodies:
        return raw  # a multipart upload: the spec's own reading of it applies
    arguments = {**_pairs(raw.query_string), **_body_arguments(raw.body, raw.content_type)}
    headers = raw.headers  # copied only when a header is added
    bearer = bearer_token(headers)
    sent = arguments.get("token")
    token = bearer or (sent if isinstance(sent, str) and sent else None)
    if token is None and shape.needs_token:
        raise SlackError("not_authed")
    if token is not None:
        if bearer is None:
            value = f"Bearer {token}".encode("latin-1", "replace")
            headers = [*headers, (b"authorization", value)]
        if shape.token_header and not _has_header(headers, b"token"):
            headers = [*headers, (b"token", token.encode("latin-1", "replace"))]
        if shape.token_query:
            arguments.setdefault("token", token)
    for name in shape.booleans & arguments.keys():
        arguments[name] = _lenient_boolean(arguments[name])
    return _placed(raw, headers, arguments, shape)


def bearer_token(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name.lower() == b"authorization":
            kind, _, credential = value.decode("latin-1").strip().partition(" ")
            if kind.lower() == "bearer" and credential.strip():
                return credential.strip()
    return None


def _placed(
    raw: RawRequest, headers: list[tuple[bytes, bytes]], arguments: dict[str, Any], shape: Shape
) -> RawRequest:
    in_query = {k: v for k, v in arguments.items() if k in shape.query}
    rest = {k: v for k, v in arguments.items() if k not in shape.query}
    if shape.form is not None:
        body, content_type = _form(rest).encode(), shape.form
    elif shape.json is not None:
        body, content_type = orjson.dumps(rest), shape.json
    else:  # read from the query string alone
        in_query, body, content_type = arguments, b"", ""
    return dataclasses.replace(
        raw,
        query_string=_form(in_query).encode(),
        headers=headers,
        body=body,
        content_type=content_type,
    )


def _pairs(data: bytes) -> dict[str, str]:
    return _arguments(parse_pairs(data))


def _arguments(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Form, query or multipart pairs; a key sent twice keeps its last value, as Slack does."""
    if len(pairs) > MAX_ARGUMENTS:
        raise _too_many()
    for key, _ in pairs:
        if "[" in key:  # PHP-style arrays (`users[]=U1`): Slack refuses them
            raise SlackError("invalid_array_arg")
    return dict(pairs)


def _body_arguments(body: bytes, content_type: str) -> dict[str, Any]:
    if not body.strip():
        return {}
    media_type = base_media_type(content_type)
    if media_type in ("", FORM):
        return _pairs(body)
    if media_type == MULTIPART:  # no twinned method takes a file: its text fields count
        try:
            fields, _ = parse_multipart(body, content_type)
        except MultipartError:
            raise SlackError("invalid_form_data") from None
        return _arguments(fields)
    if kind_of(media_type) is BodyKind.JSON:
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise SlackError("invalid_json") from None
        if not isinstance(value, dict):
            raise SlackError("json_not_object")
        if len(value) > MAX_ARGUMENTS:
            raise _too_many()
        return value
    raise SlackError("invalid_post_type")


def _too_many() -> SlackError:
    message = f"[ERROR] more than {MAX_ARGUMENTS} arguments"
    return SlackError("invalid_arguments", response_metadata={"messages": [message]})


def _lenient_boolean(value: Any) -> Any:
    """slack_sdk sends True as "1"; Slack reads "1"/"0"/"true"/"false" alike."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return value  # not a boolean: validation names it


def _form(arguments: dict[str, Any]) -> str:
    pairs = [(k, _text(v)) for k, v in arguments.items() if v is not None]
    return urlencode(pairs)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return orjson.dumps(value).decode()  # numbers as JSON spells them; blocks as JSON text


def _has_header(headers: list[tuple[bytes, bytes]], wanted: bytes) -> bool:
    return any(name.lower() == wanted for name, _ in headers)


def _is_boolean(document: dict[str, Any], schema: Any) -> bool:
    return types_of(deref(document, schema)) == {"boolean"}
