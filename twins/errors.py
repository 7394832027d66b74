"""The one error hierarchy of dtu.

DtuError
├── SpecError            an OpenAPI document (or part of one) cannot be used; names the JSON pointer
├── ConfigError          a command-line or control-plane setting is unusable
├── RequestError         an intended API error answered to a client (rendered in the spec's schema)
│   ├── ValidationFailed     the request breaks the spec (400/422): names the field and the rule
│   ├── Unauthorized         credentials missing or not valid (401)
│   ├── Forbidden            credentials valid but not enough (scopes) (403)
│   ├── NotFoundError        no such resource or route (404)
│   ├── MethodNotAllowed     the path exists, the method does not (405)
│   ├── Conflict             the request clashes with state (409), e.g. a reused idempotency key
│   ├── PayloadTooLarge      the body is over the size limit (413)
│   └── RateLimited          over a quota (429); carries the seconds to wait
└── BehaviourError       a bug in a behaviour: a 500 that says which behaviour failed
"""

from __future__ import annotations

from dataclasses import dataclass, field


class DtuError(Exception):
    """Base of every error dtu raises on purpose."""


class SpecError(DtuError):
    """A spec, or one operation of it, cannot be served."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(f"{pointer or '/'}: {message}")
        self.pointer = pointer
        self.message = message


class ConfigError(DtuError):
    """A setting given on the command line or to the control plane is unusable."""


@dataclass
class Violation:
    """One broken rule of a request: where, which rule, and why."""

    location: str  # "body", "query", "path", "header", "cookie"
    field: str  # dotted path inside the location, e.g. "metadata.key" or "limit"
    rule: str  # the JSON Schema keyword or the spec rule, e.g. "required", "maximum"
    message: str

    def describe(self) -> str:
        where = f"{self.location} {self.field}".strip() if self.field else self.location
        return f"{where}: {self.message} ({self.rule})"


class RequestError(DtuError):
    """An error the twin answers on purpose, with a status from the spec."""

    status = 400
    kind = "invalid_request"

    def __init__(self, message: str, violations: list[Violation] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.violations: list[Violation] = violations or []


class ValidationFailed(RequestError):
    status = 400
    kind = "validation_failed"


class Unauthorized(RequestError):
    status = 401
    kind = "unauthorized"


class Forbidden(RequestError):
    status = 403
    kind = "forbidden"


class NotFoundError(RequestError):
    status = 404
    kind = "not_found"


class MethodNotAllowed(RequestError):
    status = 405
    kind = "method_not_allowed"

    def __init__(self, message: str, allowed: list[str]) -> None:
        super().__init__(message)
        self.allowed = allowed


class PayloadTooLarge(RequestError):
    status = 413
    kind = "payload_too_large"


class Conflict(RequestError):
    status = 409
    kind = "conflict"


class RateLimited(RequestError):
    status = 429
    kind = "rate_limited"

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class BehaviourError(DtuError):
    """A behaviour failed unexpectedly: rendered as a 500 naming the behaviour."""

    def __init__(self, behaviour: str, cause: BaseException) -> None:
        super().__init__(f"behaviour {behaviour!r} failed: {type(cause).__name__}: {cause}")
        self.behaviour = behaviour
        self.cause = cause


@dataclass
class Problem:
    """Something wrong in a spec that did not stop it from loading."""

    pointer: str
    message: str
    severity: str = "warning"  # "warning": served with a fallback; "error": operation skipped
    extra: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.severity}: {self.pointer or '/'}: {self.message}"
