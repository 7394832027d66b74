"""Tiny hand-made operations and requests for the request-layer tests."""

from __future__ import annotations

from typing import Any

from twins.request import RawRequest
from twins.spec.model import MediaType, Operation, Parameter, ParameterLocation, RequestBody

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
TEXT = "text/plain"

_DEFAULT_STYLES = {"query": "form", "path": "simple", "header": "simple", "cookie": "form"}


def parameter(
    name: str,
    location: ParameterLocation,
    schema: dict[str, Any],
    *,
    required: bool = False,
    style: str | None = None,
    explode: bool | None = None,
    content_type: str | None = None,
) -> Parameter:
    style = style or _DEFAULT_STYLES[location]
    return Parameter(
        name=name,
        location=location,
        required=required or location == "path",
        schema=schema,
        style=style,
        explode=style == "form" if explode is None else explode,
        pointer=f"/parameters/{name}",
        content_type=content_type,
    )


def operation(
    method: str = "POST",
    *,
    parameters: tuple[Parameter, ...] = (),
    body: dict[str, dict[str, Any]] | None = None,
    body_required: bool = False,
) -> Operation:
    request_body = None
    if body is not None:
        content = {media: MediaType(media, schema) for media, schema in body.items()}
        request_body = RequestBody(body_required, content, "/requestBody")
    return Operation(
        method=method,
        path="/v1/things",
        operation_id=None,
        summary="",
        parameters=parameters,
        request_body=request_body,
        responses={},
        security=(),
        pointer=f"/paths/~1v1~1things/{method.lower()}",
    )


def raw(
    *,
    query: bytes = b"",
    path: dict[str, str] | None = None,
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes = b"",
    content_type: str = "",
    method: str = "POST",
) -> RawRequest:
    return RawRequest(method, path or {}, query, headers or [], body, content_type)
