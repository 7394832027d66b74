"""Turning outcomes into replies that keep the spec: status, body schema, media type, headers.

Errors are rendered in the operation's own error schema when it declares one (a seeded instance
of that schema with the message, the field and the rule written into the fields meant for them),
else as RFC 7807 problem details.
"""

from __future__ import annotations

import math
from typing import Any

from twins.behaviour.call import Reply
from twins.behaviour.records import conform
from twins.behaviour.schema_tools import SchemaTools
from twins.errors import MethodNotAllowed, RateLimited, RequestError, Violation
from twins.fake import Rng
from twins.spec.model import Operation, Response, is_json_media_type

MESSAGE_FIELDS = (
    "message",
    "detail",
    "error_description",
    "error_message",
    "msg",
    "description",
    "title",
    "reason",
    "error",
)
FIELD_FIELDS = ("param", "field", "parameter", "pointer", "property")
CODE_FIELDS = ("code", "type", "error_code", "errorCode")
_CONCRETE_JSON = "application/json"


def pick_status(operation: Operation, preferred: tuple[int, ...]) -> tuple[int, Response | None]:
    """The first preferred status the operation declares, else its lowest 2xx, else the first
    preferred one (answered through `2XX`/`default` when those exist)."""
    for status in preferred:
        if str(status) in operation.responses:
            return status, operation.responses[str(status)]
    declared = sorted(
        int(code) for code in operation.responses if code.isdigit() and code[0] == "2"
    )
    if declared:
        return declared[0], operation.responses[str(declared[0])]
    return preferred[0], operation.response_for(preferred[0])


def body_media(response: Response | None) -> tuple[str | None, Any]:
    """The media type to answer with and its schema: JSON first, else the first declared."""
    if response is None or not response.content:
        return None, None
    declared = _preferred(list(response.content))
    return _concrete(declared), response.content[declared].schema


def _preferred(media_types: list[str]) -> str:
    """Of some declared media types, the one to answer in: JSON first, else the first."""
    return next((m for m in media_types if is_json_media_type(m)), media_types[0])


def _concrete(media_type: str) -> str:
    """A media type a reply can carry: parameters dropped, wildcards made concrete."""
    if "*" not in media_type:
        return media_type.split(";")[0]
    if is_json_media_type(media_type):
        return _CONCRETE_JSON
    return "text/plain" if media_type.startswith("text/") else "application/octet-stream"


def success(
    tools: SchemaTools,
    operation: Operation,
    preferred: tuple[int, ...],
    value: Any,
    rng: Rng,
    *,
    prefer_examples: bool = False,
) -> Reply:
    """A success reply whose body is `value` reshaped to the response schema (generated when
    `value` is None)."""
    status, response = pick_status(operation, preferred)
    media_type, schema = body_media(response)
    headers = response_headers(tools, response, rng)
    if media_type is None or status in (204, 304) or schema is None and value is None:
        return labelled(
            Reply(
                status,
                None,
                None if status in (204, 304) or media_type is None else media_type,
                headers,
            ),
            operation,
        )
    if value is None:
        value = example_or_generated(tools, response, schema, rng, prefer_examples)
    else:
        value = conform(tools, value, schema, rng)
    if not is_json_media_type(media_type):
        return Reply(status, _as_text(value), media_type, headers)
    return Reply(status, value, media_type, headers)


def labelled(reply: Reply, operation: Operation | None) -> Reply:
    """A bodiless reply of a Swagger 2.0 operation still names a media type its `produces`
    lists: 2.0 types every response of an operation by it (and schemathesis checks it there)."""
    if reply.body is None and operation is not None and operation.produces:
        # A header, not `media_type`: the wire layer names a media type only for a body.
        reply.headers.append(("Content-Type", _concrete(_preferred(list(operation.produces)))))
    return reply


def example_or_generated(
    tools: SchemaTools, response: Response | None, schema: Any, rng: Rng, prefer: bool
) -> Any:
    if prefer and response is not None:
        for media in response.content.values():
            for example in media.examples:
                if schema is None or tools.is_valid(schema, example):
                    return example
    if schema is None:
        return None
    return tools.generate(schema, rng, prefer_examples=prefer)


def _as_text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, str):
        return value
    return "" if value is None else str(value)


def response_headers(
    tools: SchemaTools, response: Response | None, rng: Rng
) -> list[tuple[str, str]]:
    """Values for the headers the response declares as required."""
    if response is None:
        return []
    headers: list[tuple[str, str]] = []
    for name, header in response.headers.items():
        if not header.required or name.lower() in ("content-type", "content-length", "link"):
            continue
        value = tools.generate(header.schema, rng, name=name)
        text = _header_text(value)
        if text is not None:
            headers.append((name, text))
    return headers


