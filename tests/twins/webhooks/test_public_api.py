"""What `twins.webhooks` offers other packages, pinned."""

from __future__ import annotations

import twins.webhooks


def test_the_public_api_is_what_the_package_says() -> None:
    assert sorted(twins.webhooks.__all__) == [
        "AllowList",
        "Delay",
        "DeliveryFaults",
        "Dispatcher",
        "Duplicates",
        "EventStage",
        "LOOPBACK",
        "Reorder",
        "RetryPolicy",
        "Subscription",
        "Subscriptions",
        "dispatcher_of",
        "install",
    ]
    for name in twins.webhooks.__all__:
        assert getattr(twins.webhooks, name) is not None
