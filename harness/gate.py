"""The merge gate: a policy file, and the decision it makes from a sweep's summaries.

A policy (YAML, or TOML by its `.toml` suffix) says how satisfied users must be before a
change merges; see docs/gate-and-reports.md for the format. `decide` returns a Decision
whose exit code a CI job can return as is: 0 merge, 1 block, 2 bad input.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from harness.model import ScenarioSummary
from harness.stats import Comparison, Overall, valid_trials

MERGE, BLOCK, BAD_INPUT = 0, 1, 2
MAX_POLICY_BYTES = 256 * 1024  # a policy is a few lines; anything bigger is a mistake

Verdict = Literal["merge", "block"]


class PolicyError(ValueError):
    """An unusable policy file: names the file and the key."""

    def __init__(self, source: str, key: str, why: str) -> None:
        super().__init__(f"{source}: {key}: {why}" if key else f"{source}: {why}")
        self.source, self.key, self.why = source, key, why


@dataclass(frozen=True)
class Policy:
    min_satisfaction: float = 0.0  # overall
    use_lower_bound: bool = True  # compare the interval's lower bound, not the point
    min_trials: int = 1  # valid trials every scenario needs
    max_regression: float | None = None  # biggest significant drop vs baseline allowed
    critical: Mapping[str, float] = field(default_factory=dict)  # scenario -> its own floor
    shadow: bool = False  # report the verdict but always merge
    confidence: float = 0.95  # of the intervals
    alpha: float = 0.05  # significance level of baseline comparisons


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    reasons: list[str]
    exit_code: int
    would_block: bool = False  # shadow mode: what the gate would have said

    @classmethod
    def bad_input(cls, why: str) -> Decision:
        return cls("block", [why], BAD_INPUT)


_KEYS = {
    "min_satisfaction",
    "use_lower_bound",
    "min_trials",
    "max_regression",
    "critical",
    "shadow",
    "confidence",
    "alpha",
}


def load_policy(path: str | Path) -> Policy:
    """Read and validate a policy file; PolicyError says which file and key are wrong."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise PolicyError(source, "", f"cannot read: {exc.strerror or exc}") from exc
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyError(source, "", f"larger than {MAX_POLICY_BYTES} bytes")
    return parse_policy(raw.decode("utf-8", errors="replace"), source)


