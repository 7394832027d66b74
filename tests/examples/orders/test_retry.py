"""Retrying a vendor call: how often, how long, and what is not retried."""

from __future__ import annotations

import pytest

from examples.orders.retry import (
    WAIT_BUDGET_SECONDS,
    Transient,
    retry_after_seconds,
    with_retries,
)


class Flaky:
    """Fails with the given errors in turn, then answers "done"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


class Busy(Exception):
    def __init__(self, retry_after: float | None = None) -> None:
        super().__init__("busy")
        self.retry_after = retry_after


def busy_is_transient(error: Exception) -> Transient | None:
    return Transient(error.retry_after) if isinstance(error, Busy) else None


def test_a_transient_failure_is_tried_again_after_the_vendors_retry_after() -> None:
    waits: list[float] = []
    call = Flaky(Busy(retry_after=1.5))

    assert with_retries(call, attempts=3, transient=busy_is_transient, sleep=waits.append) == "done"
    assert call.calls == 2
    assert waits == [1.5]


def test_without_a_retry_after_the_wait_doubles() -> None:
    waits: list[float] = []
    call = Flaky(Busy(), Busy())

    assert with_retries(call, attempts=3, transient=busy_is_transient, sleep=waits.append) == "done"
    assert waits == [0.2, 0.4]


def test_the_last_failure_is_raised_once_the_attempts_are_used_up() -> None:
    call = Flaky(Busy(), Busy(), Busy())

    with pytest.raises(Busy):
        with_retries(call, attempts=2, transient=busy_is_transient, sleep=lambda _: None)
    assert call.calls == 2


def test_a_retry_after_beyond_the_wait_budget_is_not_waited_for() -> None:
    waits: list[float] = []
    call = Flaky(Busy(retry_after=WAIT_BUDGET_SECONDS + 1))

    with pytest.raises(Busy):
        with_retries(call, attempts=3, transient=busy_is_transient, sleep=waits.append)
    assert call.calls == 1
    assert waits == []


def test_a_failure_that_is_not_transient_is_raised_at_once() -> None:
    call = Flaky(KeyError("nope"))

    with pytest.raises(KeyError):
        with_retries(call, attempts=3, transient=busy_is_transient, sleep=lambda _: None)
    assert call.calls == 1


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "2"}, 2.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, None),
        ({"Retry-After": "-1"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_retry_after_is_read_in_seconds(headers: object, seconds: float | None) -> None:
    assert retry_after_seconds(headers) == seconds
