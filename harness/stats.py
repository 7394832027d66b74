"""Satisfaction with honest error bars: per scenario, overall, and against a baseline.

A scenario's satisfaction is the share of its valid trials (trials minus harness errors) that
satisfied the user. Trials are few (tens), so intervals matter more than the point:
- Wilson score interval by default: good coverage for small n and never leaves [0, 1], unlike
  the textbook normal (Wald) interval, which collapses to a point at 0/n or n/n.
- Beta(1, 1) credible interval as an option: the equal-tailed interval of the posterior
  Beta(1 + satisfied, 1 + unsatisfied) under a uniform prior.

Overall satisfaction is the weighted mean of scenario satisfactions. Scenarios are
independent, so the variance of that mean is sum((w_i/W)^2 p_i(1-p_i)/n_i): the same as one
proportion observed over the Kish effective size n_eff = 1 / sum((w_i/W)^2 / n_i). Its interval
is Wilson's at the weighted mean over n_eff: exact Wilson for a single scenario, inside [0, 1]
and never a point at 100% (a plain normal interval would be); it ignores the spread between
scenarios' rates, which can only make it wider (p(1-p) is concave). A bootstrap would need a
seed and thousands of resamples for about the same answer at this size.
The comparison's z-test uses the variance above with each p_i Agresti-Coull adjusted,
(s + 2) / (n + 4), so that a scenario at 0/n or n/n still contributes uncertainty.

Comparison with a baseline uses the two-proportion z-test (pooled) per scenario and a z-test
on the difference of the weighted means overall: a difference is "significant" when its
two-sided p-value is below alpha. Identical data always gives z = 0, p = 1.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

from harness.model import ScenarioSummary, TrialResult

Method = Literal["wilson", "beta"]
Interval = tuple[float, float]


def _z(confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence}")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> Interval:
    """The Wilson score interval of `successes` out of `n`; (0, 1) when there is no data."""
    _check_counts(successes, n)
    if n == 0:
        return (0.0, 1.0)
    return _wilson(successes / n, n, _z(confidence))


def _wilson(p: float, n: float, z: float) -> Interval:
    """Wilson's interval for a proportion p observed over n (n may be an effective size)."""
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # Rounding can put the bound a hair past the point at 0/n or n/n: keep p inside.
    return (min(p, _clip(centre - margin)), max(p, _clip(centre + margin)))


def beta_interval(successes: int, n: int, confidence: float = 0.95) -> Interval:
    """Equal-tailed credible interval of Beta(1 + successes, 1 + failures)."""
    _check_counts(successes, n)
    tail = (1 - confidence) / 2
    _z(confidence)  # validates confidence
    a, b = 1.0 + successes, 1.0 + n - successes
    low, high = _beta_quantile(tail, a, b), _beta_quantile(1 - tail, a, b)
    p = successes / n if n else 0.5
    # The posterior mode (p) can sit outside an equal-tailed interval at 0/n or n/n:
    # widen to include it so the interval always contains the point estimate.
    return (min(low, p), max(high, p))


def _check_counts(successes: int, n: int) -> None:
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")


