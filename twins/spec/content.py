"""Request bodies, responses, headers and media types of one operation, refs resolved.

A dangling `$ref` to a request body or response raises SpecError (the operation is skipped);
smaller faults (an odd status code, a broken example) drop the piece with a warning.
"""

from __future__ import annotations

import re
from typing import Any

from twins.errors import Problem, SpecError
from twins.spec import refs
from twins.spec.model import Header, MediaType, RequestBody, Response
from twins.spec.parameters import as_schema

_STATUS = re.compile(r"^([1-5])([0-9][0-9]|XX)$")
# OpenAPI: a response header named Content-Type SHALL be ignored.
_IGNORED_HEADER = "content-type"


def request_body(
    document: dict[str, Any], raw: Any, at: str, problems: list[Problem]
) -> RequestBody | None:
    body, _ = refs.deref(document, raw, at=at)
    if not isinstance(body, dict):
        raise SpecError(at, "requestBody must be an object")
    content = media_types(document, body.get("content"), f"{at}/content", problems)
    if not content:
        problems.append(Problem(at, "requestBody declares no content: body not checked"))
        return None
    return RequestBody(required=body.get("required") is True, content=content, pointer=at)


def responses(
    document: dict[str, Any], raw: Any, at: str, problems: list[Problem]
) -> dict[str, Response]:
    if raw is None:  # optional since 3.1
        return {}
    if not isinstance(raw, dict) or not raw:
        problems.append(Problem(at, "responses must be a non-empty object: none served"))
        return {}
    found: dict[str, Response] = {}
    for code, value in raw.items():
        if str(code).startswith("x-"):
            continue
        status = _status(str(code))
        pointer = f"{at}/{refs.escape(code)}"
        if status is None:
            problems.append(Problem(pointer, f"{code!r} is not a status code: response ignored"))
            continue
        found[status] = _response(document, status, value, pointer, problems)
    return found


def _status(code: str) -> str | None:
    if code.lower() == "default":
        return "default"
    upper = code.strip().upper()
    return upper if _STATUS.match(upper) else None


def _response(
    document: dict[str, Any], status: str, raw: Any, at: str, problems: list[Problem]
) -> Response:
    response, _ = refs.deref(document, raw, at=at)
    if not isinstance(response, dict):
        raise SpecError(at, "a response must be an object")
    description = response.get("description")
    return Response(
        status=status,
        description=description if isinstance(description, str) else "",
        content=media_types(document, response.get("content"), f"{at}/content", problems),
        headers=_headers(document, response.get("headers"), f"{at}/headers", problems),
        pointer=at,
    )


def _headers(
    document: dict[str, Any], raw: Any, at: str, problems: list[Problem]
) -> dict[str, Header]:
    headers: dict[str, Header] = {}
    for name, value in (raw if isinstance(raw, dict) else {}).items():
        pointer = f"{at}/{refs.escape(name)}"
        if name.lower() == _IGNORED_HEADER:
            continue
        try:
            header, _ = refs.deref(document, value, at=pointer)
        except SpecError as error:
            problems.append(Problem(error.pointer, f"{error.message}: header ignored"))
            continue
        if not isinstance(header, dict):
            problems.append(Problem(pointer, "a header must be an object: header ignored"))
            continue
        headers[name] = Header(name, header.get("required") is True, _header_schema(header))
    return headers


def _header_schema(header: dict[str, Any]) -> dict[str, Any]:
    content = header.get("content")
    if isinstance(content, dict) and content:
        media = next(iter(content.values()))
        return as_schema(media.get("schema") if isinstance(media, dict) else None)
    return as_schema(header.get("schema", {}))


def media_types(
    document: dict[str, Any], raw: Any, at: str, problems: list[Problem]
) -> dict[str, MediaType]:
    found: dict[str, MediaType] = {}
    for media_type, media in (raw if isinstance(raw, dict) else {}).items():
        pointer = f"{at}/{refs.escape(media_type)}"
        if not isinstance(media, dict):
            problems.append(Problem(pointer, "a media type must be an object: ignored"))
            continue
        examples = _examples(document, media, pointer, problems)
        encoding = media.get("encoding")
        found[media_type] = MediaType(
            media_type,
            as_schema(media.get("schema", {})),
            examples,
            {k: v for k, v in encoding.items() if isinstance(v, dict)}
            if isinstance(encoding, dict)
            else {},
        )
    return found


def _examples(
    document: dict[str, Any], media: dict[str, Any], at: str, problems: list[Problem]
) -> tuple[Any, ...]:
    examples = [media["example"]] if "example" in media else []
    named = media.get("examples")
    for name, raw in (named if isinstance(named, dict) else {}).items():
        pointer = f"{at}/examples/{refs.escape(name)}"
        try:
            example, _ = refs.deref(document, raw, at=pointer)
        except SpecError as error:
            problems.append(Problem(error.pointer, f"{error.message}: example ignored"))
            continue
        if isinstance(example, dict) and "value" in example:
            examples.append(example["value"])
    return tuple(examples)
