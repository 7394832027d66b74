"""A pull-request comment: the decision, a table of scenarios against the baseline, and the
checks that failed most."""

from __future__ import annotations

from harness.model import ScenarioSummary
from harness.reports.evaluation import Evaluation, failing_check_counts
from harness.stats import Difference

TOP_FAILURES = 10


def markdown_report(evaluation: Evaluation, top: int = TOP_FAILURES) -> str:
    lines = [*_decision(evaluation), "", *_table(evaluation), *_failures(evaluation, top)]
    return "\n".join(lines) + "\n"


def _decision(evaluation: Evaluation) -> list[str]:
    decision, total = evaluation.decision, evaluation.overall
    title = "merge" if decision.verdict == "merge" else "block"
    icon = "✅" if decision.verdict == "merge" else "❌"
    if decision.would_block:
        icon = "⚠️"
    lines = [
        f"## {icon} Scenario gate: **{title}**",
        "",
        f"Overall satisfaction **{_pct(total.satisfaction)}**"
        f" ({_pct(total.low)} – {_pct(total.high)}) over {total.scenarios} scenarios"
        f"{_overall_delta(evaluation)}.",
        "",
    ]
    return lines + [f"- {_cell(reason)}" for reason in decision.reasons]


def _overall_delta(evaluation: Evaluation) -> str:
    whole = evaluation.comparison.overall if evaluation.comparison else None
    return "" if whole is None else f", {_delta(whole)} vs baseline"


def _table(evaluation: Evaluation) -> list[str]:
    differences = {
        d.scenario: d for d in (evaluation.comparison.scenarios if evaluation.comparison else [])
    }
    lines = [
        "| Scenario | Satisfaction | Interval | Trials | Errors | vs baseline |",
        "|---|---:|---|---:|---:|---|",
    ]
    return lines + [_row(s, differences.get(s.scenario)) for s in evaluation.summaries]


def _row(summary: ScenarioSummary, difference: Difference | None) -> str:
    name = _cell(summary.scenario) + (" (critical)" if summary.critical else "")
    versus = "–" if difference is None else _delta(difference)
    return (
        f"| {name} | {_pct(summary.satisfaction)} | {_pct(summary.low)} – {_pct(summary.high)}"
        f" | {summary.trials} | {summary.errors} | {versus} |"
    )


def _delta(difference: Difference) -> str:
    """↑/↓ only when the change is significant; → when it is within noise."""
    if difference.improvement:
        arrow = "↑"
    elif difference.regression:
        arrow = "↓"
    else:
        arrow = "→"
    points = difference.delta * 100
    return f"{arrow} {points:+.1f} pts (p={difference.p_value:.2g})"


def _failures(evaluation: Evaluation, top: int) -> list[str]:
    counts = failing_check_counts(evaluation.results).most_common(top)
    if not counts:
        return []
    lines = [
        "",
        "### Top failing checks",
        "",
        "| Scenario | Check | Failed trials |",
        "|---|---|---:|",
    ]
    return lines + [f"| {_cell(s)} | {_cell(c)} | {n} |" for (s, c), n in counts]


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _cell(text: str) -> str:
    """Keep table cells one line and their pipes literal."""
    return " ".join(text.split()).replace("|", "\\|")
