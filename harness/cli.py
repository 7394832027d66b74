"""`dtu trial` and `dtu replay`: run one scenario trial against an app and the twins."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from harness.app import load_app
from harness.model import TrialKey, TrialResult
from harness.runner import run_trial
from harness.scenario import ScenarioError, load_scenario, load_scenarios

ScenarioOption = Annotated[Path, typer.Option("--scenario", help="A scenario file (.yaml or .py).")]
AppOption = Annotated[Path, typer.Option("--app", help="The app descriptor (.yaml or .toml).")]
TwinsOption = Annotated[str, typer.Option("--twins", help="Base URL of a running `dtu serve`.")]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write the full trial result as JSON here.")
]


def trial(
    scenario: ScenarioOption,
    app: AppOption,
    twins: TwinsOption = "http://127.0.0.1:8080",
    seed: Annotated[
        int, typer.Option(help="Drives the trial's data, faults and twin session.")
    ] = 0,
    profile: Annotated[
        str, typer.Option(help="Fault profile: none, slow, rate_limited, flaky_5xx, lost_reply.")
    ] = "none",
    sweep: Annotated[
        str, typer.Option(help="The sweep the trial belongs to (part of its id).")
    ] = "adhoc",
    out: OutOption = None,
) -> None:
    """Run one trial of a scenario and print its judgement (exit 1 unless satisfied)."""
    try:
        loaded = load_scenario(scenario)
        spec = load_app(app)
    except ScenarioError as error:
        raise typer.BadParameter(str(error)) from error
    key = TrialKey(sweep=sweep, scenario=loaded.id, seed=seed, profile=profile)
    _finish(run_trial(loaded, spec, twins, key), out)


def replay(
    trial_id: Annotated[str, typer.Argument(help="A trial id: SWEEP:SCENARIO:PROFILE:SEED.")],
    scenarios: Annotated[Path, typer.Option("--scenarios", help="The folder of scenarios.")],
    app: AppOption,
    twins: TwinsOption = "http://127.0.0.1:8080",
    out: OutOption = None,
) -> None:
    """Run a trial again from its id: same scenario, seed and fault profile."""
    try:
        key = TrialKey.parse(trial_id)
    except ValueError as error:
        raise typer.BadParameter(f"{trial_id!r} is not SWEEP:SCENARIO:PROFILE:SEED") from error
    try:
        found = {scenario.id: scenario for scenario in load_scenarios(scenarios)}
        spec = load_app(app)
    except (ScenarioError, OSError) as error:
        raise typer.BadParameter(str(error)) from error
    if key.scenario not in found:
        raise typer.BadParameter(
            f"no scenario {key.scenario!r} in {scenarios}; found {sorted(found)}"
        )
    _finish(run_trial(found[key.scenario], spec, twins, key), out)


def _finish(result: TrialResult, out: Path | None) -> None:
    typer.echo(describe(result))
    if out is not None:
        out.write_text(json.dumps(result.to_json(), indent=2, default=str))
    if not result.satisfied:
        raise typer.Exit(2 if result.outcome == "error" else 1)


def describe(result: TrialResult) -> str:
    lines = [f"{result.key.id}: {result.outcome} ({result.duration_s:.1f}s)"]
    if result.error:
        lines.append(f"  error: {result.error}")
    for judgement in result.judgements:
        lines.append(f"  {judgement.judge}: {judgement.rationale}")
        for check in judgement.checks:
            mark = "ok  " if check.passed else "FAIL"
            lines.append(f"  {mark} {check.name}: {check.detail}")
    return "\n".join(lines)
