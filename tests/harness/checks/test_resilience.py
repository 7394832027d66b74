from __future__ import annotations

from typing import Any

from harness.checks import run_check
from harness.scenario import CheckMeta, ResilienceCheck
from harness.scenario.model import ResilienceKind
from tests.harness.checks.builders import entry, trajectory

META = CheckMeta(name="c")


def judged(
    kind: ResilienceKind, journal: list[dict[str, Any]], fields: tuple[str, ...] = ()
) -> tuple[bool, str]:
    check = ResilienceCheck(
        meta=META, kind=kind, twin="bookshop", operation="POST /orders", fields=fields
    )
    result = run_check(check, trajectory(journal=journal), {})
    return result.passed, result.detail


RATE_LIMITED = {"Retry-After": "2"}


def test_waiting_out_retry_after_honours_it() -> None:
    journal = [
        entry("POST /orders", 429, at=10.0, response_headers=RATE_LIMITED),
        entry("POST /orders", 201, at=12.01),
    ]
    assert judged("honours_retry_after", journal)[0]


def test_retrying_before_retry_after_does_not_honour_it() -> None:
    journal = [
        entry("POST /orders", 429, at=10.0, response_headers=RATE_LIMITED),
        entry("POST /orders", 201, at=10.5),
    ]
    passed, detail = judged("honours_retry_after", journal)
    assert not passed
    assert "0.50s after a 429 asking for 2s" in detail


def test_a_repeated_retry_after_header_counts_once() -> None:
    journal = [
        entry("POST /orders", 429, at=0.0, response_headers={"retry-after": "1, 1"}),
        entry("POST /orders", 201, at=1.0),
    ]
    assert judged("honours_retry_after", journal)[0]


def test_a_run_without_rate_limits_honours_retry_after_trivially() -> None:
    assert judged("honours_retry_after", [entry("POST /orders", 201)]) == (
        True,
        "never rate-limited",
    )


BODY = {"amount": 500, "customer": "cus_1"}


def test_a_retry_after_a_503_with_the_same_key_reuses_it() -> None:
    journal = [
        entry("POST /orders", 503, body=BODY, key="k1"),
        entry("POST /orders", 201, body=BODY, key="k1"),
    ]
    assert judged("reuses_idempotency_key", journal)[0]


def test_a_retry_with_a_new_key_does_not_reuse_it() -> None:
    journal = [
        entry("POST /orders", 503, body=BODY, key="k1"),
        entry("POST /orders", 201, body=BODY, key="k2"),
    ]
    passed, detail = judged("reuses_idempotency_key", journal)
    assert not passed
    assert "'k2'" in detail


def test_a_retry_after_a_lost_reply_without_any_key_fails() -> None:
    journal = [
        entry("POST /orders", 201, body=BODY, fault={"kind": "truncate"}),
        entry("POST /orders", 201, body=BODY),
    ]
    passed, detail = judged("reuses_idempotency_key", journal)
    assert not passed
    assert "no Idempotency-Key" in detail


def test_a_new_request_with_another_body_is_not_a_retry() -> None:
    journal = [
        entry("POST /orders", 503, body=BODY, key="k1"),
        entry("POST /orders", 201, body={"amount": 1}, key="k2"),
    ]
    assert judged("reuses_idempotency_key", journal) == (True, "nothing was retried")


def test_two_successful_creates_of_the_same_charge_are_a_duplicate() -> None:
    journal = [entry("POST /orders", 201, body=BODY), entry("POST /orders", 201, body=BODY)]
    passed, detail = judged("no_duplicate_side_effects", journal, ("/amount", "/customer"))
    assert not passed
    assert "2 successful creates" in detail


def test_an_idempotent_replay_is_not_a_second_side_effect() -> None:
    journal = [
        entry("POST /orders", 201, body=BODY, key="k1", fault={"kind": "truncate"}),
        entry(
            "POST /orders",
            201,
            body=BODY,
            key="k1",
            response_headers={"Idempotent-Replayed": "true"},
        ),
    ]
    assert judged("no_duplicate_side_effects", journal, ("/amount", "/customer"))[0]


def test_failed_creates_and_different_bodies_are_not_duplicates() -> None:
    journal = [
        entry("POST /orders", 503, body=BODY),
        entry("POST /orders", 201, body=BODY),
        entry("POST /orders", 201, body={"amount": 500, "customer": "cus_2"}),
    ]
    assert judged("no_duplicate_side_effects", journal, ("/amount", "/customer"))[0]
