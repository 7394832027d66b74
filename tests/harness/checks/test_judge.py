from __future__ import annotations

from harness.checks import judge
from harness.model import StepRecord
from harness.scenario import CheckMeta, Count, JournalCheck, Scenario
from tests.harness.checks.builders import entry, trajectory


def scenario(*checks: JournalCheck, threshold: float = 1.0) -> Scenario:
    return Scenario(
        id="s",
        title="t",
        story="",
        twins=("bookshop",),
        steps=(),
        checks=checks,
        threshold=threshold,
    )


def counting(name: str, exactly: int, weight: float = 1.0, critical: bool = False) -> JournalCheck:
    meta = CheckMeta(name=name, weight=weight, critical=critical)
    return JournalCheck(
        meta=meta, twin="bookshop", operation="POST *", count=Count(exactly=exactly)
    )


ONE_CREATE = trajectory(journal=[entry("POST /orders", 201)])


def test_the_score_is_the_weighted_fraction_of_passed_checks() -> None:
    judgement = judge(
        scenario(counting("right", 1, weight=3), counting("wrong", 2, weight=1)), ONE_CREATE, {}
    )
    assert judgement.score == 0.75
    assert not judgement.satisfied


def test_a_score_over_the_threshold_satisfies() -> None:
    judgement = judge(
        scenario(counting("right", 1, weight=3), counting("wrong", 2), threshold=0.7),
        ONE_CREATE,
        {},
    )
    assert judgement.satisfied


def test_a_failed_critical_check_fails_the_trial_whatever_the_score() -> None:
    checks = (counting("right", 1, weight=99), counting("wrong", 2, critical=True))
    judgement = judge(scenario(*checks, threshold=0.5), ONE_CREATE, {})
    assert not judgement.satisfied
    assert "critical failed: wrong" in judgement.rationale


def test_a_broken_step_fails_the_trial_as_a_critical_check() -> None:
    broken = trajectory(
        journal=[entry("POST /orders", 201)],
        steps=[StepRecord(index=0, kind="http", error="POST /buy answered 500, expected 201")],
    )
    judgement = judge(scenario(counting("right", 1)), broken, {})
    assert not judgement.satisfied
    assert judgement.checks[0].name == "steps completed"
    assert "answered 500" in judgement.checks[0].detail
