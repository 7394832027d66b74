"""Running one trial: a fresh twin session seeded from the trial, the world, the fault profile,
the app, the steps, then the journal and state, judged by the scenario's checks.

Anything that stops the harness itself (twins unreachable, the app not starting, a scenario
placeholder naming nothing) makes the trial an `error` with a message, never a traceback."""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any

import httpx

from harness.app import AppError, AppSpec, RunningService, free_port
from harness.checks import judge
from harness.model import Trajectory, TrialKey, TrialResult
from harness.profiles import UnknownProfile, profile_rules
from harness.scenario import Scenario, TemplateError, draw, render
from harness.steps import StepRunner
from harness.twins_client import TwinsError, TwinsSession

HARNESS_ERRORS = (AppError, TwinsError, TemplateError, UnknownProfile)


def session_name(key: TrialKey) -> str:
    """A twin session name (1-128 of A-Z a-z 0-9 . _ ~ -) unique to the trial key."""
    readable = re.sub(r"[^A-Za-z0-9._~-]", "-", key.id)[:100]
    digest = hashlib.sha256(key.id.encode()).hexdigest()[:12]
    return f"{readable}-{digest}"


def run_trial(scenario: Scenario, app: AppSpec, twins_url: str, key: TrialKey) -> TrialResult:
    started_at = time.time()
    started = time.monotonic()
    trajectory = Trajectory()
    try:
        with httpx.Client(timeout=30.0) as client:
            context = _run(scenario, app, twins_url, key, trajectory, client)
    except HARNESS_ERRORS as error:
        return TrialResult(
            key=key,
            outcome="error",
            trajectory=trajectory,
            started_at=started_at,
            duration_s=time.monotonic() - started,
            error=str(error),
        )
    judgement = judge(scenario, trajectory, context)
    return TrialResult(
        key=key,
        outcome="satisfied" if judgement.satisfied else "unsatisfied",
        judgements=[judgement],
        trajectory=trajectory,
        started_at=started_at,
        duration_s=time.monotonic() - started,
    )


def _run(
    scenario: Scenario,
    app: AppSpec,
    twins_url: str,
    key: TrialKey,
    trajectory: Trajectory,
    client: httpx.Client,
) -> dict[str, Any]:
    session = TwinsSession(twins_url, session_name(key), client)
    rules = profile_rules(key.profile)
    _require_twins(session, scenario)
    context: dict[str, Any] = {
        "vars": draw(scenario.variables, key.seed),
        "twins": {twin: {"url": session.twin_url(twin)} for twin in scenario.twins},
        "port": free_port(),
        "session": session.session,
    }
    session.reset(key.seed)
    _seed_world(session, scenario, context, key.seed)
    session.set_faults(rules)
    service = RunningService(app, context) if app.kind == "service" else None
    try:
        if service is not None:
            service.wait_ready()
        runner = StepRunner(app, service.url if service else None, session, context, rules, client)
        trajectory.steps = runner.run(scenario.steps)
    finally:
        if service is not None:
            trajectory.app_log = service.stop()
    trajectory.journal = session.journal()
    trajectory.state = session.state()
    return context


def _require_twins(session: TwinsSession, scenario: Scenario) -> None:
    served = session.twin_names()
    missing = [twin for twin in scenario.twins if twin not in served]
    if missing:
        raise TwinsError(f"scenario {scenario.id!r} needs twins {missing}; served: {served}")


def _seed_world(
    session: TwinsSession, scenario: Scenario, context: dict[str, Any], trial_seed: int
) -> None:
    for world in scenario.world:
        if world.snapshot is not None:
            session.fork(world.snapshot, trial_seed)  # the trial's seed, not the snapshot's
        for seed in world.resources:
            records = render(list(seed.records), context)
            session.seed_records(world.twin, seed.resource, records, seed.parent)
