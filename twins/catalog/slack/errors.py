"""Slack's errors: `{"ok": false, "error": "channel_not_found"}`, nearly always with HTTP 200.

Slack reports failure in the body, not in the status: a missing channel, a bad argument, a
missing token all come back as HTTP 200. Only a rate limit (429, with Retry-After) and Slack's
own failures (5xx) change the status. The engine's own errors (validation, credentials,
routing) are mapped here to the codes Slack uses for the same situations.
"""

from __future__ import annotations

import math
from typing import Any

from twins.behaviour.call import Reply
from twins.errors import (
    Forbidden,
    MethodNotAllowed,
    NotFoundError,
    PayloadTooLarge,
    RateLimited,
    RequestError,
    Unauthorized,
    ValidationFailed,
    Violation,
)
from twins.spec.model import Operation

MAX_MESSAGES = 20  # response_metadata.messages: enough to fix a call, never one per byte
SERVER_ERRORS = {503: "service_unavailable", 504: "request_timeout"}  # else internal_error


class SlackError(RequestError):
    """An error in Slack's words: `code` is the `error` field; `fields` go beside it."""

    status = 200
    kind = "slack_error"

    def __init__(self, code: str, *, http_status: int = 200, **fields: Any) -> None:
        super().__init__(code)
        self.code = code
        self.http_status = http_status
        self.fields = fields


def error_body(code: str, **fields: Any) -> dict[str, Any]:
    return {"ok": False, "error": code, **fields}


def slack_reply(error: RequestError, operation: Operation | None) -> Reply:
    """`error` as Slack answers it; `operation` is None when no method matched the path."""
    routed = operation is not None
    if isinstance(error, SlackError):
        return Reply(error.http_status, error_body(error.code, **error.fields))
    if isinstance(error, RateLimited):
        wait = str(max(1, math.ceil(error.retry_after)))
        return Reply(429, error_body("ratelimited"), headers=[("Retry-After", wait)])
    if isinstance(error, ValidationFailed):
        messages = [_message(violation) for violation in error.violations[:MAX_MESSAGES]]
        metadata = {"messages": messages or [f"[ERROR] {error.message}"]}
        return Reply(200, error_body("invalid_arguments", response_metadata=metadata))
    if isinstance(error, Unauthorized):
        # Missing tokens never get here (the pack answers not_authed before validation):
        # an Unauthorized is a credential that was sent and refused.
        return Reply(200, error_body("invalid_auth"))
    if isinstance(error, Forbidden):
        needed = _scopes(operation) if operation is not None else ""
        return Reply(200, error_body("missing_scope", **({"needed": needed} if needed else {})))
    if isinstance(error, MethodNotAllowed):
        allow = [("Allow", ", ".join(error.allowed))]
        return Reply(405, error_body("method_not_allowed"), headers=allow)
    if isinstance(error, NotFoundError) and not routed:
        return Reply(404, error_body("unknown_method"))
    if isinstance(error, PayloadTooLarge):
        return Reply(413, error_body("request_too_large"))
    if error.status >= 500:  # Slack's own failures (a fault rule injects these) keep 5xx
        return Reply(error.status, error_body(SERVER_ERRORS.get(error.status, "internal_error")))
    if isinstance(error, NotFoundError):
        return Reply(200, error_body("not_found"))
    # Anything else keeps its status: a fault rule asked for it.
    return Reply(error.status, error_body(error.kind))


def _scopes(operation: Operation) -> str:
    """The scopes that would let a token call the method, as Slack lists them in `needed`."""
    needed: dict[str, None] = {}
    for option in operation.security:
        for names in option.values():
            needed.update(dict.fromkeys(names))
    return ",".join(needed)


def _message(violation: Violation) -> str:
    """Slack's wording: `[ERROR] missing required field: channel`."""
    if violation.rule == "required":
        return f"[ERROR] missing required field: {violation.field}"
    pointer = "/" + violation.field.replace(".", "/") if violation.field else ""
    return f"[ERROR] {violation.message} [json-pointer:{pointer}]"
