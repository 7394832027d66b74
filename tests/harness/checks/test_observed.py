from __future__ import annotations

from typing import Any

import pytest

from harness.checks import run_check
from harness.model import StepRecord
from harness.scenario import CheckMeta, Condition, Count, JournalCheck, ResponseCheck, StateCheck
from tests.harness.checks.builders import entry, trajectory

META = CheckMeta(name="c", behaviour="the user is told")
CONTEXT: dict[str, Any] = {"vars": {"order": "ord_42", "email": "ada@example.com"}}


def reply_step(response: dict[str, Any]) -> StepRecord:
    return StepRecord(index=0, kind="http", request={"name": "pay"}, response=response)


@pytest.mark.parametrize(
    ("condition", "passed"),
    [
        (Condition(pointer="/order/id", equals="{vars.order}", has_equals=True), True),
        (Condition(pointer="/order/id", equals="ord_1", has_equals=True), False),
        (Condition(pointer="/message", contains="ord_42"), True),
        (Condition(pointer="/tags", contains="paid"), True),
        (Condition(pointer="/tags", contains="refunded"), False),
        (Condition(pointer="/message", matches=r"^Order ord_\d+ paid$"), True),
        (Condition(pointer="/missing", contains="x"), False),
    ],
)
def test_a_response_check_tests_json_pointers(condition: Condition, passed: bool) -> None:
    step = reply_step(
        {
            "status": 200,
            "json": {"order": {"id": "ord_42"}, "message": "Order ord_42 paid", "tags": ["paid"]},
        }
    )
    check = ResponseCheck(meta=META, step="pay", status=200, conditions=(condition,))
    assert run_check(check, trajectory(steps=[step]), CONTEXT).passed is passed


def test_a_response_check_fails_on_the_wrong_status_and_says_so() -> None:
    result = run_check(
        ResponseCheck(meta=META, step="pay", status=201),
        trajectory(steps=[reply_step({"status": 500})]),
        CONTEXT,
    )
    assert not result.passed
    assert "status 500, expected 201" in result.detail
    assert result.behaviour == "the user is told"


def test_a_response_check_reads_command_output() -> None:
    step = StepRecord(
        index=0,
        kind="command",
        request={"name": "pay"},
        response={"exit_code": 0, "stdout": "paid ord_42"},
    )
    check = ResponseCheck(meta=META, step="pay", exit_code=0, stdout_contains="ord_42")
    assert run_check(check, trajectory(steps=[step]), CONTEXT).passed


def test_a_response_check_on_a_step_that_never_ran_fails() -> None:
    assert not run_check(ResponseCheck(meta=META, step="pay"), trajectory(), CONTEXT).passed


JOURNAL = [
    entry(
        "POST /chat.postMessage",
        200,
        body={"channel": "#orders", "text": "Order ord_42 is paid"},
        twin="slack",
    ),
    entry(
        "POST /chat.postMessage", 200, body={"channel": "#general", "text": "hello"}, twin="slack"
    ),
    entry(
        "POST /chat.postMessage",
        500,
        body={"channel": "#orders", "text": "Order ord_42 is paid"},
        twin="slack",
    ),
]


@pytest.mark.parametrize(
    ("count", "passed"),
    [
        (Count(exactly=1), True),
        (Count(exactly=2), False),
        (Count(at_least=1), True),
        (Count(at_most=0), False),
    ],
)
def test_a_journal_check_counts_matching_entries(count: Count, passed: bool) -> None:
    check = JournalCheck(
        meta=META,
        twin="slack",
        operation="POST /chat.*",
        status=200,
        where=(
            Condition(pointer="/request/body/channel", equals="#orders", has_equals=True),
            Condition(pointer="/request/body/text", contains="{vars.order}"),
        ),
        count=count,
    )
    assert run_check(check, trajectory(journal=JOURNAL), CONTEXT).passed is passed


def test_a_journal_check_ignores_other_twins() -> None:
    check = JournalCheck(meta=META, twin="bookshop", operation="*", count=Count(exactly=0))
    assert run_check(check, trajectory(journal=JOURNAL), CONTEXT).passed


STATE = {
    "resources": {
        "bookshop": {
            "/authors": [
                {"key": "au_1", "body": {"name": "Ada", "email": "ada@example.com"}},
                {"key": "au_2", "body": {"name": "Bob", "email": "bob@example.com"}},
            ],
            "/books/{isbn}/reviews": [{"key": "r1", "body": {"stars": 5}}],
        }
    }
}


@pytest.mark.parametrize("resource", ["authors", "/authors"])
def test_a_state_check_counts_records_of_a_resource_by_name_or_path(resource: str) -> None:
    check = StateCheck(
        meta=META,
        twin="bookshop",
        resource=resource,
        where=(Condition(pointer="/email", equals="{vars.email}", has_equals=True),),
        count=Count(exactly=1),
    )
    assert run_check(check, trajectory(state=STATE), CONTEXT).passed


def test_a_state_check_finds_nested_collections_by_their_last_segment() -> None:
    check = StateCheck(
        meta=META, twin="bookshop", resource="reviews", count=Count(at_least=1, at_most=1)
    )
    assert run_check(check, trajectory(state=STATE), CONTEXT).passed


def test_a_state_check_on_an_empty_collection_reports_the_count() -> None:
    result = run_check(
        StateCheck(meta=META, twin="bookshop", resource="orders", count=Count(at_least=1)),
        trajectory(state=STATE),
        CONTEXT,
    )
    assert not result.passed
    assert "0, expected at least 1" in result.detail
