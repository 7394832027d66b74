"""OpenAPI runtime expressions, as callback URLs use them.

    $url  $method  $statusCode
    $request.header.<name>  $request.query.<name>  $request.path.<name>  $request.body#/<pointer>
    $response.header.<name>  $response.body#/<pointer>

A template embeds expressions in braces: `{$request.body#/callbackUrl}`, or
`https://example.test/hook?id={$response.body#/id}`. See the OpenAPI specification,
"Runtime Expressions".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import orjson

from twins.spec import refs

_EMBEDDED = re.compile(r"\{(\$[^{}]+)\}")


class UnresolvedExpression(Exception):
    """An expression names something the request or response does not have."""


@dataclass(frozen=True)
class Exchanged:
    """What expressions can name: one request and its response."""

    url: str
    method: str
    status: int
    request_headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    query: dict[str, Any] = field(default_factory=dict)
    path: dict[str, str] = field(default_factory=dict)
    request_body: Any = None
    response_headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    response_body: Any = None


def evaluate(expression: str, context: Exchanged) -> Any:
    """The value `expression` names. Raises UnresolvedExpression."""
    if expression == "$url":
        return context.url
    if expression == "$method":
        return context.method
    if expression == "$statusCode":
        return context.status
    source, _, rest = expression.partition(".")
    if source not in ("$request", "$response"):
        raise UnresolvedExpression(f"{expression!r} is not a runtime expression")
    request = source == "$request"
    if rest == "body" or rest.startswith("body#"):
        body = context.request_body if request else context.response_body
        return _pointed(body, rest[len("body#") :], expression)
    kind, _, name = rest.partition(".")
    if not name:
        raise UnresolvedExpression(f"{expression!r} names no {kind or 'source'}")
    values: dict[str, Any]
    if kind == "header":
        values = context.request_headers if request else context.response_headers
        name = name.lower()
    elif kind == "query" and request:
        values = context.query
    elif kind == "path" and request:
        values = context.path
    else:
        raise UnresolvedExpression(f"{expression!r}: unknown source {kind!r}")
    if name not in values:
        raise UnresolvedExpression(f"{expression!r}: the {kind} has no {name!r}")
    return values[name]


def fill(template: str, context: Exchanged) -> str:
    """`template` with each `{expression}` replaced by its value (a bare expression is its
    whole value). Raises UnresolvedExpression."""
    if template.startswith("$"):
        return _text(evaluate(template, context))
    return _EMBEDDED.sub(lambda match: _text(evaluate(match.group(1), context)), template)


def _pointed(body: Any, pointer: str, expression: str) -> Any:
    try:
        return refs.resolve(body, pointer)
    except LookupError as error:
        raise UnresolvedExpression(f"{expression!r}: {error}") from None


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()
