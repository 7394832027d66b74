"""The history of sweeps: every trial of every sweep, in SQLite (a file, by default) or a
shared PostgreSQL, so a later sweep finds its baseline and trends can be plotted.

Saving is idempotent per (sweep, trial id): a resumed sweep that saves a trial again replaces
it rather than counting it twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, create_engine
from sqlmodel import Field, Session, SQLModel, col, select

from harness.model import TrialResult

_POSTGRES = ("postgresql://", "postgres://", "postgresql+psycopg://")


class SweepRow(SQLModel, table=True):
    __tablename__ = "harness_sweeps"

    id: str = Field(primary_key=True, max_length=200)
    started: float = Field(index=True)  # seconds since the epoch, from the runner
    label: str = Field(default="", index=True, max_length=200)  # branch, e.g. "main"
    commit: str = Field(default="", max_length=100)
    decision: str | None = Field(default=None, max_length=20)  # "merge" | "block"


class TrialRow(SQLModel, table=True):
    __tablename__ = "harness_trials"

    sweep_id: str = Field(primary_key=True, foreign_key="harness_sweeps.id", max_length=200)
    trial_id: str = Field(primary_key=True, max_length=500)
    scenario: str = Field(index=True, max_length=200)
    profile: str = Field(max_length=100)
    seed: int
    outcome: str = Field(max_length=20)
    score: float | None = None  # mean judgement score; None when nothing judged it
    duration_s: float = 0.0
    data: str  # TrialResult.to_json(), as JSON text


@dataclass(frozen=True)
class Sweep:
    id: str
    started: float
    label: str = ""
    commit: str = ""
    decision: str | None = None


@dataclass(frozen=True)
class TrendPoint:
    """Satisfaction of one scenario in one sweep."""

    sweep: str
    started: float
    scenario: str
    trials: int
    satisfied: int
    errors: int

    @property
    def satisfaction(self) -> float:
        valid = self.trials - self.errors
        return self.satisfied / valid if valid else 0.0


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL from a PostgreSQL URL, a sqlite URL, or a file path."""
    text = str(target)
    for scheme in _POSTGRES:
        if text.startswith(scheme):
            return "postgresql+psycopg://" + text[len(scheme) :]
    if text.startswith("sqlite:"):
        return text
    if "://" in text:
        raise ValueError(f"history database {text!r}: use a file path, sqlite:/// or postgresql://")
    return f"sqlite:///{Path(text)}"


def _tables() -> list[Table]:
    """Ours only: the twins keep their own tables on the shared metadata."""
    return [SQLModel.metadata.tables[name] for name in ("harness_sweeps", "harness_trials")]


class History:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        SQLModel.metadata.create_all(engine, tables=_tables())

    @classmethod
    @contextmanager
    def open(cls, target: str | Path) -> Iterator[History]:
        engine = create_engine(database_url(target))
        try:
            yield cls(engine)
        finally:
            engine.dispose()

    def start_sweep(self, sweep: Sweep) -> None:
        """Record a sweep (again: a resumed sweep keeps its id; labels are updated)."""
        with Session(self.engine) as session:
            session.merge(SweepRow(**sweep.__dict__))
            session.commit()

    def set_decision(self, sweep_id: str, decision: str) -> None:
        with Session(self.engine) as session:
            row = session.get(SweepRow, sweep_id)
            if row is None:
                raise KeyError(f"no sweep {sweep_id!r} in the history")
            row.decision = decision
            session.commit()

    def save(self, results: Iterable[TrialResult]) -> None:
        """Save trials of recorded sweeps; a trial saved twice keeps its last result."""
        with Session(self.engine) as session:
            for result in results:
                if session.get(SweepRow, result.key.sweep) is None:
                    raise KeyError(f"trial {result.key.id}: sweep {result.key.sweep!r} not started")
                session.merge(_row(result))
            session.commit()

    def results(self, sweep_id: str) -> list[TrialResult]:
        with Session(self.engine) as session:
            rows = session.exec(
                select(TrialRow)
                .where(TrialRow.sweep_id == sweep_id)
                .order_by(col(TrialRow.scenario), col(TrialRow.profile), col(TrialRow.seed))
            ).all()
            return [TrialResult.from_json(json.loads(row.data)) for row in rows]

    def sweep(self, sweep_id: str) -> Sweep | None:
        with Session(self.engine) as session:
            row = session.get(SweepRow, sweep_id)
            return None if row is None else _sweep(row)

    def last_sweep(self, label: str, before: float | None = None) -> Sweep | None:
        """The latest sweep with this label (e.g. "main": the baseline), optionally only
        those started before a time."""
        query = select(SweepRow).where(SweepRow.label == label)
        if before is not None:
            query = query.where(SweepRow.started < before)
        with Session(self.engine) as session:
            row = session.exec(query.order_by(col(SweepRow.started).desc()).limit(1)).first()
            return None if row is None else _sweep(row)

    def trend(self, label: str | None = None) -> list[TrendPoint]:
        """Satisfaction per scenario per sweep, oldest sweep first."""
        query = select(SweepRow.id, SweepRow.started, TrialRow.scenario, TrialRow.outcome).join(
            TrialRow, col(TrialRow.sweep_id) == col(SweepRow.id)
        )
        if label is not None:
            query = query.where(SweepRow.label == label)
        counts: dict[tuple[float, str, str], list[int]] = {}
        with Session(self.engine) as session:
            for sweep_id, started, scenario, outcome in session.exec(query):
                row = counts.setdefault((started, sweep_id, scenario), [0, 0, 0])
                row[0] += 1
                row[1] += outcome == "satisfied"
                row[2] += outcome == "error"
        return [
            TrendPoint(sweep, started, scenario, *row)
            for (started, sweep, scenario), row in sorted(counts.items())
        ]


def _row(result: TrialResult) -> TrialRow:
    scores = [j.score for j in result.judgements]
    data: dict[str, Any] = result.to_json()
    return TrialRow(
        sweep_id=result.key.sweep,
        trial_id=result.key.id,
        scenario=result.key.scenario,
        profile=result.key.profile,
        seed=result.key.seed,
        outcome=result.outcome,
        score=sum(scores) / len(scores) if scores else None,
        duration_s=result.duration_s,
        data=json.dumps(data, default=str),
    )


def _sweep(row: SweepRow) -> Sweep:
    return Sweep(row.id, row.started, row.label, row.commit, row.decision)
