"""The sweep history, on SQLite (a file) and on a real PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.history import History, Sweep, database_url
from harness.model import Outcome
from tests.harness.trials import trial, trials
from tests.pg import fresh_schema, running_postgres


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with running_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def history(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[History]:
    if request.param == "sqlite":
        with History.open(tmp_path / "history.db") as opened:
            yield opened
        return
    with fresh_schema(request.getfixturevalue("postgres_url")) as url, History.open(url) as opened:
        yield opened


def test_a_saved_sweep_gives_back_its_trials_unchanged(history: History) -> None:
    results = trials("pay", 2, 1, errors=1, sweep="s1") + trials("refund", 1, sweep="s1")
    history.start_sweep(Sweep("s1", started=100.0, label="main", commit="abc123"))
    history.save(results)
    assert history.results("s1") == results
    assert history.results("other") == []


def test_saving_a_trial_again_replaces_it_instead_of_duplicating(history: History) -> None:
    history.start_sweep(Sweep("s1", started=100.0))
    history.save(trials("pay", 0, 3, sweep="s1"))
    resumed = trials("pay", 3, sweep="s1")  # same keys, now satisfied
    history.save(resumed)
    history.save(resumed)
    assert history.results("s1") == resumed


def test_restarting_a_sweep_keeps_its_trials_and_updates_its_labels(history: History) -> None:
    history.start_sweep(Sweep("s1", started=100.0, label="feature"))
    history.save(trials("pay", 2, sweep="s1"))
    history.start_sweep(Sweep("s1", started=100.0, label="feature", commit="def456"))
    assert history.sweep("s1") == Sweep("s1", 100.0, "feature", "def456")
    assert len(history.results("s1")) == 2


def test_trials_of_an_unknown_sweep_are_refused(history: History) -> None:
    with pytest.raises(KeyError, match="not started"):
        history.save(trials("pay", 1, sweep="never"))


def test_the_baseline_is_the_last_sweep_of_its_label(history: History) -> None:
    history.start_sweep(Sweep("m1", started=100.0, label="main"))
    history.start_sweep(Sweep("m2", started=300.0, label="main"))
    history.start_sweep(Sweep("f1", started=400.0, label="feature"))
    last = history.last_sweep("main")
    assert last is not None and last.id == "m2"
    earlier = history.last_sweep("main", before=300.0)
    assert earlier is not None and earlier.id == "m1"
    assert history.last_sweep("release") is None


def test_the_decision_is_recorded_on_the_sweep(history: History) -> None:
    history.start_sweep(Sweep("s1", started=1.0))
    history.set_decision("s1", "block")
    swept = history.sweep("s1")
    assert swept is not None and swept.decision == "block"
    with pytest.raises(KeyError, match="no sweep"):
        history.set_decision("missing", "merge")


def test_satisfaction_per_scenario_over_time(history: History) -> None:
    history.start_sweep(Sweep("m2", started=200.0, label="main"))
    history.start_sweep(Sweep("m1", started=100.0, label="main"))
    history.start_sweep(Sweep("f1", started=150.0, label="feature"))
    history.save(trials("pay", 1, 3, sweep="m1") + trials("pay", 3, 0, errors=1, sweep="m2"))
    history.save(trials("pay", 0, 2, sweep="f1"))
    trend = history.trend("main")
    assert [(p.sweep, p.scenario, p.trials, p.satisfaction) for p in trend] == [
        ("m1", "pay", 4, 0.25),
        ("m2", "pay", 4, 1.0),
    ]
    assert [p.sweep for p in history.trend()] == ["m1", "f1", "m2"]


@pytest.mark.parametrize(
    ("target", "url"),
    [
        ("history.db", "sqlite:///history.db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_a_history_target_becomes_a_database_url(target: str, url: str) -> None:
    assert database_url(target) == url


def test_an_unsupported_database_is_refused() -> None:
    with pytest.raises(ValueError, match="use a file path"):
        database_url("mysql://u@h/db")


_databases = itertools.count()


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["satisfied", "unsatisfied"]))))
def test_any_order_of_saves_keeps_one_row_per_trial(
    tmp_path: Path, saves: list[tuple[int, Outcome]]
) -> None:
    with History.open(tmp_path / f"h{next(_databases)}.db") as history:  # fresh per example
        history.start_sweep(Sweep("s", started=0.0))
        last: dict[int, str] = {}
        for seed, outcome in saves:
            history.save([trial("pay", seed, outcome, sweep="s")])
            last[seed] = outcome
        assert {r.key.seed: r.outcome for r in history.results("s")} == last
