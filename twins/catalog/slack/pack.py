"""`SlackPack`: Slack's Web API over the store, for our spec and for Slack's published one."""

from __future__ import annotations

from typing import ClassVar

from twins.behaviour.call import Reply
from twins.catalog.pack import Pack, Routes
from twins.catalog.slack import conversations, history, messages, reactions, users
from twins.catalog.slack.context import ROUTES
from twins.catalog.slack.errors import slack_reply
from twins.catalog.slack.wire import Shape, reshape, shape_of
from twins.errors import RequestError
from twins.fake import Rng
from twins.request import RawRequest
from twins.spec.model import Operation, Spec

# The modules whose handlers fill ROUTES (imported for that).
METHOD_MODULES = (conversations, history, messages, reactions, users)
VERBS = ("GET", "POST")


class SlackPack(Pack):
    """Slack's methods as RPC over the store; errors as `{"ok": false}`; any verb, any
    argument encoding."""

    name: ClassVar[str] = "slack"
    routes: ClassVar[Routes] = ROUTES
    idempotency_header: ClassVar[str | None] = None  # Slack has no idempotency keys
    # Slack sends no X-RateLimit-* headers: only Retry-After on a 429. No default quotas
    # either (Slack's per-method tiers would surprise a test run); the control plane sets some.
    rate_limit_headers: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init__(self, twin_name: str, spec: Spec) -> None:
        super().__init__(twin_name, spec)
        self._shapes: dict[str, Shape] = {}

    def error(self, operation: Operation | None, error: RequestError, rng: Rng) -> Reply | None:
        return slack_reply(error, operation)

    def adapt(self, raw: RawRequest, operation: Operation) -> RawRequest:
        shape = self._shapes.get(operation.label)
        if shape is None:
            shape = self._shapes[operation.label] = shape_of(operation, self.spec.document)
        return reshape(raw, shape)

    def aliases(self) -> list[tuple[str, str, Operation]]:
        """Every method as GET and POST alike, as Slack takes them (slack_sdk POSTs reads)."""
        declared = {(operation.method, operation.path) for operation in self.spec.operations}
        return [
            (verb, operation.path, operation)
            for operation in self.spec.operations
            for verb in VERBS
            if operation.method in VERBS and (verb, operation.path) not in declared
        ]
