"""The Stripe pack's handlers by operation label; each module of the pack adds its own."""

from __future__ import annotations

from collections.abc import Callable

from twins.behaviour.call import Call, Reply
from twins.catalog.pack import Handler, Routes


class StripeRoutes(Routes):
    """Routes whose handlers owe no webhook for work they did not finish: a handler that
    raises has its writes rolled back, so the events it recorded on the way never happened."""

    def __call__(self, *labels: str) -> Callable[[Handler], Handler]:
        register = super().__call__(*labels)

        def guard(handler: Handler) -> Handler:
            def guarded(call: Call) -> Reply:
                owed = len(call.outbound)
                try:
                    return handler(call)
                except BaseException:
                    del call.outbound[owed:]
                    raise

            register(guarded)
            return handler

        return guard


routes = StripeRoutes()
