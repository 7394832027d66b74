"""A vendor pack: only what a vendor does that the generic engine cannot infer from its spec.

A pack is chosen per twin (by the twin's name or by the hosts its spec names, so it also
works when the twin is built from the vendor's full published spec). It may

- answer operations itself (`handler`), keyed by label with path parameter names erased, so
  `POST /v1/customers/{customer}` in our spec and `POST /v1/customers/{id}` elsewhere both match;
- render errors in the vendor's own format (`error`), e.g. Slack's `{"ok": false}` with HTTP 200;
- adapt a raw request before validation (`adapt`), e.g. Slack's methods taken as GET or POST;
- add routes that the spec does not declare (`aliases`);
- decorate every reply (`decorate`), e.g. GitHub's `X-GitHub-Request-Id`.

The generic pack does none of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ClassVar

from twins.behaviour.call import Call, Reply
from twins.errors import RequestError
from twins.fake import Rng
from twins.request import RawRequest
from twins.spec.model import Operation, Spec

if TYPE_CHECKING:
    from twins.exchange import Exchange

Handler = Callable[[Call], Reply]
_PARAM = re.compile(r"\{[^{}]*\}")


def route_key(label: str) -> str:
    """`"POST /v1/customers/{customer}"` -> `"POST /v1/customers/{}"`."""
    return _PARAM.sub("{}", label)


class Routes:
    """Handlers of a pack by operation label: `@routes("POST /v1/refunds")`."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    def __call__(self, *labels: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for label in labels:
                self._handlers[route_key(label)] = handler
            return handler

        return register

    def get(self, label: str) -> Handler | None:
        return self._handlers.get(route_key(label))

    def __iter__(self) -> Iterator[str]:
        return iter(self._handlers)

    def __len__(self) -> int:
        return len(self._handlers)


class Pack:
    """The generic pack; vendor packs subclass it."""

    name: ClassVar[str] = "generic"
    routes: ClassVar[Routes] = Routes()
    # The header a client sends to make a write safe to retry; None: the twin has no such thing.
    idempotency_header: ClassVar[str | None] = "idempotency-key"
    # The vendor's default quotas, as (operation glob, limit, window seconds, per) where per is
    # "credential", "session" or "operation"; the control plane replaces them per twin/session.
    rate_limits: ClassVar[tuple[tuple[str, int, float, str], ...]] = ()
    # The rate-limit headers on every reply a quota covers, as (role, header name); roles:
    # "limit", "remaining", "reset" (epoch seconds), "used", "resource". Empty: none are sent.
    rate_limit_headers: ClassVar[tuple[tuple[str, str], ...]] = (
        ("limit", "X-RateLimit-Limit"),
        ("remaining", "X-RateLimit-Remaining"),
        ("reset", "X-RateLimit-Reset"),
    )

    def __init__(self, twin_name: str, spec: Spec) -> None:
        self.twin_name = twin_name
        self.spec = spec
        self._by_label: dict[str, Handler | None] = {}

    def handler(self, operation: Operation) -> Handler | None:
        """The pack's own behaviour for an operation, or None for the generic one."""
        label = operation.label
        try:
            return self._by_label[label]
        except KeyError:
            found = self._by_label[label] = self.routes.get(label)
            return found

    def error(self, operation: Operation | None, error: RequestError, rng: Rng) -> Reply | None:
        """The vendor's own rendering of an error, or None for the spec-driven one."""
        return None

    def adapt(self, raw: RawRequest, operation: Operation) -> RawRequest:
        """The request as the spec's operation expects it (vendors accept more than they say)."""
        return raw

    def aliases(self) -> list[tuple[str, str, Operation]]:
        """Extra `(method, path, operation)` routes the spec does not declare."""
        return []

    def decorate(self, exchange: Exchange, reply: Reply) -> None:
        """Add what the vendor puts on every reply (request ids, version headers)."""
