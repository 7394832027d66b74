"""The merge gate: policy files, and merge/block decisions with their reasons."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.gate import (
    BAD_INPUT,
    BLOCK,
    MAX_POLICY_BYTES,
    MERGE,
    Decision,
    Policy,
    PolicyError,
    decide,
    load_policy,
)
from harness.model import TrialResult
from harness.stats import compare, overall, summarise
from tests.harness.trials import trials

POLICY_YAML = """\
min_satisfaction: 0.8
use_lower_bound: false
min_trials: 5
max_regression: 0.1
critical:
  checkout: 0.95
shadow: false
"""


def gate(
    policy: Policy, results: list[TrialResult], baseline: list[TrialResult] | None = None
) -> Decision:
    summaries = summarise(results, critical=policy.critical)
    comparison = None if baseline is None else compare(summaries, summarise(baseline), policy.alpha)
    return decide(policy, summaries, overall(summaries, policy.confidence), comparison)


def test_a_yaml_policy_file_sets_every_knob(tmp_path: Path) -> None:
    path = tmp_path / "gate.yaml"
    path.write_text(POLICY_YAML)
    policy = load_policy(path)
    assert policy == Policy(
        min_satisfaction=0.8,
        use_lower_bound=False,
        min_trials=5,
        max_regression=0.1,
        critical={"checkout": 0.95},
    )


def test_a_toml_policy_file_is_read_by_its_suffix(tmp_path: Path) -> None:
    path = tmp_path / "gate.toml"
    path.write_text('min_satisfaction = 0.9\nshadow = true\n[critical]\n"pay-once" = 1.0\n')
    policy = load_policy(path)
    assert (policy.min_satisfaction, policy.shadow, policy.critical) == (
        0.9,
        True,
        {"pay-once": 1.0},
    )


def test_an_empty_policy_file_takes_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "gate.yaml"
    path.write_text("")
    assert load_policy(path) == Policy()


@pytest.mark.parametrize(
    ("text", "key", "why"),
    [
        ("min_satisfaction: 1.5\n", "min_satisfaction", "between 0 and 1"),
        ("min_satisfaction: high\n", "min_satisfaction", "must be a number"),
        ("min_trials: 0\n", "min_trials", "whole number"),
        ("min_trials: 2.5\n", "min_trials", "whole number"),
        ("shadow: yes please\n", "shadow", "true or false"),
        ("critical: [checkout]\n", "critical", "must map scenario ids"),
        ("critical: {checkout: 2}\n", "checkout", "between 0 and 1"),
        ("confidence: 1\n", "confidence", "strictly between"),
        ("min_satisfation: 0.8\n", "min_satisfation", "unknown key"),
    ],
)
def test_a_bad_policy_names_the_file_and_the_key(
    tmp_path: Path, text: str, key: str, why: str
) -> None:
    path = tmp_path / "gate.yaml"
    path.write_text(text)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert caught.value.key == key
    assert str(path) in str(caught.value)
    assert why in str(caught.value)


@pytest.mark.parametrize("text", ["min_satisfaction: [\n", "- a list\n"])
def test_a_policy_that_is_not_a_mapping_of_settings_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "gate.yaml"
    path.write_text(text)
    with pytest.raises(PolicyError, match="gate.yaml"):
        load_policy(path)


def test_an_oversized_policy_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "gate.yaml"
    path.write_text("#" * (MAX_POLICY_BYTES + 1))
    with pytest.raises(PolicyError, match="larger than"):
        load_policy(path)


def test_a_missing_policy_file_is_a_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "nowhere.yaml")


def test_a_bad_input_decision_exits_with_two() -> None:
    decision = Decision.bad_input("results file is not JSON")
    assert (decision.verdict, decision.exit_code) == ("block", BAD_INPUT)


def test_satisfied_users_merge_with_exit_code_zero() -> None:
    decision = gate(Policy(min_satisfaction=0.5), trials("pay", 20))
    assert (decision.verdict, decision.exit_code) == ("merge", MERGE)
    assert "overall lower bound" in decision.reasons[0]


def test_the_lower_bound_must_clear_the_floor_when_the_policy_asks() -> None:
    results = trials("pay", 9, 1)  # 90%, but only 10 trials: lower bound ~0.6
    assert gate(Policy(min_satisfaction=0.8, use_lower_bound=False), results).verdict == "merge"
    blocked = gate(Policy(min_satisfaction=0.8, use_lower_bound=True), results)
    assert (blocked.verdict, blocked.exit_code) == ("block", BLOCK)
    assert any("overall lower bound" in r for r in blocked.reasons)


def test_a_critical_scenario_below_its_own_floor_blocks() -> None:
    policy = Policy(use_lower_bound=False, critical={"checkout": 1.0})
    decision = gate(policy, trials("checkout", 9, 1) + trials("browse", 10))
    assert decision.verdict == "block"
    assert decision.reasons == ["critical scenario checkout: satisfaction 0.900 < 1.000"]


def test_a_critical_scenario_that_did_not_run_blocks() -> None:
    decision = gate(Policy(critical={"checkout": 0.5}), trials("browse", 10))
    assert decision.reasons == ["critical scenario checkout: was not run"]


def test_too_few_valid_trials_block_whatever_the_satisfaction() -> None:
    decision = gate(Policy(min_trials=5), trials("pay", 3, errors=4))
    assert decision.verdict == "block"
    assert decision.reasons == ["scenario pay: 3 valid trials, policy needs 5"]


def test_no_trials_at_all_block() -> None:
    assert gate(Policy(), []).reasons == ["no trials were run"]


def test_a_significant_regression_beyond_the_allowance_blocks() -> None:
    policy = Policy(max_regression=0.1)
    decision = gate(policy, trials("pay", 10, 40), baseline=trials("pay", 48, 2))
    assert decision.verdict == "block"
    assert any(r.startswith("scenario pay: dropped 0.760") for r in decision.reasons)
    assert any(r.startswith("overall: dropped") for r in decision.reasons)


def test_a_regression_within_the_allowance_merges() -> None:
    policy = Policy(max_regression=0.9)
    assert gate(policy, trials("pay", 10, 40), baseline=trials("pay", 48, 2)).verdict == "merge"


def test_without_a_regression_limit_the_baseline_does_not_block() -> None:
    assert gate(Policy(), trials("pay", 10, 40), baseline=trials("pay", 48, 2)).verdict == "merge"


def test_shadow_mode_merges_but_says_it_would_have_blocked() -> None:
    decision = gate(Policy(min_satisfaction=0.99, shadow=True), trials("pay", 1, 9))
    assert (decision.verdict, decision.exit_code, decision.would_block) == ("merge", MERGE, True)
    assert decision.reasons[0] == "shadow mode: would have blocked"
    assert any("overall lower bound" in r for r in decision.reasons[1:])


@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 5))
def test_an_identical_baseline_never_blocks_on_regression(ok: int, bad: int, errors: int) -> None:
    results = trials("pay", ok, bad, errors)
    decision = gate(Policy(max_regression=0.0), results, baseline=results)
    assert not any("dropped" in r for r in decision.reasons)
    assert decision.exit_code in (MERGE, BLOCK)
