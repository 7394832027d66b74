"""One sweep judged: its trials, their summaries, the baseline comparison and the decision.
Every report renders an Evaluation, so they all tell the same story."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from harness.gate import Decision, Policy, decide
from harness.model import CheckResult, ScenarioSummary, TrialResult
from harness.stats import Comparison, Overall, compare, overall, summarise


@dataclass(frozen=True)
class Evaluation:
    results: list[TrialResult]
    summaries: list[ScenarioSummary]
    overall: Overall
    decision: Decision
    comparison: Comparison | None = None  # None without a baseline


def evaluate(
    results: Iterable[TrialResult],
    policy: Policy,
    baseline: Iterable[TrialResult] | None = None,
    weights: Mapping[str, float] | None = None,
) -> Evaluation:
    trials = list(results)
    critical = policy.critical.keys()
    summaries = summarise(trials, weights, critical, confidence=policy.confidence)
    total = overall(summaries, policy.confidence)
    comparison = None
    if baseline is not None:
        theirs = summarise(baseline, weights, critical, confidence=policy.confidence)
        comparison = compare(summaries, theirs, policy.alpha)
    return Evaluation(
        trials, summaries, total, decide(policy, summaries, total, comparison), comparison
    )


def failed_checks(result: TrialResult) -> list[CheckResult]:
    """The checks that failed in a trial, across its judgements."""
    return [c for j in result.judgements for c in j.checks if not c.passed]


def failing_check_counts(results: Iterable[TrialResult]) -> Counter[tuple[str, str]]:
    """(scenario, check name) -> in how many trials it failed."""
    counts: Counter[tuple[str, str]] = Counter()
    for result in results:
        for name in {c.name for c in failed_checks(result)}:
            counts[(result.key.scenario, name)] += 1
    return counts
