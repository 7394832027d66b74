"""Stripe's errors: `{"error": {"type", "code", "message", "param", "decline_code", ...}}`.

Behaviours raise `StripeError` (or return a `card_error_reply`, when the failed attempt must
stay on record); every other error of the engine (validation, authentication, routing,
idempotency, rate limits) is rendered here in the same shape, with Stripe's status codes:
400 invalid_request_error, 401, 402 card_error, 404 resource_missing, 409, 429.
"""

from __future__ import annotations

import re
from typing import Any

from twins.behaviour.call import Reply
from twins.errors import (
    Conflict,
    MethodNotAllowed,
    NotFoundError,
    RateLimited,
    RequestError,
    Unauthorized,
    ValidationFailed,
    Violation,
)
from twins.spec.model import Operation

DOCS = "https://stripe.com/docs"
SUPPORT = "https://support.stripe.com/"
NO_API_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization "
    "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
    f"{DOCS}/api#authentication for details, or we can help at {SUPPORT}."
)
# `twins.idempotency.IdempotencyKeyReused.kind` (that stage sits above packs: not imported)
REUSED_KEY = "idempotency_key_reused"
_UNMATCHED = re.compile(r"^no operation matches (\S+) (.*)$")


class StripeError(RequestError):
    """An error the way Stripe answers it."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.kind = code or type
        self.stripe_type = type
        self.code = code
        self.param = param
        self.extra = extra  # decline_code, charge, payment_intent, payment_method, ...

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.stripe_type, "message": self.message}
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"{DOCS}/error-codes/{self.code.replace('_', '-')}"
        if self.param is not None:
            error["param"] = self.param
        error.update({name: value for name, value in self.extra.items() if value is not None})
        return {"error": error}


def missing(noun: str, ident: str, param: str | None = None) -> StripeError:
    """No such object (a path's or a parameter's): 404 resource_missing."""
    return StripeError(404, f"No such {noun}: '{ident}'", code="resource_missing", param=param)


def invalid(message: str, param: str | None = None, code: str | None = None) -> StripeError:
    """A request Stripe refuses: 400 invalid_request_error."""
    return StripeError(400, message, code=code, param=param)


def parameter_missing(param: str, message: str | None = None) -> StripeError:
    return invalid(message or f"Missing required param: {param}.", param, "parameter_missing")


def unexpected_state(message: str, code: str) -> StripeError:
    return StripeError(400, message, code=code)


def card_error_reply(error: StripeError) -> Reply:
    """A 402 returned, not raised: the failed attempt (charge, intent, events) is kept."""
    return Reply(error.status, error.body())


def render(operation: Operation | None, error: RequestError) -> Reply:
    """Any error of the engine, in Stripe's shape and status."""
    stripe_error = as_stripe_error(operation, error)
    headers: list[tuple[str, str]] = []
    if isinstance(error, Unauthorized):
        headers.append(("WWW-Authenticate", 'Bearer realm="Stripe"'))
    if isinstance(error, RateLimited):
        headers.append(("Retry-After", str(max(1, round(error.retry_after)))))
        headers.append(("Stripe-Should-Retry", "true"))
    if isinstance(error, MethodNotAllowed):
        headers.append(("Allow", ", ".join(error.allowed)))
    return Reply(stripe_error.status, stripe_error.body(), "application/json", headers)


def as_stripe_error(operation: Operation | None, error: RequestError) -> StripeError:
    if isinstance(error, StripeError):
        return error
    if isinstance(error, ValidationFailed) and error.violations:
        return _from_violation(operation, error.violations[0])
    if isinstance(error, Unauthorized):
        return StripeError(401, _unauthorized_message(error.message))
    if isinstance(error, NotFoundError):
        found = _UNMATCHED.match(error.message)
        if operation is None and found:
            method, path = found.groups()
            message = (
                f"Unrecognized request URL ({method}: {path}). Please see {DOCS} "
                f"or we can help at {SUPPORT}."
            )
            return StripeError(404, message)
        return StripeError(404, error.message, code="resource_missing")
    if isinstance(error, Conflict) and error.kind == REUSED_KEY:
        return StripeError(400, error.message, type="idempotency_error")
    if isinstance(error, Conflict):
        return StripeError(409, error.message)
    if isinstance(error, RateLimited):
        message = (
            "Too many requests hit the API too quickly. We recommend an exponential backoff "
            "of your requests."
        )
        return StripeError(429, message, code="rate_limit")
    if error.status >= 500:  # injected faults: Stripe's own trouble
        return StripeError(error.status, error.message, type="api_error")
    return StripeError(error.status, error.message)


def _unauthorized_message(message: str) -> str:
    """Stripe's words for the engine's "missing credentials: ..." / "invalid credentials:
    ..." (the prefixes `twins.auth` promises)."""
    if message.startswith("missing credentials"):
        return NO_API_KEY
    _, _, reason = message.partition(": ")
    return f"Invalid API Key provided: {reason or message}"


def bracketed(field: str) -> str:
    """A dotted field as Stripe names parameters: `items.0.price` -> `items[0][price]`."""
    head, *rest = field.split(".")
    return head + "".join(f"[{part}]" for part in rest)


def _from_violation(operation: Operation | None, violation: Violation) -> StripeError:
    if violation.location == "header":
        return StripeError(400, violation.message)
    param = bracketed(violation.field) if violation.field else None
    rule = violation.rule
    if rule == "required" and param:
        return parameter_missing(param)
    if rule == "additionalProperties" and param:
        return invalid(f"Received unknown parameter: {param}", param, "parameter_unknown")
    if rule == "anyOf" and param is None and operation is not None:
        choices = _alternatives(operation)
        if choices:
            message = f"You must provide one of these parameters: {', '.join(choices)}."
            return parameter_missing(choices[0], message)
    if rule == "minimum" and violation.field == "amount":
        return invalid("Amount must be at least 50 cents.", "amount", "amount_too_small")
    if rule == "maximum" and violation.field == "amount":
        return invalid("Amount must be no more than 99999999.", "amount", "amount_too_large")
    if rule == "type" and "integer" in violation.message:
        return invalid(f"Invalid integer: {param}", param, "parameter_invalid_integer")
    where = f"Invalid {param}: " if param else "Invalid request: "
    return invalid(where + violation.message, param)


def _alternatives(operation: Operation) -> list[str]:
    """The parameters of which a form body needs one (`charge` or `payment_intent`)."""
    body = operation.request_body
    if body is None:
        return []
    choices: list[str] = []
    for media in body.content.values():
        for branch in media.schema.get("anyOf", []):
            if isinstance(branch, dict):
                choices.extend(name for name in branch.get("required", []) if name not in choices)
    return choices
