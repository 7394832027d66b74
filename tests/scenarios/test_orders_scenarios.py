"""The orders holdout suite (scenarios/orders) against a real `dtu serve stripe slack github`:
every scenario loads, the correct order service satisfies each one, and each flawed variant
fails the scenario written to catch it. One trial per scenario and variant, to stay quick."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.app import AppSpec, load_app
from harness.model import TrialKey, TrialResult
from harness.runner import run_trial
from harness.scenario import Scenario, load_scenario, load_scenarios
from tests.serving import PROJECT_ROOT, Served, serve
from twins.cli import app as dtu

SUITE = PROJECT_ROOT / "scenarios" / "orders"
DESCRIPTOR = SUITE / "app.toml"
SEED = 7

# Each flawed variant and the scenario (by id) that must catch it.
CAUGHT_BY = {
    "no_retry": "rate-limited-order",
    "double_charge": "lost-reply-order",
    "silent": "refund-order",
}


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    log = tmp_path_factory.mktemp("twins") / "dtu.log"
    with serve(["stripe", "slack", "github", "--db", "memory"], log) as served:
        made = subprocess.run(
            [str(SUITE / "make_world.sh"), served.url],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert made.returncode == 0, made.stderr
        yield served


@pytest.fixture(scope="module")
def suite() -> dict[str, Scenario]:
    return {scenario.id: scenario for scenario in load_scenarios(SUITE)}


@pytest.fixture(scope="module")
def orders_app() -> AppSpec:
    return load_app(DESCRIPTOR)


def trial_of(
    scenario: Scenario,
    spec: AppSpec,
    twins: Served,
    variant: str,
    mp: pytest.MonkeyPatch,
    profile: str = "none",
) -> TrialResult:
    # the descriptor leaves ORDERS_VARIANT to the harness process's environment
    mp.setenv("ORDERS_VARIANT", variant)
    sweep = f"orders-{variant}".replace("_", "-")
    key = TrialKey(sweep=sweep, scenario=scenario.id, seed=SEED, profile=profile)
    return run_trial(scenario, spec, twins.url, key)


def failed_checks(result: TrialResult) -> list[str]:
    return [
        check.name
        for judgement in result.judgements
        for check in judgement.checks
        if not check.passed
    ]


def test_every_file_in_the_suite_loads_as_a_scenario_of_the_three_twins() -> None:
    files = sorted(path for path in SUITE.iterdir() if path.suffix in (".yaml", ".yml"))
    assert len(files) == 5
    for path in files:
        scenario = load_scenario(path)
        assert set(scenario.twins) == {"stripe", "slack", "github"}
        assert scenario.story.strip(), path
        assert all(check.meta.behaviour for check in scenario.checks), path
    assert len(load_scenarios(SUITE)) == len(files)


def test_the_descriptor_runs_the_service_from_the_repository_root() -> None:
    spec = load_app(DESCRIPTOR)
    assert spec.kind == "service"
    assert spec.cwd == PROJECT_ROOT
    assert spec.ready_path == "/health"
    assert "ORDERS_VARIANT" not in spec.env
    assert spec.env["SLACK_CHANNEL"] == "#orders"
    assert spec.env["GITHUB_REPO"] == "acme/shop"


@pytest.mark.parametrize(
    "scenario_id",
    ["place-order", "declined-card", "refund-order", "rate-limited-order", "lost-reply-order"],
)
def test_the_correct_service_satisfies_every_scenario(
    scenario_id: str,
    suite: dict[str, Scenario],
    orders_app: AppSpec,
    twins: Served,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = trial_of(suite[scenario_id], orders_app, twins, "correct", monkeypatch)
    why = (result.error, failed_checks(result), result.trajectory.app_log[-2000:])
    assert result.outcome == "satisfied", why


@pytest.mark.parametrize(
    ("scenario_id", "profile"),
    [("rate-limited-order", "rate_limited"), ("lost-reply-order", "lost_reply")],
)
def test_the_fault_scenarios_also_hold_under_their_named_fault_profile(
    scenario_id: str,
    profile: str,
    suite: dict[str, Scenario],
    orders_app: AppSpec,
    twins: Served,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the scenario's own fault rules and the profile's apply together
    result = trial_of(suite[scenario_id], orders_app, twins, "correct", monkeypatch, profile)
    why = (result.error, failed_checks(result))
    assert result.outcome == "satisfied", why


def test_a_service_that_gives_up_on_a_429_fails_the_rate_limited_order(
    suite: dict[str, Scenario], orders_app: AppSpec, twins: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = trial_of(suite[CAUGHT_BY["no_retry"]], orders_app, twins, "no_retry", monkeypatch)
    assert result.outcome == "unsatisfied"
    assert "the order is paid" in failed_checks(result)


def test_a_service_that_retries_without_its_key_fails_the_lost_reply_order(
    suite: dict[str, Scenario], orders_app: AppSpec, twins: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = trial_of(
        suite[CAUGHT_BY["double_charge"]], orders_app, twins, "double_charge", monkeypatch
    )
    assert result.outcome == "unsatisfied"
    failed = failed_checks(result)
    assert "the card is charged exactly once" in failed
    assert "no payment is created twice" in failed
    assert "the retried charge carries its first key" in failed


def test_a_service_that_refunds_silently_fails_the_refund_story(
    suite: dict[str, Scenario], orders_app: AppSpec, twins: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = trial_of(suite[CAUGHT_BY["silent"]], orders_app, twins, "silent", monkeypatch)
    assert result.outcome == "unsatisfied"
    assert "#orders hears about the refund" in failed_checks(result)


def test_dtu_trial_runs_a_scenario_of_the_suite_from_the_command_line(
    twins: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERS_VARIANT", "correct")
    out = tmp_path / "trial.json"
    args = ["trial", "--scenario", str(SUITE / "place_order.yaml"), "--app", str(DESCRIPTOR)]
    result = CliRunner().invoke(
        dtu, [*args, "--twins", twins.url, "--seed", "3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "adhoc:place-order:none:3: satisfied" in result.output
    assert json.loads(out.read_text())["outcome"] == "satisfied"
