"""The agent view: what failed, in behaviour terms, for a coding agent fixing the app.

The agent must not learn the scenarios themselves (it would code to the test), so scenarios
appear only under opaque labels ("scenario A"), and their ids and any secret text the caller
names (titles, stories, step paths) are scrubbed from everything shown. What remains: which
behaviours failed, how often, and how satisfied users were.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from harness.model import CheckResult
from harness.reports.evaluation import Evaluation, failed_checks

HIDDEN = "[hidden]"


def scenario_labels(scenarios: Iterable[str]) -> dict[str, str]:
    """Scenario id -> "scenario A", "scenario B", ... "scenario AA", in sorted id order."""
    return {
        scenario: f"scenario {_letters(i)}" for i, scenario in enumerate(sorted(set(scenarios)))
    }


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class _Scrubber:
    """Replaces scenario ids by their labels and secret text by HIDDEN, case-insensitively."""

    def __init__(self, labels: Mapping[str, str], secrets: Mapping[str, Iterable[str]]) -> None:
        self.labels = {k.lower(): v for k, v in labels.items()}
        hidden = {s.strip() for texts in secrets.values() for s in texts if s.strip()}
        self.ids = _alternation(labels, prefix=r"(?:scenario\s+)?")
        self.secrets = _alternation(hidden)

    def __call__(self, text: str) -> str:
        if self.secrets is not None:
            text = self.secrets.sub(HIDDEN, text)
        if self.ids is not None:
            text = self.ids.sub(lambda m: self.labels[m.group("text").lower()], text)
        return text


def _alternation(texts: Iterable[str], prefix: str = "") -> re.Pattern[str] | None:
    """One pattern for all texts (and an optional prefix to swallow, e.g. "scenario ")."""
    ordered = sorted({t for t in texts if t}, key=len, reverse=True)  # longest wins
    if not ordered:
        return None
    either = "|".join(re.escape(t) for t in ordered)
    return re.compile(f"{prefix}(?P<text>{either})", re.IGNORECASE)


def agent_view(
    evaluation: Evaluation, secrets: Mapping[str, Iterable[str]] | None = None
) -> dict[str, Any]:
    """The view as data. `secrets`: scenario id -> texts that must not show (title, story,
    step paths...)."""
    labels = scenario_labels(s.scenario for s in evaluation.summaries)
    scrub = _Scrubber(labels, secrets or {})
    failing = _failing_behaviours(evaluation)
    return {
        "decision": evaluation.decision.verdict,
        "reasons": [scrub(r) for r in evaluation.decision.reasons],
        "overall_satisfaction": round(evaluation.overall.satisfaction, 4),
        "scenarios": [
            {
                "label": labels[s.scenario],
                "satisfaction": round(s.satisfaction, 4),
                "valid_trials": s.trials - s.errors,
                "harness_errors": s.errors,
                "failing_behaviours": [
                    {"behaviour": scrub(b), "check": scrub(c), "critical": k, "failed_trials": n}
                    for (b, c, k), n in failing.get(s.scenario, Counter()).most_common()
                ],
            }
            for s in sorted(evaluation.summaries, key=lambda s: labels[s.scenario])
        ],
    }


def _failing_behaviours(evaluation: Evaluation) -> dict[str, Counter[tuple[str, str, bool]]]:
    """scenario -> (behaviour, check name, critical) -> trials it failed in."""
    failing: dict[str, Counter[tuple[str, str, bool]]] = {}
    for result in evaluation.results:
        counter = failing.setdefault(result.key.scenario, Counter())
        for entry in {_behaviour(c) for c in failed_checks(result)}:
            counter[entry] += 1
    return failing


def _behaviour(check: CheckResult) -> tuple[str, str, bool]:
    return (check.behaviour or check.name, check.name, check.critical)


def agent_view_text(
    evaluation: Evaluation, secrets: Mapping[str, Iterable[str]] | None = None
) -> str:
    """The view as plain text, for an agent's prompt."""
    view = agent_view(evaluation, secrets)
    lines = [
        f"Gate decision: {view['decision']}"
        f" (overall satisfaction {view['overall_satisfaction']:.0%})",
        *(f"- {reason}" for reason in view["reasons"]),
    ]
    for scenario in view["scenarios"]:
        lines += ["", _heading(scenario)]
        lines += [
            _failure_line(f, scenario["valid_trials"]) for f in scenario["failing_behaviours"]
        ]
    return "\n".join(lines) + "\n"


def _heading(scenario: dict[str, Any]) -> str:
    errors = f", {scenario['harness_errors']} harness errors" if scenario["harness_errors"] else ""
    return (
        f"{scenario['label']}: satisfied in {scenario['satisfaction']:.0%}"
        f" of {scenario['valid_trials']} trials{errors}"
    )


def _failure_line(failure: dict[str, Any], trials: int) -> str:
    critical = " [critical]" if failure["critical"] else ""
    return (
        f"  - {failure['behaviour']}{critical} (check {failure['check']}:"
        f" failed in {failure['failed_trials']}/{trials} trials)"
    )


def agent_view_json(
    evaluation: Evaluation, secrets: Mapping[str, Iterable[str]] | None = None
) -> str:
    return json.dumps(agent_view(evaluation, secrets), indent=2, ensure_ascii=False)
