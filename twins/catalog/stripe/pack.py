"""The Stripe pack: what Stripe does that its spec cannot say (see the package docstring)."""

from __future__ import annotations

import re
from typing import ClassVar

from twins.behaviour.call import Reply
from twins.catalog.pack import Pack, Routes

# Each module registers its handlers on `routes` as it is imported.
from twins.catalog.stripe import (  # noqa: F401
    billing,
    catalog,
    charges,
    customers,
    payment_intents,
    payment_methods,
    subscriptions,
    webhooks,
)
from twins.catalog.stripe.authentication import authentication_operation
from twins.catalog.stripe.errors import StripeError, render
from twins.catalog.stripe.routes import routes
from twins.errors import RequestError
from twins.fake import Rng
from twins.request import RawRequest
from twins.request.form import parse_pairs
from twins.spec.model import Operation

_EMPTY_METADATA_KEY = re.compile(r"(^metadata|\[metadata\])\[\]")


class StripePack(Pack):
    name: ClassVar[str] = "stripe"
    routes: ClassVar[Routes] = routes
    idempotency_header: ClassVar[str | None] = "idempotency-key"

    def error(self, operation: Operation | None, error: RequestError, rng: Rng) -> Reply | None:
        return render(operation, error)

    def adapt(self, raw: RawRequest, operation: Operation) -> RawRequest:
        """Stripe refuses what bracket nesting would read as something else: `metadata[]=v`
        (an empty key, which would append to a list) is no metadata at all."""
        if b"metadata" in raw.body:
            for key, _ in parse_pairs(raw.body):
                if _EMPTY_METADATA_KEY.search(key):
                    message = f"Invalid {key}: metadata keys cannot be empty."
                    raise StripeError(400, message, param=key)
        return raw

    def aliases(self) -> list[tuple[str, str, Operation]]:
        page = authentication_operation()
        return [(page.method, page.path, page)]