def _beta_quantile(q: float, a: float, b: float) -> float:
    """Inverse of the regularized incomplete beta function, by bisection (monotone in x)."""
    low, high = 0.0, 1.0
    for _ in range(100):
        mid = (low + high) / 2
        if _regularized_beta(mid, a, b) < q:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def _regularized_beta(x: float, a: float, b: float) -> float:
    """I_x(a, b) via its continued fraction (Lentz), using the symmetry for fast convergence."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_fraction(x, a, b) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(1 - x, b, a) / b


def _beta_fraction(x: float, a: float, b: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1.0) < 1e-14:
            break
    return result


def interval(
    successes: int, n: int, method: Method = "wilson", confidence: float = 0.95
) -> Interval:
    if method == "wilson":
        return wilson_interval(successes, n, confidence)
    if method == "beta":
        return beta_interval(successes, n, confidence)
    raise ValueError(f"unknown interval method {method!r}: use 'wilson' or 'beta'")


def valid_trials(summary: ScenarioSummary) -> int:
    """Trials that judged the app: the harness errors say nothing about it."""
    return summary.trials - summary.errors


def summarise(
    results: Iterable[TrialResult],
    weights: Mapping[str, float] | None = None,
    critical: Iterable[str] = (),
    method: Method = "wilson",
    confidence: float = 0.95,
) -> list[ScenarioSummary]:
    """One summary per scenario (sorted by id) from its trials."""
    counts: dict[str, list[int]] = {}  # scenario -> [trials, satisfied, errors]
    for result in results:
        row = counts.setdefault(result.key.scenario, [0, 0, 0])
        row[0] += 1
        row[1] += result.outcome == "satisfied"
        row[2] += result.outcome == "error"
    critical_ids = set(critical)
    summaries = []
    for scenario, (trials, satisfied, errors) in sorted(counts.items()):
        weight = (weights or {}).get(scenario, 1.0)
        if weight < 0 or not math.isfinite(weight):
            raise ValueError(f"scenario {scenario!r}: weight must be >= 0, got {weight}")
        valid = trials - errors
        # No valid trial, no information: the whole range, whatever the method's prior says.
        low, high = interval(satisfied, valid, method, confidence) if valid else (0.0, 1.0)
        summaries.append(
            ScenarioSummary(
                scenario=scenario,
                trials=trials,
                satisfied=satisfied,
                errors=errors,
                satisfaction=satisfied / valid if valid else 0.0,
                low=low,
                high=high,
                weight=weight,
                critical=scenario in critical_ids,
            )
        )
    return summaries


@dataclass(frozen=True)
class Overall:
    satisfaction: float
    low: float
    high: float
    scenarios: int  # scenarios that counted (some weight and at least one valid trial)


def _counted(summaries: Iterable[ScenarioSummary]) -> list[ScenarioSummary]:
    return [s for s in summaries if s.weight > 0 and valid_trials(s) > 0]


def _variance(summary: ScenarioSummary) -> float:
    n = valid_trials(summary)
    adjusted = (summary.satisfied + 2) / (n + 4)  # Agresti-Coull: never exactly 0 or 1
    return adjusted * (1 - adjusted) / n


def _weighted(summaries: list[ScenarioSummary]) -> tuple[float, float]:
    """(weighted mean, its variance) over scenarios that count."""
    total = sum(s.weight for s in summaries)
    mean = sum(s.weight * s.satisfaction for s in summaries) / total
    variance = sum((s.weight / total) ** 2 * _variance(s) for s in summaries)
    return mean, variance


def overall(summaries: Iterable[ScenarioSummary], confidence: float = 0.95) -> Overall:
    """Weighted mean satisfaction with Wilson's interval over the effective size (see module
    doc). Scenarios without valid trials or with weight 0 do not count; none at all gives 0
    in (0, 1)."""
    counted = _counted(summaries)
    if not counted:
        return Overall(0.0, 0.0, 1.0, 0)
    total = sum(s.weight for s in counted)
    mean = _clip(sum(s.weight * s.satisfaction for s in counted) / total)  # float rounding
    effective = 1 / sum((s.weight / total) ** 2 / valid_trials(s) for s in counted)
    low, high = _wilson(mean, effective, _z(confidence))
    return Overall(mean, low, high, len(counted))


@dataclass(frozen=True)
class Difference:
    """Candidate minus baseline, and whether it is more than noise."""

    scenario: str  # "" for the overall difference
    candidate: float
    baseline: float
    delta: float
    p_value: float
    significant: bool

    @property
    def regression(self) -> bool:
        return self.significant and self.delta < 0

    @property
    def improvement(self) -> bool:
        return self.significant and self.delta > 0


@dataclass(frozen=True)
class Comparison:
    scenarios: list[Difference]  # scenarios present, with valid trials, on both sides
    overall: Difference | None  # None when no scenario is comparable
    alpha: float


def _p_two_sided(z: float) -> float:
    return 2 * (1 - NormalDist().cdf(abs(z)))


def two_proportion_p(s1: int, n1: int, s2: int, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test; 1.0 when it cannot tell."""
    if n1 == 0 or n2 == 0:
        return 1.0
    pooled = (s1 + s2) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if spread == 0:  # all satisfied or none on both sides: the same rate
        return 1.0
    return _p_two_sided((s1 / n1 - s2 / n2) / spread)


def compare(
    candidate: Iterable[ScenarioSummary], baseline: Iterable[ScenarioSummary], alpha: float = 0.05
) -> Comparison:
    """Per-scenario and overall differences on the scenarios both sides ran."""
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be strictly between 0 and 1, got {alpha}")
    theirs = {s.scenario: s for s in _counted(baseline)}
    ours = [s for s in _counted(candidate) if s.scenario in theirs]
    differences = []
    for mine in ours:
        base = theirs[mine.scenario]
        p = two_proportion_p(mine.satisfied, valid_trials(mine), base.satisfied, valid_trials(base))
        differences.append(
            _difference(mine.scenario, mine.satisfaction, base.satisfaction, p, alpha)
        )
    if not ours:
        return Comparison(differences, None, alpha)
    # Both sides weighted by the candidate's weights, so a changed weight is not a "regression".
    base_side = [_reweighted(theirs[s.scenario], s.weight) for s in ours]
    mean_c, var_c = _weighted(ours)
    mean_b, var_b = _weighted(base_side)
    spread = math.sqrt(var_c + var_b)
    p = _p_two_sided((mean_c - mean_b) / spread) if mean_c != mean_b else 1.0
    return Comparison(differences, _difference("", mean_c, mean_b, p, alpha), alpha)


def _reweighted(summary: ScenarioSummary, weight: float) -> ScenarioSummary:
    return ScenarioSummary(**{**summary.__dict__, "weight": weight})


def _difference(
    scenario: str, candidate: float, baseline: float, p: float, alpha: float
) -> Difference:
    return Difference(scenario, candidate, baseline, candidate - baseline, p, p < alpha)
