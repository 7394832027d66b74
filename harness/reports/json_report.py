"""The JSON report: everything, for machines (dashboards, the history, a later re-render)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from harness.model import TrialResult
from harness.reports.evaluation import Evaluation
from harness.stats import Difference


def json_report(evaluation: Evaluation, include_trajectories: bool = False) -> dict[str, Any]:
    """Summaries, decision, comparison and each trial's key, outcome and judgements.
    Trajectories are big (journals, app logs): only on request."""
    return {
        "decision": asdict(evaluation.decision),
        "overall": asdict(evaluation.overall),
        "scenarios": [asdict(s) for s in evaluation.summaries],
        "comparison": _comparison(evaluation),
        "trials": [_trial(r, include_trajectories) for r in evaluation.results],
    }


def _trial(result: TrialResult, include_trajectory: bool) -> dict[str, Any]:
    data = {"id": result.key.id, **result.to_json()}
    if not include_trajectory:
        data.pop("trajectory")
    return data


def _comparison(evaluation: Evaluation) -> dict[str, Any] | None:
    comparison = evaluation.comparison
    if comparison is None:
        return None
    return {
        "alpha": comparison.alpha,
        "overall": None if comparison.overall is None else _difference(comparison.overall),
        "scenarios": [_difference(d) for d in comparison.scenarios],
    }


def _difference(difference: Difference) -> dict[str, Any]:
    return {**asdict(difference), "regression": difference.regression}
