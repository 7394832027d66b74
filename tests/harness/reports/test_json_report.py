from __future__ import annotations

import json

from harness.model import TrialResult
from harness.reports import json_report
from tests.harness.reports.sweeps import CHECKOUT, REFUND, evaluation


def test_the_json_report_holds_the_decision_summaries_and_comparison() -> None:
    report = json_report(evaluation())
    assert report["decision"]["verdict"] == "block"
    assert report["decision"]["exit_code"] == 1
    assert [s["scenario"] for s in report["scenarios"]] == [CHECKOUT, REFUND]
    refund = report["scenarios"][1]
    assert (refund["trials"], refund["satisfied"], refund["errors"]) == (10, 2, 2)
    assert report["comparison"]["overall"]["regression"] is True
    assert 0 <= report["overall"]["low"] <= report["overall"]["satisfaction"] <= 1


def test_the_json_report_lists_every_trial_with_its_judgements() -> None:
    report = json_report(evaluation())
    assert len(report["trials"]) == 20
    first = report["trials"][0]
    assert first["id"] == f"sweep-2:{CHECKOUT}:none:0"
    assert first["judgements"][0]["checks"][0]["name"] == "responds"
    assert "trajectory" not in first


def test_the_json_report_round_trips_through_json_and_back_to_trials() -> None:
    report = json.loads(json.dumps(json_report(evaluation(), include_trajectories=True)))
    trial = report["trials"][7]
    restored = TrialResult.from_json({k: v for k, v in trial.items() if k != "id"})
    assert restored == evaluation().results[7]


def test_without_a_baseline_the_comparison_is_null() -> None:
    from harness.gate import Policy
    from harness.reports import evaluate
    from tests.harness.reports.sweeps import candidate

    assert json_report(evaluate(candidate(), Policy()))["comparison"] is None
