"""The deterministic judge: a scenario's checks over a trial's trajectory -> a Judgement.

The score is the weighted fraction of checks that passed; a trial is satisfied when the score
reaches the scenario's threshold and no critical check failed. Steps that broke (an unexpected
status, a value that could not be saved) count as one critical check: the user did not get
through their story."""

from __future__ import annotations

from typing import Any

from harness.checks.observed import journal, response, state
from harness.checks.resilience import resilience
from harness.model import CheckResult, Judgement, Trajectory
from harness.scenario import Check, JournalCheck, ResponseCheck, Scenario, StateCheck


def judge(scenario: Scenario, trajectory: Trajectory, context: dict[str, Any]) -> Judgement:
    results = [
        _steps_completed(trajectory),
        *(run_check(check, trajectory, context) for check in scenario.checks),
    ]
    total = sum(result.weight for result in results)
    score = sum(result.weight for result in results if result.passed) / total if total else 0.0
    critical_failed = [result.name for result in results if result.critical and not result.passed]
    satisfied = score >= scenario.threshold and not critical_failed
    rationale = f"score {score:.2f} (threshold {scenario.threshold:.2f})" + (
        f"; critical failed: {', '.join(critical_failed)}" if critical_failed else ""
    )
    return Judgement(
        judge="checks", score=score, satisfied=satisfied, checks=results, rationale=rationale
    )


def run_check(check: Check, trajectory: Trajectory, context: dict[str, Any]) -> CheckResult:
    if isinstance(check, ResponseCheck):
        return response(check, trajectory, context)
    if isinstance(check, JournalCheck):
        return journal(check, trajectory, context)
    if isinstance(check, StateCheck):
        return state(check, trajectory, context)
    return resilience(check, trajectory)


def _steps_completed(trajectory: Trajectory) -> CheckResult:
    broken = [step for step in trajectory.steps if step.error]
    detail = (
        f"step {broken[0].index} ({broken[0].kind}): {broken[0].error}"
        if broken
        else "every step completed"
    )
    return CheckResult(
        name="steps completed",
        passed=not broken,
        weight=0.0,  # gates through `critical`, not the score
        detail=detail,
        behaviour="the user gets through every step of their task",
        critical=True,
    )
