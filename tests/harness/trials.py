"""Trial results built by hand, for the stats, gate, report and history tests."""

from __future__ import annotations

from harness.model import CheckResult, Judgement, Outcome, TrialKey, TrialResult


def trial(
    scenario: str,
    seed: int,
    outcome: Outcome = "satisfied",
    failed: tuple[str, ...] = (),
    sweep: str = "sweep-1",
    behaviour: str = "",
) -> TrialResult:
    """A trial of `scenario`; `failed` names the checks that failed (one passing check too)."""
    checks = [CheckResult("responds", True, behaviour="the app answers")]
    checks += [
        CheckResult(name, False, detail=f"{name} did not hold", behaviour=behaviour or name)
        for name in failed
    ]
    judged = outcome != "error"
    return TrialResult(
        key=TrialKey(sweep=sweep, scenario=scenario, seed=seed),
        outcome=outcome,
        judgements=[
            Judgement(
                "checks", 1.0 if outcome == "satisfied" else 0.0, outcome == "satisfied", checks
            )
        ]
        if judged
        else [],
        duration_s=0.5,
        error=None if judged else "the app would not start",
    )


def trials(
    scenario: str,
    satisfied: int,
    unsatisfied: int = 0,
    errors: int = 0,
    failed: tuple[str, ...] = ("pays once",),
    sweep: str = "sweep-1",
) -> list[TrialResult]:
    """`satisfied` + `unsatisfied` + `errors` trials of a scenario, seeds 0, 1, 2..."""
    counts: list[tuple[Outcome, int]] = [
        ("satisfied", satisfied),
        ("unsatisfied", unsatisfied),
        ("error", errors),
    ]
    outcomes = [outcome for outcome, count in counts for _ in range(count)]
    return [
        trial(scenario, seed, outcome, failed if outcome == "unsatisfied" else (), sweep)
        for seed, outcome in enumerate(outcomes)
    ]
