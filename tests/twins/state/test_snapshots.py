"""Snapshots and forks, on every backend: a fork is an independent copy of a seeded world."""

from __future__ import annotations

import pytest

from tests.twins.state.backends import BACKENDS
from twins.errors import Conflict, NotFoundError
from twins.sessions import Sessions
from twins.state import JournalEntry, Record, Store, open_store
from twins.state import snapshots as snapshots_module

T = "shop"
CUSTOMERS, ISSUES = "/customers", "/repos/{owner}/{repo}/issues"
DURABLE = [b for b in BACKENDS if b.values != ("memory",)]


def seed_world(store: Store, session: str = "source") -> None:
    store.import_resources(
        session,
        T,
        [
            Record(CUSTOMERS, "cus_1", {"id": "cus_1", "name": "Ada"}),
            Record(CUSTOMERS, "cus_2", {"id": "cus_2", "name": "Grace"}),
            Record(ISSUES, "octo/hello/1", {"number": 1}, parent="octo/hello"),
        ],
    )
    store.next_value(session, T, CUSTOMERS)
    store.next_value(session, T, CUSTOMERS)
    store.set_session_meta(session, {"scenario": "checkout"})


def entry(session: str) -> JournalEntry:
    return JournalEntry(session, T, "GET /customers", "GET", "/customers", 200)


def test_a_fork_holds_the_snapshots_resources_counters_seed_and_meta(store: Store) -> None:
    seed_world(store)
    store.snapshot_session("source", "world", seed=42)
    info = store.fork_snapshot("world", "trial")
    assert (info.resources, info.counters, info.seed) == (3, 1, 42)
    source, fork = store.export_session("source"), store.export_session("trial")
    assert fork["resources"] == source["resources"]
    assert fork["counters"] == {T: {CUSTOMERS: 2}}
    assert (fork["seed"], fork["meta"]) == (42, {"scenario": "checkout"})
    assert store.list("trial", T, ISSUES, "octo/hello") == [(3, {"number": 1})]


def test_writes_in_one_fork_show_neither_in_the_snapshot_nor_in_another_fork(
    store: Store,
) -> None:
    seed_world(store)
    store.snapshot_session("source", "world", seed=1)
    store.fork_snapshot("world", "a")
    store.fork_snapshot("world", "b")
    store.put("a", T, CUSTOMERS, "cus_9", "", {"id": "cus_9"})
    store.delete("a", T, CUSTOMERS, "cus_1")
    store.next_value("a", T, CUSTOMERS)
    assert store.get("b", T, CUSTOMERS, "cus_1") == {"id": "cus_1", "name": "Ada"}
    assert store.get("b", T, CUSTOMERS, "cus_9") is None
    store.fork_snapshot("world", "c")  # the snapshot itself is untouched by a fork's writes
    assert store.export_session("c")["resources"] == store.export_session("b")["resources"]
    assert store.next_value("c", T, CUSTOMERS) == 3


def test_the_source_moving_on_does_not_change_its_snapshot(store: Store) -> None:
    seed_world(store)
    store.snapshot_session("source", "world", seed=1)
    store.put("source", T, CUSTOMERS, "cus_1", "", {"id": "cus_1", "name": "Changed"})
    store.reset_session("source")
    store.fork_snapshot("world", "trial")
    assert store.get("trial", T, CUSTOMERS, "cus_1") == {"id": "cus_1", "name": "Ada"}


def test_a_fork_numbers_new_resources_where_the_snapshot_left_off(store: Store) -> None:
    seed_world(store)
    store.snapshot_session("source", "world", seed=1)
    store.fork_snapshot("world", "trial")
    assert store.put("trial", T, CUSTOMERS, "cus_3", "", {"id": "cus_3"}) == 4
    assert store.next_value("trial", T, CUSTOMERS) == 3


def test_forking_into_a_session_drops_what_it_held_journal_included(store: Store) -> None:
    seed_world(store)
    store.snapshot_session("source", "world", seed=1)
    store.put("trial", T, "/orders", "ord_1", "", {"id": "ord_1"})
    store.next_value("trial", T, "/orders")
    store.journal_append(entry("trial"))
    store.fork_snapshot("world", "trial")
    assert store.list("trial", T, "/orders") == []
    assert store.export_session("trial")["counters"] == {T: {CUSTOMERS: 2}}
    assert store.journal("trial") == []


