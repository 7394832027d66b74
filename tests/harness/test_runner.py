"""End to end: real trials of the add-author scenario against a real `dtu serve bookshop` and
the small app in tests/harness/apps/."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.app import AppSpec, load_app
from harness.model import TrialKey, TrialResult
from harness.profiles import PROFILES
from harness.runner import run_trial, session_name
from harness.scenario import load_scenario, scenario_from_data
from tests.serving import Served, serve

HERE = Path(__file__).resolve().parent
SCENARIO = load_scenario(HERE / "scenarios" / "add_author.yaml")
NAIVE = load_app(HERE / "apps" / "naive.yaml")
CAREFUL = load_app(HERE / "apps" / "careful.toml")


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serve(
        ["bookshop", "--db", "memory"], tmp_path_factory.mktemp("twins") / "serve.log"
    ) as served:
        yield served


def trial(twins: Served, app: AppSpec, profile: str, seed: int = 1) -> TrialResult:
    key = TrialKey(sweep="test", scenario=SCENARIO.id, seed=seed, profile=profile)
    return run_trial(SCENARIO, app, twins.url, key)


def failed_checks(result: TrialResult) -> set[str]:
    return {check.name for check in result.judgements[0].checks if not check.passed}


def test_an_app_that_adds_the_author_satisfies_the_librarian(twins: Served) -> None:
    result = trial(twins, NAIVE, "none")
    assert result.outcome == "satisfied", result.judgements
    assert result.judgements[0].score == 1.0
    assert [step.kind for step in result.trajectory.steps] == ["http", "wait_for", "http"]
    assert any(entry["operation"] == "POST /authors" for entry in result.trajectory.journal)


def test_an_app_that_does_not_retry_leaves_the_librarian_unsatisfied_under_503s(
    twins: Served,
) -> None:
    result = trial(twins, NAIVE, "flaky_5xx")
    assert result.outcome == "unsatisfied"
    assert {"steps completed", "the bookshop holds the author once"} <= failed_checks(result)
    assert "answered 502, expected 201" in (result.trajectory.steps[0].error or "")


def test_an_app_that_retries_with_its_key_survives_a_lost_reply_without_duplicates(
    twins: Served,
) -> None:
    result = trial(twins, CAREFUL, "lost_reply")
    assert result.outcome == "satisfied", result.judgements
    creates = [
        entry for entry in result.trajectory.journal if entry["operation"] == "POST /authors"
    ]
    assert len(creates) == 2  # the lost reply and its replayed retry


def test_the_same_seed_draws_the_same_author(twins: Served) -> None:
    first, again = trial(twins, NAIVE, "none", seed=5), trial(twins, NAIVE, "none", seed=5)
    assert first.trajectory.steps[0].request["json"] == again.trajectory.steps[0].request["json"]


def test_the_seeded_world_is_in_the_trial_session(twins: Served) -> None:
    result = trial(twins, NAIVE, "none", seed=9)
    names = [
        record["body"]["name"]
        for record in result.trajectory.state["resources"]["bookshop"]["/authors"]
    ]
    assert "Existing Author" in names


def test_every_shipped_profile_is_accepted_by_the_twins(twins: Served) -> None:
    for name, rules in PROFILES.items():
        reply = httpx.put(
            f"{twins.url}/_twin/sessions/profile-{name}/faults", json={"rules": rules}
        )
        assert reply.status_code == 200, (name, reply.text)


def test_an_app_that_never_starts_is_a_harness_error_not_a_traceback(
    twins: Served, tmp_path: Path
) -> None:
    broken = dataclasses.replace(NAIVE, command=("./no-such-app",))
    result = trial(twins, broken, "none")
    assert result.outcome == "error"
    assert "cannot start" in (result.error or "")


def test_a_scenario_needing_an_unserved_twin_is_a_harness_error(twins: Served) -> None:
    scenario = scenario_from_data(
        {"id": "pay", "title": "t", "twins": ["stripe"], "steps": [], "checks": []}, "pay.yaml"
    )
    result = run_trial(scenario, NAIVE, twins.url, TrialKey(sweep="test", scenario="pay", seed=1))
    assert result.outcome == "error"
    assert "needs twins ['stripe']" in (result.error or "")


def test_session_names_are_valid_and_unique_per_trial() -> None:
    one = session_name(TrialKey(sweep="nightly 2026/11", scenario="add-author", seed=1))
    two = session_name(TrialKey(sweep="nightly 2026/11", scenario="add-author", seed=2))
    assert one != two
    assert all(char.isalnum() or char in "._~-" for char in one)
    assert len(one) <= 128


def test_twins_that_are_not_there_are_a_harness_error() -> None:
    key = TrialKey(sweep="test", scenario=SCENARIO.id, seed=1)
    result = run_trial(SCENARIO, NAIVE, "http://127.0.0.1:9", key)
    assert result.outcome == "error"
    assert "twins unreachable" in (result.error or "")
