"""Saying "not found" in the words an operation has.

A real API answers 404 for a record that is not there, but many specs never declare a 404 (nor
4XX, nor default). For those, a record never seen before exists from first sight (see
`crud._materialise`), while one that was deleted stays gone: the request that names it is
refused with a status the operation declares for the state of its target (410, 409). Failing
those it is the undeclared 404 the vendor answers: a 400 or 422 would tell the client that its
request was malformed, which it was not (schemathesis' positive_data_acceptance says the same:
a schema-valid request may meet 404 or 409, never 400 or 422).
"""

from __future__ import annotations

from twins.errors import NotFoundError
from twins.spec.model import Operation
from twins.spec.resources import Resource

# Closest in meaning first: 410 says exactly "gone"; 409 that the request clashes with the
# state of its target, which a deleted record is. Statuses about the request itself (400, 422),
# credentials (401, 403) or quotas (429) would send a client looking for the wrong cause.
GONE_STATUSES = ("410", "409")


def declares_not_found(operation: Operation) -> bool:
    """Whether the operation can answer 404: it declares 404, 4XX or a default response."""
    responses = operation.responses
    return "404" in responses or "4XX" in responses or "default" in responses


def not_found(operation: Operation, message: str) -> NotFoundError:
    """The error for a record that is gone, with the status the operation can say it with."""
    error = NotFoundError(message)
    if not declares_not_found(operation):
        declared = next((code for code in GONE_STATUSES if code in operation.responses), None)
        if declared is not None:
            error.status = int(declared)
    return error


def remembers_deletion(resource: Resource) -> bool:
    """Whether a deleted record of RESOURCE stays gone where the spec cannot say "not found".

    Not when no client can create its records and no schema describes them: such a record was
    made up on first sight and holds nothing (httpbin's `/status/{codes}` is a function of its
    path), so deleting it leaves nothing to remember and the next sight makes it up again.
    """
    return resource.creatable or resource.schema is not None or _put_creates(resource)


def _put_creates(resource: Resource) -> bool:
    return any(
        operation.method == "PUT" and "201" in operation.responses
        for operation in resource.operations.values()
    )
