"""`GitHubPack`: what GitHub does that a spec cannot say.

Its handlers (one module per part of the API, registered on `routes`) keep repositories,
issues, pull requests, labels, comments, branches, file contents and webhooks with GitHub's
rules. On every reply it sets `X-GitHub-Request-Id`; every error reads as GitHub's
`{"message", "documentation_url", "status", "errors"}`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import TYPE_CHECKING, Any, ClassVar

import orjson

from twins.behaviour.call import Reply
from twins.behaviour.records import conform
from twins.behaviour.render import body_media
from twins.behaviour.schema_tools import SchemaTools
from twins.catalog.github import (  # noqa: F401  (each module registers its handlers)
    branches,
    comments,
    contents,
    hooks,
    issue_labels,
    issues,
    labels,
    merges,
    pulls,
    refs,
    repo_api,
    users,
)
from twins.catalog.github.errors import natural
from twins.catalog.github.routes import DOCS, routes
from twins.catalog.pack import Pack, Routes, route_key
from twins.errors import MethodNotAllowed, RateLimited, RequestError
from twins.fake import Rng
from twins.request import RawRequest
from twins.spec.model import Operation, Spec

if TYPE_CHECKING:
    from twins.exchange import Exchange

CONTENTS = route_key("GET /repos/{owner}/{repo}/contents/{path}")
# Where a file's `download_url` points: its raw bytes (GitHub's raw.githubusercontent.com).
RAW_ROUTE = "/{owner}/{repo}/raw/{ref}/{path}"
LABELS_BODIES = frozenset(
    route_key(label)
    for label in (
        "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
        "PUT /repos/{owner}/{repo}/issues/{issue_number}/labels",
    )
)
# The resource a Validation Failed names, by the last literal segment of the path.
RESOURCES = {
    "issues": "Issue",
    "pulls": "PullRequest",
    "labels": "Label",
    "comments": "IssueComment",
    "hooks": "Hook",
    "refs": "Reference",
    "branches": "Branch",
    "contents": "Content",
    "merge": "PullRequest",
    "repos": "Repository",
}


class GitHubPack(Pack):
    name: ClassVar[str] = "github"
    routes: ClassVar[Routes] = routes
    idempotency_header: ClassVar[str | None] = None  # GitHub has no idempotency keys
    rate_limit_headers: ClassVar[tuple[tuple[str, str], ...]] = (
        ("limit", "X-RateLimit-Limit"),
        ("remaining", "X-RateLimit-Remaining"),
        ("reset", "X-RateLimit-Reset"),
        ("used", "X-RateLimit-Used"),
        ("resource", "X-RateLimit-Resource"),
    )

    def __init__(self, twin_name: str, spec: Spec) -> None:
        super().__init__(twin_name, spec)
        self._tools: SchemaTools | None = None
        self._docs: dict[str, str] = {}
        self._takes_arrays: dict[str, bool] = {}

    # -- errors -------------------------------------------------------------------------

    def error(self, operation: Operation | None, error: RequestError, rng: Rng) -> Reply:
        status, message, errors = natural(error, _resource(operation))
        status = _declared(operation, status)
        body: dict[str, Any] = {
            "message": message,
            "documentation_url": self._documentation(operation),
            "status": str(status),
        }
        if errors:
            body["errors"] = errors
        headers: list[tuple[str, str]] = []
        if isinstance(error, MethodNotAllowed):
            headers.append(("Allow", ", ".join(error.allowed)))
        if isinstance(error, RateLimited):
            headers.append(("Retry-After", str(max(1, round(error.retry_after)))))
        return Reply(
            status, self._fitted(operation, status, body, rng), "application/json", headers
        )

    def _documentation(self, operation: Operation | None) -> str:
        """The operation's page of GitHub's docs (its `externalDocs`), else the REST index."""
        if operation is None:
            return DOCS
        found = self._docs.get(operation.label)
        if found is None:
            node = _at_pointer(self.spec.document, operation.pointer)
            docs = node.get("externalDocs") if isinstance(node, dict) else None
            url = docs.get("url") if isinstance(docs, dict) else None
            found = self._docs[operation.label] = url if isinstance(url, str) else DOCS
        return found

    def _fitted(
        self, operation: Operation | None, status: int, body: dict[str, Any], rng: Rng
    ) -> Any:
        """The error body, kept to the schema the spec declares for it (GitHub's own spec
        has `errors` as strings for some operations)."""
        response = operation.response_for(status) if operation is not None else None
        _, schema = body_media(response)
        if schema is None:
            return body
        tools = self._schema_tools()
        if tools.is_valid(schema, body):
            return body
        plain = {
            **body,
            "errors": [e.get("message") or e.get("code") for e in body.get("errors", [])],
        }
        if tools.is_valid(schema, plain):
            return plain
        return conform(tools, body, schema, rng)

    def _schema_tools(self) -> SchemaTools:
        if self._tools is None:
            self._tools = SchemaTools(self.spec)
        return self._tools

    # -- requests and replies ------------------------------------------------------------

    def adapt(self, raw: RawRequest, operation: Operation) -> RawRequest:
        """GitHub reads `Authorization: token <t>` as `Bearer <t>` (PyGithub sends the former),
        and takes an issue's labels as `{"labels": [...]}` or a bare array (PyGithub sends
        the array); a spec that declares only the object gets the object."""
        raw = _bearer(raw)
        if route_key(operation.label) not in LABELS_BODIES:
            return raw
        if not raw.body.lstrip().startswith(b"["):
            return raw
        if self._accepts_arrays(operation):
            return raw
        try:
            sent = orjson.loads(raw.body)
        except orjson.JSONDecodeError:
            return raw
        return dataclasses.replace(raw, body=orjson.dumps({"labels": sent}))

    def _accepts_arrays(self, operation: Operation) -> bool:
        found = self._takes_arrays.get(operation.label)
        if found is None:
            body = operation.request_body
            schemas = [media.schema for media in body.content.values()] if body else []
            tools = self._schema_tools()
            found = any(tools.is_valid(schema, ["bug"]) for schema in schemas if schema)
            self._takes_arrays[operation.label] = found
        return found

    def aliases(self) -> list[tuple[str, str, Operation]]:
        reader = next((op for op in self.spec.operations if route_key(op.label) == CONTENTS), None)
        return [] if reader is None else [("GET", RAW_ROUTE, reader)]

    def decorate(self, exchange: Exchange, reply: Reply) -> None:
        digest = hashlib.blake2b(exchange.body, digest_size=8).hexdigest()
        rng = Rng.derive(
            exchange.seed,
            "github",
            "request-id",
            exchange.method,
            exchange.path,
            exchange.query_string.decode("latin-1"),
            digest,
            repr(exchange.now),
        )
        parts = (rng.hex(4), rng.hex(4), rng.hex(7), rng.hex(7), rng.hex(8))
        reply.headers.append(("X-GitHub-Request-Id", ":".join(parts).upper()))
        reply.headers.append(("X-GitHub-Media-Type", "github.v3; format=json"))
        reply.headers.append(("X-GitHub-Api-Version-Selected", "2022-11-28"))


def _bearer(raw: RawRequest) -> RawRequest:
    """The request with a `token <t>` Authorization header as `Bearer <t>`; itself otherwise."""
    for index, (name, value) in enumerate(raw.headers):
        if name == b"authorization" and value[:6].lower() == b"token ":
            headers = list(raw.headers)
            headers[index] = (name, b"Bearer " + value[6:].strip())
            return dataclasses.replace(raw, headers=headers)
    return raw


def _resource(operation: Operation | None) -> str:
    if operation is None:
        return "Repository"
    literals = [s for s in operation.path.split("/") if s and not s.startswith("{")]
    return next((RESOURCES[s] for s in reversed(literals) if s in RESOURCES), "Repository")


def _declared(operation: Operation | None, status: int) -> int:
    """GitHub's status when the spec declares it; else the nearest one it declares, so that
    a twin of a spec that omits some of GitHub's errors still keeps to that spec."""
    if operation is None or status < 400 or operation.response_for(status) is not None:
        return status
    for alternative in {400: (422,), 422: (400,), 415: (400, 422), 409: (422,)}.get(status, ()):
        if str(alternative) in operation.responses:
            return alternative
    declared = sorted(int(c) for c in operation.responses if c.isdigit() and c.startswith("4"))
    return (404 if 404 in declared else declared[0]) if declared else status


def _at_pointer(document: dict[str, Any], pointer: str) -> Any:
    node: Any = document
    for part in pointer.lstrip("/").split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node
