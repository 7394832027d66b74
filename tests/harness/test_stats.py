"""Satisfaction statistics: intervals, the weighted overall, and baseline comparisons."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.model import ScenarioSummary
from harness.stats import (
    Method,
    beta_interval,
    compare,
    overall,
    summarise,
    two_proportion_p,
    wilson_interval,
)
from tests.harness.trials import trials

counts = st.integers(min_value=0, max_value=500).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)
confidences = st.floats(min_value=0.5, max_value=0.999)


def summary(scenario: str, satisfied: int, valid: int, weight: float = 1.0) -> ScenarioSummary:
    [result] = summarise(trials(scenario, satisfied, valid - satisfied), {scenario: weight})
    return result


summaries = st.lists(
    st.tuples(counts.filter(lambda c: c[1] > 0), st.floats(min_value=0.1, max_value=10)),
    min_size=1,
    max_size=6,
).map(lambda rows: [summary(f"s{i}", s, n, w) for i, ((s, n), w) in enumerate(rows)])


@given(counts, confidences)
def test_a_wilson_interval_holds_the_point_within_zero_and_one(
    c: tuple[int, int], conf: float
) -> None:
    successes, n = c
    low, high = wilson_interval(successes, n, conf)
    point = successes / n if n else low
    assert 0.0 <= low <= point <= high <= 1.0


@given(counts, confidences)
def test_a_beta_interval_holds_the_point_within_zero_and_one(
    c: tuple[int, int], conf: float
) -> None:
    successes, n = c
    low, high = beta_interval(successes, n, conf)
    point = successes / n if n else 0.5
    assert 0.0 <= low <= point <= high <= 1.0


def test_the_wilson_interval_matches_the_textbook_value() -> None:
    low, high = wilson_interval(8, 10, 0.95)
    assert low == pytest.approx(0.4902, abs=1e-4)
    assert high == pytest.approx(0.9433, abs=1e-4)


def test_the_beta_interval_of_no_data_is_the_central_part_of_the_uniform_prior() -> None:
    low, high = beta_interval(0, 0, 0.9)
    assert (low, high) == pytest.approx((0.05, 0.95), abs=1e-6)


def test_the_beta_interval_matches_known_quantiles() -> None:
    # Beta(9, 3): 2.5% and 97.5% quantiles, from scipy.stats.beta.ppf.
    low, high = beta_interval(8, 10, 0.95)
    assert low == pytest.approx(0.4822, abs=1e-3)
    assert high == pytest.approx(0.9398, abs=1e-3)


def test_more_trials_narrow_the_interval() -> None:
    few = wilson_interval(8, 10)
    many = wilson_interval(80, 100)
    assert many[1] - many[0] < few[1] - few[0]


@pytest.mark.parametrize("bad", [(-1, 3), (4, 3), (0, -1)])
def test_impossible_counts_are_refused(bad: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(*bad)


def test_a_scenario_satisfaction_leaves_harness_errors_out() -> None:
    [result] = summarise(trials("pay", satisfied=6, unsatisfied=2, errors=2))
    assert (result.trials, result.satisfied, result.errors) == (10, 6, 2)
    assert result.satisfaction == pytest.approx(6 / 8)
    assert result.low < 0.75 < result.high


def test_summaries_carry_weights_and_critical_marks_per_scenario() -> None:
    results = trials("pay", 3) + trials("refund", 1, 1)
    pay, refund = summarise(results, {"pay": 3.0}, critical=["refund"])
    assert (pay.scenario, pay.weight, pay.critical) == ("pay", 3.0, False)
    assert (refund.scenario, refund.weight, refund.critical) == ("refund", 1.0, True)


def test_the_overall_satisfaction_is_the_weighted_mean_of_scenarios() -> None:
    total = overall([summary("a", 10, 10, weight=3), summary("b", 0, 10, weight=1)])
    assert total.satisfaction == pytest.approx(0.75)
    assert total.scenarios == 2


def test_scenarios_without_valid_trials_do_not_count_overall() -> None:
    only_errors = summarise(trials("broken", 0, errors=3))
    total = overall([summary("fine", 5, 5), *only_errors])
    assert total.satisfaction == 1.0
    assert total.scenarios == 1


def test_no_scenarios_at_all_is_zero_with_the_widest_interval() -> None:
    total = overall([])
    assert (total.satisfaction, total.low, total.high, total.scenarios) == (0.0, 0.0, 1.0, 0)


@given(summaries)
def test_the_overall_interval_holds_its_point_within_zero_and_one(
    rows: list[ScenarioSummary],
) -> None:
    total = overall(rows)
    assert 0.0 <= total.low <= total.satisfaction <= total.high <= 1.0


def test_the_overall_interval_of_one_scenario_is_its_wilson_interval() -> None:
    total = overall([summary("a", 8, 10)])
    assert (total.low, total.high) == pytest.approx(wilson_interval(8, 10))


def test_more_scenarios_narrow_the_overall_interval() -> None:
    one = overall([summary("a", 8, 10)])
    two = overall([summary("a", 8, 10), summary("b", 8, 10)])
    assert two.high - two.low < one.high - one.low


def test_a_perfect_score_still_has_uncertainty_overall() -> None:
    total = overall([summary("a", 5, 5)])
    assert total.low < 1.0


@given(summaries)
def test_identical_data_is_never_significantly_different(rows: list[ScenarioSummary]) -> None:
    comparison = compare(rows, rows)
    assert comparison.overall is not None
    assert not comparison.overall.significant
    assert comparison.overall.delta == 0
    assert all(not d.significant and d.delta == 0 for d in comparison.scenarios)


@given(counts.filter(lambda c: c[1] > 0))
def test_the_same_rate_is_never_significant_whatever_the_sizes(c: tuple[int, int]) -> None:
    successes, n = c
    assert two_proportion_p(successes, n, successes * 2, n * 2) == pytest.approx(1.0)


def test_a_collapse_in_satisfaction_is_a_significant_regression() -> None:
    comparison = compare([summary("pay", 5, 50)], [summary("pay", 48, 50)])
    [difference] = comparison.scenarios
    assert difference.regression
    assert difference.delta == pytest.approx(-0.86)
    assert comparison.overall is not None and comparison.overall.regression


def test_a_small_dip_on_few_trials_is_noise() -> None:
    comparison = compare([summary("pay", 8, 10)], [summary("pay", 9, 10)])
    [difference] = comparison.scenarios
    assert difference.delta < 0
    assert not difference.significant


def test_only_scenarios_run_on_both_sides_are_compared() -> None:
    comparison = compare([summary("pay", 5, 5), summary("new", 1, 5)], [summary("pay", 5, 5)])
    assert [d.scenario for d in comparison.scenarios] == ["pay"]


def test_nothing_in_common_gives_no_overall_comparison() -> None:
    comparison = compare([summary("pay", 5, 5)], [summary("refund", 5, 5)])
    assert comparison.scenarios == []
    assert comparison.overall is None


def test_an_unknown_interval_method_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown interval method"):
        summarise(trials("pay", 1), method="wald")  # type: ignore[arg-type]


@given(
    st.integers(0, 30),
    st.integers(0, 30),
    st.integers(0, 5),
    st.sampled_from(["wilson", "beta"]),
)
def test_every_summary_holds_its_satisfaction_within_its_interval(
    ok: int, bad: int, errors: int, method: Method
) -> None:
    for result in summarise(trials("pay", ok, bad, errors), method=method):
        assert 0.0 <= result.low <= result.satisfaction <= result.high <= 1.0
