from __future__ import annotations

from harness.gate import Policy
from harness.reports import evaluate, markdown_report
from tests.harness.reports.sweeps import CHECKOUT, REFUND, baseline, candidate, evaluation
from tests.harness.trials import trials


def table_row(report: str, scenario: str) -> str:
    """The scenario's row in the satisfaction table (the first table)."""
    return next(line for line in report.splitlines() if line.startswith(f"| {scenario} |"))


def test_the_comment_opens_with_the_decision_and_its_reasons() -> None:
    report = markdown_report(evaluation())
    assert report.startswith("## ❌ Scenario gate: **block**")
    assert "- overall lower bound" in report


def test_each_scenario_has_a_row_with_satisfaction_interval_and_baseline_arrow() -> None:
    report = markdown_report(evaluation())
    assert table_row(report, REFUND) == (
        f"| {REFUND} | 25.0% | 7.1% – 59.1% | 10 | 2 | ↓ -75.0 pts (p=0.0008) |"
    )


def test_a_change_within_noise_gets_a_flat_arrow() -> None:
    ev = evaluate(trials("pay", 8, 2), Policy(), trials("pay", 9, 1))
    assert "→ -10.0 pts" in table_row(markdown_report(ev), "pay")


def test_an_improvement_gets_an_up_arrow() -> None:
    ev = evaluate(trials("pay", 50), Policy(), trials("pay", 10, 40))
    assert "↑ +80.0 pts" in table_row(markdown_report(ev), "pay")


def test_the_top_failing_checks_are_counted_by_trial() -> None:
    report = markdown_report(evaluation())
    assert "### Top failing checks" in report
    assert f"| {REFUND} | refund issued | 6 |" in report
    assert f"| {CHECKOUT} | {CHECKOUT}: charged once | 4 |" in report


def test_a_shadow_gate_shows_a_warning_not_a_block() -> None:
    report = markdown_report(
        evaluate(candidate(), Policy(min_satisfaction=0.99, shadow=True), baseline())
    )
    assert report.startswith("## ⚠️ Scenario gate: **merge**")
    assert "- shadow mode: would have blocked" in report


def test_pipes_in_names_do_not_break_the_table() -> None:
    ev = evaluate(trials("a|b", 1, 1, failed=("x|y",)), Policy())
    report = markdown_report(ev)
    assert "| a\\|b |" in report and "x\\|y" in report
