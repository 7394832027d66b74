"""`dtu trial` and `dtu replay` through the real command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.serving import Served, serve
from twins.cli import app

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE / "scenarios"
NAIVE = HERE / "apps" / "naive.yaml"


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serve(
        ["bookshop", "--db", "memory"], tmp_path_factory.mktemp("twins") / "serve.log"
    ) as served:
        yield served


def test_a_trial_prints_its_judgement_and_writes_the_result(twins: Served, tmp_path: Path) -> None:
    out = tmp_path / "trial.json"
    args = ["trial", "--scenario", str(SCENARIOS / "add_author.yaml"), "--app", str(NAIVE)]
    result = CliRunner().invoke(
        app, [*args, "--twins", twins.url, "--seed", "4", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "adhoc:add-author:none:4: satisfied" in result.output
    assert json.loads(out.read_text())["outcome"] == "satisfied"


def test_an_unsatisfied_trial_exits_1(twins: Served) -> None:
    args = [
        "trial",
        "--scenario",
        str(SCENARIOS / "add_author.yaml"),
        "--app",
        str(NAIVE),
        "--profile",
        "flaky_5xx",
    ]
    result = CliRunner().invoke(app, [*args, "--twins", twins.url])
    assert result.exit_code == 1
    assert "FAIL steps completed" in result.output


def test_replay_runs_the_trial_again_from_its_id(twins: Served, tmp_path: Path) -> None:
    first, again = tmp_path / "first.json", tmp_path / "again.json"
    runner = CliRunner()
    args = ["--app", str(NAIVE), "--twins", twins.url]
    runner.invoke(
        app,
        [
            "trial",
            "--scenario",
            str(SCENARIOS / "add_author.yaml"),
            *args,
            "--seed",
            "8",
            "--out",
            str(first),
        ],
    )
    result = runner.invoke(
        app,
        [
            "replay",
            "adhoc:add-author:none:8",
            "--scenarios",
            str(SCENARIOS),
            *args,
            "--out",
            str(again),
        ],
    )
    assert result.exit_code == 0, result.output
    steps = [
        json.loads(path.read_text())["trajectory"]["steps"][0]["request"]["json"]
        for path in (first, again)
    ]
    assert steps[0] == steps[1]


def test_a_bad_scenario_is_a_usage_error_naming_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: t\ntwins: [bookshop]\nsteps: [{sleep: -1}]\nchecks: []\n")
    result = CliRunner().invoke(app, ["trial", "--scenario", str(bad), "--app", str(NAIVE)])
    assert result.exit_code == 2
    assert "/steps/0/sleep" in result.output


def test_replay_of_an_unknown_scenario_says_which_exist(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["replay", "s:nope:none:1", "--scenarios", str(SCENARIOS), "--app", str(NAIVE)]
    )
    assert result.exit_code == 2
    assert "add-author" in result.output
