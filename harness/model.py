"""What a run produces, shared by every part of the harness: trials, their trajectories and
judgements, and the summaries the gate and the reports read.

Plain dataclasses with `to_json`/`from_json`, so results cross process (and machine) boundaries,
land in the history database and come back unchanged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Outcome = Literal["satisfied", "unsatisfied", "error"]


@dataclass(frozen=True)
class TrialKey:
    """Names one trial: rerunning the same key replays it exactly (`dtu replay`)."""

    sweep: str  # the sweep (or run) it belongs to
    scenario: str  # the scenario's id
    seed: int  # drives the trial's data, faults and twin session
    profile: str = "none"  # the fault profile it ran under

    @property
    def id(self) -> str:
        return f"{self.sweep}:{self.scenario}:{self.profile}:{self.seed}"

    @classmethod
    def parse(cls, trial_id: str) -> TrialKey:
        sweep, scenario, profile, seed = trial_id.rsplit(":", 3)
        return cls(sweep=sweep, scenario=scenario, seed=int(seed), profile=profile)


@dataclass
class CheckResult:
    """One check of a judgement: what was asked, whether it held, and why (in behaviour
    terms, without quoting the scenario, so an agent view can show `behaviour`)."""

    name: str
    passed: bool
    weight: float = 1.0
    detail: str = ""  # evidence for humans: "2 POST /v1/payment_intents, expected 1"
    behaviour: str = ""  # what the user needed, phrased for a coding agent
    critical: bool = False  # failing it fails the trial whatever the weights say


@dataclass
class Judgement:
    judge: str  # "checks", "llm"
    score: float  # 0..1
    satisfied: bool
    checks: list[CheckResult] = field(default_factory=list)
    rationale: str = ""


@dataclass
class StepRecord:
    """What one step of a scenario did and saw."""

    index: int
    kind: str  # "http", "command", "wait", "clock", "faults", ...
    request: dict[str, Any] = field(default_factory=dict)
    response: dict[str, Any] = field(default_factory=dict)
    duration_ms: float = 0.0
    error: str | None = None


@dataclass
class Trajectory:
    """Everything a trial produced: the app's outputs step by step, and the journal of every
    request the twins got (and every webhook they sent)."""

    steps: list[StepRecord] = field(default_factory=list)
    journal: list[dict[str, Any]] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)  # twin state exported at the end
    app_log: str = ""  # the app's stdout/stderr, capped


@dataclass
class TrialResult:
    key: TrialKey
    outcome: Outcome
    judgements: list[Judgement] = field(default_factory=list)
    trajectory: Trajectory = field(default_factory=Trajectory)
    started_at: float = 0.0
    duration_s: float = 0.0
    error: str | None = None  # the harness failed (app would not start...), not the app

    @property
    def satisfied(self) -> bool:
        return self.outcome == "satisfied"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrialResult:
        trajectory = data.get("trajectory") or {}
        return cls(
            key=TrialKey(**data["key"]),
            outcome=data["outcome"],
            judgements=[
                Judgement(
                    judge=j["judge"],
                    score=j["score"],
                    satisfied=j["satisfied"],
                    checks=[CheckResult(**c) for c in j.get("checks", [])],
                    rationale=j.get("rationale", ""),
                )
                for j in data.get("judgements", [])
            ],
            trajectory=Trajectory(
                steps=[StepRecord(**s) for s in trajectory.get("steps", [])],
                journal=list(trajectory.get("journal", [])),
                state=dict(trajectory.get("state", {})),
                app_log=trajectory.get("app_log", ""),
            ),
            started_at=data.get("started_at", 0.0),
            duration_s=data.get("duration_s", 0.0),
            error=data.get("error"),
        )


@dataclass
class ScenarioSummary:
    """Satisfaction of one scenario over its trials, with an interval."""

    scenario: str
    trials: int
    satisfied: int
    errors: int
    satisfaction: float  # satisfied / (trials - errors)
    low: float  # lower bound of the interval
    high: float  # upper bound
    weight: float = 1.0
    critical: bool = False
