"""GitHub's errors: what a handler raises, and how any error reads on the wire.

GitHub answers every error as `{"message", "documentation_url", "status"}`, plus `errors` (a
list of `{resource, field, code}`) when a write breaks a rule of its own ("Validation Failed").
"""

from __future__ import annotations

from typing import Any

from twins.errors import (
    MethodNotAllowed,
    RateLimited,
    RequestError,
    Unauthorized,
    ValidationFailed,
    Violation,
)

ErrorItem = dict[str, Any]


class GitHubError(RequestError):
    """An error a handler answers on purpose, with GitHub's own status, message and errors."""

    kind = "github"

    def __init__(self, status: int, message: str, errors: list[ErrorItem] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.errors: list[ErrorItem] = errors or []


def not_found(message: str = "Not Found") -> GitHubError:
    return GitHubError(404, message)


def invalid(resource: str, field: str, code: str = "invalid", message: str = "") -> GitHubError:
    """422 Validation Failed, naming the resource, the field and GitHub's error code."""
    item: ErrorItem = {"resource": resource, "field": field, "code": code}
    if message:
        item["message"] = message
    return GitHubError(422, "Validation Failed", [item])


def too_long(resource: str, field: str, maximum: int, unit: str = "characters") -> GitHubError:
    """422 for a value over one of GitHub's limits (titles, bodies, names, lists)."""
    message = f"{field} is too long (maximum is {maximum} {unit})"
    return invalid(resource, field, "custom", message)


def unprocessable(message: str) -> GitHubError:
    """422 with a message of its own (GitHub's "Reference already exists" and the like)."""
    return GitHubError(422, message)


def conflict(message: str) -> GitHubError:
    return GitHubError(409, message)


def natural(error: RequestError, resource: str) -> tuple[int, str, list[ErrorItem]]:
    """The status, message and errors GitHub gives for an error the engine raised."""
    if isinstance(error, GitHubError):
        return error.status, error.message, error.errors
    if isinstance(error, ValidationFailed):
        return _invalid_request(error, resource)
    if isinstance(error, Unauthorized):
        sent = error.message.startswith(("invalid credentials", "malformed credentials"))
        return 401, "Bad credentials" if sent else "Requires authentication", []
    if isinstance(error, RateLimited):
        return 429, "API rate limit exceeded. " + error.message, []
    if isinstance(error, MethodNotAllowed):
        return 405, "Method Not Allowed", []
    if error.status == 404:
        return 404, "Not Found", []
    return error.status, error.message, []


def _invalid_request(error: ValidationFailed, resource: str) -> tuple[int, str, list[ErrorItem]]:
    violations = error.violations
    if any(v.location == "path" for v in violations):
        return 404, "Not Found", []  # GitHub has no route for /issues/abc
    if any(v.location == "body" and v.rule in ("json", "body-depth") for v in violations):
        return 400, "Problems parsing JSON", []
    if any(v.location == "header" for v in violations):
        return 415, "Unsupported Media Type: " + violations[0].message, []
    if any(v.location == "query" for v in violations):
        items = [
            {"resource": resource, "field": v.field, "code": "invalid", "message": v.message}
            for v in violations
            if v.location == "query"
        ]
        return 422, "Validation Failed", items
    return 422, "Invalid request.\n\n" + "\n".join(_sentence(v) for v in violations), []


def _sentence(violation: Violation) -> str:
    """GitHub's wording: `"title" wasn't supplied.` / `For 'properties/title', ...`."""
    if violation.rule == "required" and violation.field:
        return f'"{violation.field.rsplit(".", 1)[-1]}" wasn\'t supplied.'
    if violation.rule == "required":
        return "A request body is required."
    where = f"properties/{violation.field.replace('.', '/')}" if violation.field else "body"
    return f"For '{where}', {violation.message}."