def _header_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    if value is None:
        return None
    text = str(value)
    return (
        text
        if "\n" not in text and "\r" not in text
        else text.replace("\r", " ").replace("\n", " ")
    )


def error_statuses(error: RequestError) -> tuple[int, ...]:
    if error.status == 400:
        return (400, 422)
    if error.status == 401:
        return (401, 403)
    if error.status == 415:
        return (415, 400, 422)
    return (error.status,)


def error_reply(
    tools: SchemaTools, operation: Operation | None, error: RequestError, rng: Rng
) -> Reply:
    """The error answered in the operation's own error schema, or RFC 7807 when it has none."""
    status, response = _error_response(operation, error)
    headers: list[tuple[str, str]] = []
    if error.status == 401:
        headers.append(("WWW-Authenticate", 'Bearer realm="dtu"'))
    if isinstance(error, MethodNotAllowed):
        headers.append(("Allow", ", ".join(error.allowed)))
    if isinstance(error, RateLimited):
        headers.append(("Retry-After", str(max(1, math.ceil(error.retry_after)))))
    if response is None:
        return Reply(status, problem_details(status, error), "application/problem+json", headers)
    media_type, schema = body_media(response)
    headers.extend(response_headers(tools, response, rng))
    if media_type is None:
        return labelled(Reply(status, None, None, headers), operation)
    if schema is None:
        return Reply(status, problem_details(status, error), media_type, headers)
    body = tools.generate(schema, rng)
    _write_error(tools, schema, body, error, depth=0)
    if not is_json_media_type(media_type):
        return Reply(status, error.message, media_type, headers)
    return Reply(status, body, media_type, headers)


def _error_response(
    operation: Operation | None, error: RequestError
) -> tuple[int, Response | None]:
    if operation is None:
        return error.status, None
    for status in error_statuses(error):
        response = operation.responses.get(str(status))
        if response is not None:
            return status, response
    for status in error_statuses(error):
        response = operation.response_for(status)
        if response is not None and not _is_success_default(operation, response):
            return status, response
    four_xx = sorted(c for c in operation.responses if c.isdigit() and c.startswith("4"))
    if error.status in (400, 422) and four_xx:
        return int(four_xx[0]), operation.responses[four_xx[0]]
    return error.status, None


def _is_success_default(operation: Operation, response: Response) -> bool:
    """A `default` response that is the operation's only success description is no error body."""
    return response is operation.responses.get("default") and not any(
        code.startswith("2") for code in operation.responses
    )


def problem_details(status: int, error: RequestError) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": error.kind.replace("_", " "),
        "status": status,
        "detail": error.message,
    }
    if error.violations:
        body["errors"] = [_violation_json(v) for v in error.violations]
    return body


def _violation_json(violation: Violation) -> dict[str, str]:
    return {
        "in": violation.location,
        "field": violation.field,
        "rule": violation.rule,
        "message": violation.message,
    }


def _write_error(
    tools: SchemaTools, schema: Any, body: Any, error: RequestError, depth: int
) -> None:
    """Write message, field and code into the fields of `body` named for them, where the schema
    lets them hold it. Descends into nested objects (Stripe's `{"error": {...}}`)."""
    if not isinstance(body, dict) or depth > 3:
        return
    properties = tools.properties(schema)
    first = error.violations[0] if error.violations else None
    wanted: list[tuple[tuple[str, ...], str]] = [(MESSAGE_FIELDS, error.message)]
    wanted.append((CODE_FIELDS, error.kind))
    for names, text in wanted:
        for name in names:
            target = properties.get(name)
            if target is not None and tools.is_valid(target, text):
                body[name] = text
                break
    for name in FIELD_FIELDS:
        target = properties.get(name)
        if target is None:
            continue
        if first is not None and tools.is_valid(target, first.field):
            body[name] = first.field
        elif first is None and tools.is_valid(target, None):
            body[name] = None  # no field is at fault
        elif first is None and name not in _required(tools, schema):
            body.pop(name, None)
        break
    if "status" in properties and tools.is_valid(properties["status"], error.status):
        body["status"] = error.status
    for name, value in body.items():
        if isinstance(value, dict) and name in properties:
            _write_error(tools, properties[name], value, error, depth + 1)
    if "errors" in properties and error.violations and isinstance(body.get("errors"), list):
        _write_violations(tools, properties["errors"], body, error.violations)


def _required(tools: SchemaTools, schema: Any) -> list[str]:
    required = tools.object_view(schema).get("required", [])
    return required if isinstance(required, list) else []


def _write_violations(
    tools: SchemaTools, schema: Any, body: dict[str, Any], violations: list[Violation]
) -> None:
    items = [_violation_json(v) for v in violations]
    if tools.is_valid(schema, items):
        body["errors"] = items
    elif tools.is_valid(schema, [v.describe() for v in violations]):
        body["errors"] = [v.describe() for v in violations]