def parse_policy(text: str, source: str = "<policy>") -> Policy:
    try:
        data = tomllib.loads(text) if source.endswith(".toml") else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise PolicyError(source, "", f"not valid {_format(source)}: {exc}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError(source, "", "must be a mapping of settings")
    return _policy(data, source)


def _format(source: str) -> str:
    return "TOML" if source.endswith(".toml") else "YAML"


def _policy(data: dict[str, Any], source: str) -> Policy:
    unknown = sorted(str(k) for k in data if k not in _KEYS)
    if unknown:
        raise PolicyError(source, unknown[0], f"unknown key (known: {', '.join(sorted(_KEYS))})")
    regression = data.get("max_regression")
    return Policy(
        min_satisfaction=_fraction(data, "min_satisfaction", 0.0, source),
        use_lower_bound=_flag(data, "use_lower_bound", True, source),
        min_trials=_count(data, "min_trials", 1, source),
        max_regression=None if regression is None else _fraction(data, "max_regression", 0, source),
        critical=_critical(data.get("critical", {}), source),
        shadow=_flag(data, "shadow", False, source),
        confidence=_open_fraction(data, "confidence", 0.95, source),
        alpha=_open_fraction(data, "alpha", 0.05, source),
    )


def _number(value: Any, key: str, source: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PolicyError(source, key, f"must be a number, got {value!r}")
    return float(value)


def _fraction(data: Mapping[str, Any], key: str, default: float, source: str) -> float:
    value = _number(data.get(key, default), key, source)
    if not 0.0 <= value <= 1.0:
        raise PolicyError(source, key, f"must be between 0 and 1, got {value}")
    return value


def _open_fraction(data: Mapping[str, Any], key: str, default: float, source: str) -> float:
    value = _number(data.get(key, default), key, source)
    if not 0.0 < value < 1.0:
        raise PolicyError(source, key, f"must be strictly between 0 and 1, got {value}")
    return value


def _flag(data: Mapping[str, Any], key: str, default: bool, source: str) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise PolicyError(source, key, f"must be true or false, got {value!r}")
    return value


def _count(data: Mapping[str, Any], key: str, default: int, source: str) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PolicyError(source, key, f"must be a whole number >= 1, got {value!r}")
    return value


def _critical(value: Any, source: str) -> dict[str, float]:
    if not isinstance(value, dict):
        raise PolicyError(source, "critical", "must map scenario ids to their floors (0..1)")
    return {str(k): _fraction(value, str(k), 0, f"{source}: critical") for k in value}


def decide(
    policy: Policy,
    summaries: list[ScenarioSummary],
    total: Overall,
    comparison: Comparison | None = None,
) -> Decision:
    """Merge or block, with every reason to block (or why it merged)."""
    reasons = [
        *_trial_reasons(policy, summaries),
        *_overall_reasons(policy, total),
        *_critical_reasons(policy, summaries),
        *_regression_reasons(policy, comparison),
    ]
    if not reasons:
        return Decision("merge", [_passed(policy, total)], MERGE)
    if policy.shadow:
        return Decision("merge", ["shadow mode: would have blocked", *reasons], MERGE, True)
    return Decision("block", reasons, BLOCK)


def _measure(policy: Policy, point: float, low: float) -> tuple[float, str]:
    return (low, "lower bound") if policy.use_lower_bound else (point, "satisfaction")


def _passed(policy: Policy, total: Overall) -> str:
    value, what = _measure(policy, total.satisfaction, total.low)
    return f"overall {what} {value:.3f} >= {policy.min_satisfaction:.3f}"


def _trial_reasons(policy: Policy, summaries: list[ScenarioSummary]) -> list[str]:
    if not summaries:
        return ["no trials were run"]
    return [
        f"scenario {s.scenario}: {valid_trials(s)} valid trials, policy needs {policy.min_trials}"
        for s in summaries
        if valid_trials(s) < policy.min_trials
    ]


def _overall_reasons(policy: Policy, total: Overall) -> list[str]:
    value, what = _measure(policy, total.satisfaction, total.low)
    if value >= policy.min_satisfaction:
        return []
    return [f"overall {what} {value:.3f} < {policy.min_satisfaction:.3f}"]


def _critical_reasons(policy: Policy, summaries: list[ScenarioSummary]) -> list[str]:
    ran = {s.scenario: s for s in summaries}
    reasons = []
    for scenario, floor in sorted(policy.critical.items()):
        summary = ran.get(scenario)
        if summary is None:
            reasons.append(f"critical scenario {scenario}: was not run")
            continue
        value, what = _measure(policy, summary.satisfaction, summary.low)
        if value < floor:
            reasons.append(f"critical scenario {scenario}: {what} {value:.3f} < {floor:.3f}")
    return reasons


def _regression_reasons(policy: Policy, comparison: Comparison | None) -> list[str]:
    if comparison is None or policy.max_regression is None:
        return []
    limit = policy.max_regression
    drops = [d for d in comparison.scenarios if d.regression and -d.delta > limit]
    reasons = [
        f"scenario {d.scenario}: dropped {-d.delta:.3f} vs baseline (p={d.p_value:.3g}),"
        f" allowed {limit:.3f}"
        for d in drops
    ]
    whole = comparison.overall
    if whole is not None and whole.regression and -whole.delta > limit:
        reasons.append(
            f"overall: dropped {-whole.delta:.3f} vs baseline (p={whole.p_value:.3g}),"
            f" allowed {limit:.3f}"
        )
    return reasons
