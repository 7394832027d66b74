"""Step kinds against a real `dtu serve bookshop`: clock, faults, wait_for and command apps."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.app import app_from_data, load_app
from harness.model import TrialKey, TrialResult
from harness.runner import run_trial
from harness.scenario import scenario_from_data
from tests.serving import Served, serve

HERE = Path(__file__).resolve().parent
NAIVE = load_app(HERE / "apps" / "naive.yaml")
ADD = {
    "http": {
        "method": "POST",
        "path": "/authors",
        "json": {"name": "Ada", "country": "GB"},
        "expect_status": 201,
    }
}


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serve(
        ["bookshop", "--db", "memory"], tmp_path_factory.mktemp("twins") / "serve.log"
    ) as served:
        yield served


def run(twins: Served, steps: list[Any], checks: list[Any], app: Any = NAIVE) -> TrialResult:
    data = {"id": "steps", "title": "t", "twins": ["bookshop"], "steps": steps, "checks": checks}
    scenario = scenario_from_data(data, "steps.yaml")
    return run_trial(scenario, app, twins.url, TrialKey(sweep="steps", scenario="steps", seed=2))


def test_a_clock_step_sets_the_time_the_twin_stamps_records_with(twins: Served) -> None:
    checks = [
        {
            "check": "state",
            "twin": "bookshop",
            "resource": "authors",
            "where": [{"pointer": "/created_at", "matches": "^2023-11-14"}],
            "exactly": 1,
        }
    ]
    result = run(twins, [{"clock": {"set": 1_700_000_000}}, ADD], checks)
    assert result.outcome == "satisfied", result.judgements


def test_a_faults_step_makes_the_twin_fail_the_next_create(twins: Served) -> None:
    faults = {
        "faults": [{"kind": "error", "operation": "POST /authors", "status": 500, "count": 1}]
    }
    checks = [
        {
            "check": "journal",
            "twin": "bookshop",
            "operation": "POST /authors",
            "status": 500,
            "exactly": 1,
        }
    ]
    result = run(twins, [faults, ADD], checks)
    assert result.outcome == "unsatisfied"
    assert result.judgements[0].checks[1].passed  # the twin did answer 500
    assert "answered 502, expected 201" in (result.trajectory.steps[1].error or "")


def test_a_wait_for_that_never_comes_ends_the_steps(twins: Served) -> None:
    wait = {"wait_for": {"twin": "bookshop", "operation": "DELETE *", "timeout": 0.3}}
    result = run(twins, [wait, ADD], [])
    assert len(result.trajectory.steps) == 1
    assert "saw no DELETE * within 0.3s" in (result.trajectory.steps[0].error or "")


def test_a_command_app_calls_the_twin_and_its_output_is_checked(
    twins: Served, tmp_path: Path
) -> None:
    script = (
        "import json, os, sys, httpx;"
        "body = {'name': sys.argv[1], 'country': 'FR'};"
        "r = httpx.post(os.environ['SHOP'] + '/authors', json=body,"
        " headers={'Authorization': 'Bearer x'});"
        "print(json.dumps(r.json())); sys.exit(0 if r.status_code == 201 else 1)"
    )
    app = app_from_data(
        {
            "kind": "command",
            "command": [sys.executable, "-c", script],
            "env": {"SHOP": "{twins.bookshop.url}"},
        },
        "cli.yaml",
        tmp_path,
    )
    steps = [
        {"name": "add", "command": {"args": ["Colette"], "expect_exit": 0, "save": {"id": "/id"}}}
    ]
    checks = [
        {"check": "response", "step": "add", "exit_code": 0, "stdout_contains": "Colette"},
        {
            "check": "journal",
            "twin": "bookshop",
            "operation": "POST /authors",
            "where": [{"pointer": "/response/body/id", "equals": "{vars.id}"}],
            "exactly": 1,
        },
    ]
    result = run(twins, steps, checks, app)
    assert result.outcome == "satisfied", result.judgements


def test_an_http_step_with_a_command_app_is_a_harness_error(twins: Served, tmp_path: Path) -> None:
    app = app_from_data({"kind": "command", "command": ["true"]}, "cli.yaml", tmp_path)
    result = run(twins, [ADD], [], app)
    assert result.outcome == "error"
    assert "needs a `service` app" in (result.error or "")