def test_the_journal_is_not_copied(store: Store) -> None:
    seed_world(store)
    store.journal_append(entry("source"))
    store.snapshot_session("source", "world", seed=1)
    store.fork_snapshot("world", "trial")
    assert len(store.journal("source")) == 1
    assert store.journal("trial") == []


def test_a_taken_name_conflicts_unless_replaced(store: Store) -> None:
    seed_world(store)
    store.snapshot_session("source", "world", seed=1)
    store.put("source", T, CUSTOMERS, "cus_3", "", {"id": "cus_3"})
    with pytest.raises(Conflict, match="world"):
        store.snapshot_session("source", "world", seed=1)
    replaced = store.snapshot_session("source", "world", seed=2, replace=True)
    assert (replaced.resources, replaced.seed) == (4, 2)
    store.fork_snapshot("world", "trial")
    assert store.count("trial", T, CUSTOMERS) == 3


def test_the_number_of_snapshots_is_bounded(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshots_module, "MAX_SNAPSHOTS", 2)
    store.snapshot_session("source", "one", seed=1)
    store.snapshot_session("source", "two", seed=1)
    with pytest.raises(Conflict, match="delete some"):
        store.snapshot_session("source", "three", seed=1)
    store.snapshot_session("source", "two", seed=1, replace=True)  # replacing adds none


def test_forking_an_unknown_snapshot_is_not_found_and_leaves_the_session_alone(
    store: Store,
) -> None:
    seed_world(store, "trial")
    with pytest.raises(NotFoundError, match="nothing"):
        store.fork_snapshot("nothing", "trial")
    assert store.count("trial", T, CUSTOMERS) == 2


def test_snapshots_are_listed_by_name_and_deleting_one_keeps_its_forks(store: Store) -> None:
    seed_world(store)
    store.snapshot_session("source", "zeta", seed=1)
    store.snapshot_session("source", "alpha", seed=1)
    store.fork_snapshot("alpha", "trial")
    assert [s.name for s in store.snapshots()] == ["alpha", "zeta"]
    assert store.delete_snapshot("alpha") is True
    assert store.delete_snapshot("alpha") is False
    assert store.snapshot_info("alpha") is None
    assert [s.name for s in store.snapshots()] == ["zeta"]
    assert store.count("trial", T, CUSTOMERS) == 2
    with pytest.raises(NotFoundError):
        store.fork_snapshot("alpha", "again")


def test_a_snapshot_of_an_unknown_session_is_an_empty_world_with_its_seed(store: Store) -> None:
    info = store.snapshot_session("nobody", "blank", seed=9, clock={"frozen_at": 5.0, "offset": 0})
    assert (info.resources, info.counters, info.meta, info.last_seq) == (0, 0, {}, 0)
    seed_world(store, "trial")
    forked = store.fork_snapshot("blank", "trial")
    assert store.export_session("trial")["resources"] == {}
    assert forked.clock == {"frozen_at": 5.0, "offset": 0}
    assert store.session_info("trial") is not None
    assert store.session_seed("trial", 0) == 9


@pytest.mark.parametrize("store_url", DURABLE, indirect=True)
def test_snapshots_outlive_the_process(store_url: str) -> None:
    with open_store(store_url) as store:
        seed_world(store)
        store.snapshot_session("source", "world", seed=3, clock={"frozen_at": None, "offset": 60})
    with open_store(store_url) as store:
        info = store.fork_snapshot("world", "trial")
        assert info.clock == {"frozen_at": None, "offset": 60}
        assert store.count("trial", T, CUSTOMERS) == 2


def test_a_forked_session_gets_the_snapshots_seed_and_clock(store: Store) -> None:
    sessions = Sessions(store, default_seed=5)
    seed_world(store)
    sessions.clock("source").frozen_at = 1_700_000_000.0
    sessions.snapshot("source", "world")
    sessions.clock("source").frozen_at = 1_800_000_000.0  # later changes stay out of it
    sessions.set_seed("trial", 77)
    sessions.fork("world", "trial")
    assert sessions.seed("trial") == 5
    assert sessions.now("trial") == 1_700_000_000.0
    sessions.clock("trial").frozen_at = 1.0
    assert sessions.now("source") == 1_800_000_000.0  # forks have clocks of their own


def test_a_fork_of_a_session_on_real_time_runs_on_real_time(store: Store) -> None:
    sessions = Sessions(store, default_seed=5)
    sessions.clock("trial").frozen_at = 10.0
    sessions.snapshot("source", "world")
    sessions.fork("world", "trial")
    assert sessions.now("trial") > 1_000_000_000
