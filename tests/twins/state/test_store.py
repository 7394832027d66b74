"""The store's contract, on every backend."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.twins.state.backends import BACKENDS
from twins.state import Record, StateAccess, Store, open_store

S, T, C = "s1", "stripe", "customers"
DURABLE = [b for b in BACKENDS if b.values != ("memory",)]  # memory is gone once closed
POSTGRES = [b for b in BACKENDS if b.values == ("postgresql",)]


def put_many(store: Store, keys: list[str], parent: str = "") -> None:
    for key in keys:
        store.put(S, T, C, key, parent, {"id": key})


def keys_of(page: list[tuple[int, dict[str, Any]]]) -> list[str]:
    return [body["id"] for _, body in page]


def test_put_then_get_returns_the_body(store: Store) -> None:
    store.put(S, T, C, "cus_1", "", {"id": "cus_1", "n": 1.5, "tags": ["a"], "x": None})
    assert store.get(S, T, C, "cus_1") == {"id": "cus_1", "n": 1.5, "tags": ["a"], "x": None}


def test_get_of_unknown_resource_is_none_and_creates_no_session(store: Store) -> None:
    assert store.get("nobody", T, C, "cus_1") is None
    assert store.list("nobody", T, C) == []
    assert store.sessions() == []
    assert store.session_info("nobody") is None


def test_new_resources_get_dense_seqs_and_replacing_keeps_the_seq(store: Store) -> None:
    assert [store.put(S, T, C, k, "", {"id": k}) for k in ("a", "b", "c")] == [1, 2, 3]
    assert store.put(S, T, C, "a", "", {"id": "a", "v": 2}) == 1
    assert store.list(S, T, C) == [(1, {"id": "a", "v": 2}), (2, {"id": "b"}), (3, {"id": "c"})]
    assert store.put(S, T, "other", "z", "", {"id": "z"}) == 4  # seqs are per session


def test_deleted_resource_is_gone_and_its_seq_is_not_reused(store: Store) -> None:
    put_many(store, ["a", "b"])
    assert store.delete(S, T, C, "b") is True
    assert store.delete(S, T, C, "b") is False
    assert store.get(S, T, C, "b") is None
    assert store.put(S, T, C, "b", "", {"id": "b"}) == 3


def test_list_pages_by_after_seq_and_limit(store: Store) -> None:
    put_many(store, [f"k{i}" for i in range(7)])
    first = store.list(S, T, C, limit=3)
    second = store.list(S, T, C, after_seq=first[-1][0], limit=3)
    third = store.list(S, T, C, after_seq=second[-1][0], limit=3)
    assert keys_of(first + second + third) == [f"k{i}" for i in range(7)]
    assert store.list(S, T, C, limit=0) == []
    with pytest.raises(ValueError):
        store.list(S, T, C, limit=-1)


def test_list_and_count_keep_to_one_parent_unless_parent_is_none(store: Store) -> None:
    store.put(S, T, C, "a", "owner=x", {"id": "a"})
    store.put(S, T, C, "b", "owner=y", {"id": "b"})
    store.put(S, T, C, "c", "owner=x", {"id": "c"})
    assert keys_of(store.list(S, T, C, "owner=x")) == ["a", "c"]
    assert keys_of(store.list(S, T, C, None)) == ["a", "b", "c"]
    assert keys_of(store.list(S, T, C, "")) == []
    assert (store.count(S, T, C, "owner=x"), store.count(S, T, C)) == (2, 3)


def test_replacing_can_move_a_resource_to_another_parent(store: Store) -> None:
    store.put(S, T, C, "a", "p1", {"id": "a"})
    store.put(S, T, C, "a", "p2", {"id": "a"})
    assert store.list(S, T, C, "p1") == []
    assert store.list(S, T, C, "p2") == [(1, {"id": "a"})]


MIXED: list[Any] = [1, 1.0, 2, True, False, 0, "1", "true", "", None, [1], {"k": 1}, {"k": 1.0}]
# Which of MIXED (by index) each one matches. Not a dict keyed by value: True == 1 in Python.
MATCHES = [[0, 1], [0, 1], [2], [3], [4], [5], [6], [7], [8], [9], [10], [11, 12], [11, 12]]


@pytest.mark.parametrize(("wanted", "matches"), zip(MIXED, MATCHES, strict=True), ids=repr)
def test_filters_compare_as_json_values_not_as_python_or_sql_values(
    store: Store, wanted: Any, matches: list[int]
) -> None:
    for i, value in enumerate(MIXED):
        store.put(S, T, C, f"k{i}", "", {"id": f"k{i}", "v": value})
    store.put(S, T, C, "missing", "", {"id": "missing"})
    assert keys_of(store.list(S, T, C, filters={"v": wanted})) == [f"k{i}" for i in matches]
    assert store.count(S, T, C, filters={"v": wanted}) == len(matches)


def test_several_filters_all_apply_and_combine_with_paging(store: Store) -> None:
    for i in range(10):
        store.put(S, T, C, f"k{i}", "", {"id": f"k{i}", "even": i % 2 == 0, "tag": {"t": i % 3}})
    assert keys_of(store.list(S, T, C, filters={"even": True, "tag": {"t": 0}})) == ["k0", "k6"]
    page = store.list(S, T, C, filters={"even": True}, after_seq=3, limit=2)
    assert keys_of(page) == ["k4", "k6"]
    assert keys_of(store.list(S, T, C, filters={"tag": {"t": 1}}, limit=2)) == ["k1", "k4"]


@pytest.mark.parametrize("field", ["a.b", 'quo"te', "back\\slash", "ünï", "$", "sp ace"])
def test_filters_work_on_any_field_name(store: Store, field: str) -> None:
    store.put(S, T, C, "a", "", {"id": "a", field: "yes"})
    store.put(S, T, C, "b", "", {"id": "b", field: "no"})
    assert keys_of(store.list(S, T, C, filters={field: "yes"})) == ["a"]


@pytest.mark.parametrize(
    ("where", "other"),
    [
        (("s1", "stripe"), ("s2", "stripe")),
        (("s1", "stripe"), ("s1", "github")),
    ],
    ids=["sessions", "twins"],
)
def test_sessions_and_twins_do_not_see_each_others_state(
    store: Store, where: tuple[str, str], other: tuple[str, str]
) -> None:
    store.put(*where, C, "a", "", {"id": "a"})
    assert store.next_value(*where, "customer") == 1
    assert store.get(*other, C, "a") is None
    assert store.list(*other, C) == []
    assert store.count(*other, C) == 0
    assert store.delete(*other, C, "a") is False
    assert store.next_value(*other, "customer") == 1
    assert store.get(*where, C, "a") == {"id": "a"}


def test_counters_count_up_from_one_per_name(store: Store) -> None:
    assert [store.next_value(S, T, "customer") for _ in range(3)] == [1, 2, 3]
    assert store.next_value(S, T, "invoice") == 1


def test_session_seed_is_pinned_at_first_use_until_set(store: Store) -> None:
    assert store.session_seed(S, 42) == 42
    assert store.session_seed(S, 7) == 42
    store.set_session_seed(S, 99)
    assert store.session_seed(S, 7) == 99
    store.set_session_seed("s2", 5)
    assert store.session_seed("s2", 7) == 5


def test_session_meta_and_info_describe_the_session(store: Store) -> None:
    store.set_session_meta(S, {"scenario": "refunds"})
    store.put(S, T, C, "a", "", {"id": "a"})
    info = store.session_info(S)
    assert info is not None
    assert (info.seed, info.meta, info.last_seq) == (None, {"scenario": "refunds"}, 1)


def test_reset_forgets_resources_counters_and_seqs_but_keeps_the_seed(store: Store) -> None:
    store.set_session_seed(S, 5)
    put_many(store, ["a", "b"])
    store.next_value(S, T, "customer")
    store.put("s2", T, C, "keep", "", {"id": "keep"})
    store.reset_session(S)
    assert store.list(S, T, C) == []
    assert store.export_session(S)["counters"] == {}
    assert store.next_value(S, T, "customer") == 1
    assert store.put(S, T, C, "c", "", {"id": "c"}) == 1
    assert store.session_seed(S, 0) == 5
    assert store.get("s2", T, C, "keep") == {"id": "keep"}


def test_drop_forgets_the_session_entirely(store: Store) -> None:
    store.set_session_seed(S, 5)
    store.put(S, T, C, "a", "", {"id": "a"})
    store.drop_session(S)
    assert store.sessions() == []
    assert store.session_seed(S, 8) == 8


def test_sessions_lists_every_session_that_wrote_anything(store: Store) -> None:
    store.put("b", T, C, "a", "", {"id": "a"})
    store.next_value("a", T, "n")
    store.set_session_seed("c", 1)
    assert store.sessions() == ["a", "b", "c"]


def test_export_then_import_into_another_session_reproduces_it(store: Store) -> None:
    store.set_session_seed(S, 3)
    store.put(S, T, C, "a", "", {"id": "a"})
    store.put(S, T, "charges", "ch", "customer=a", {"id": "ch"})
    store.next_value(S, T, "customer")
    exported = store.export_session(S)
    assert exported == {
        "session": S,
        "seed": 3,
        "meta": {},
        "resources": {
            T: {
                "charges": [{"key": "ch", "parent": "customer=a", "seq": 2, "body": {"id": "ch"}}],
                C: [{"key": "a", "parent": "", "seq": 1, "body": {"id": "a"}}],
            }
        },
        "counters": {T: {"customer": 1}},
    }
    items = [
        Record(collection, item["key"], item["body"], item["parent"])
        for collection, listed in exported["resources"][T].items()
        for item in sorted(listed, key=lambda i: i["seq"])
    ]
    store.import_resources("copy", T, items)
    assert store.export_session("copy")["resources"] == {
        T: {
            "charges": [{"key": "ch", "parent": "customer=a", "seq": 1, "body": {"id": "ch"}}],
            C: [{"key": "a", "parent": "", "seq": 2, "body": {"id": "a"}}],
        }
    }


def test_store_and_transaction_both_offer_state_access(store: Store) -> None:
    def create(access: StateAccess) -> int:
        n = access.next_value(S, T, "customer")
        return access.put(S, T, C, f"cus_{n}", "", {"id": f"cus_{n}"})

    assert create(store) == 1
    with store.transaction() as tx:
        assert create(tx) == 2


def test_a_transaction_commits_all_its_steps_together(store: Store) -> None:
    with store.transaction() as tx:
        n = tx.next_value(S, T, "customer")
        tx.put(S, T, C, f"cus_{n}", "", {"id": f"cus_{n}"})
        assert tx.get(S, T, C, "cus_1") == {"id": "cus_1"}
        assert tx.count(S, T, C) == 1
    assert keys_of(store.list(S, T, C)) == ["cus_1"]


def test_a_failed_transaction_leaves_nothing_behind(store: Store) -> None:
    store.put(S, T, C, "a", "", {"id": "a"})
    with pytest.raises(KeyError), store.transaction() as tx:
        tx.next_value(S, T, "customer")
        tx.put(S, T, C, "b", "", {"id": "b"})
        tx.delete(S, T, C, "a")
        raise KeyError("behaviour failed")
    assert keys_of(store.list(S, T, C)) == ["a"]
    assert store.next_value(S, T, "customer") == 1
    assert store.put(S, T, C, "b", "", {"id": "b"}) == 2


def test_store_calls_and_nested_transactions_inside_a_transaction_join_it(store: Store) -> None:
    with pytest.raises(KeyError), store.transaction():
        store.put(S, T, C, "a", "", {"id": "a"})
        store.next_value(S, T, "customer")
        with store.transaction() as inner:
            inner.put(S, T, C, "b", "", {"id": "b"})
        assert store.count(S, T, C) == 2
        raise KeyError("roll back")
    assert store.count(S, T, C) == 0
    assert store.next_value(S, T, "customer") == 1


def test_journal_reads_and_resets_are_refused_inside_a_transaction(store: Store) -> None:
    with store.transaction(), pytest.raises(RuntimeError):
        store.journal(S)
    with store.transaction(), pytest.raises(RuntimeError):
        store.reset_session(S)


@pytest.mark.parametrize("store_url", DURABLE, indirect=True)
def test_state_survives_closing_and_reopening(store_url: str) -> None:
    with open_store(store_url) as store:
        store.put(S, T, C, "a", "", {"id": "a"})
        store.next_value(S, T, "customer")
    with open_store(store_url) as store:
        assert store.get(S, T, C, "a") == {"id": "a"}
        assert store.next_value(S, T, "customer") == 2


def test_each_memory_store_is_its_own_database() -> None:
    with open_store("memory") as one, open_store("memory") as two:
        one.put(S, T, C, "a", "", {"id": "a"})
        assert two.get(S, T, C, "a") is None


@pytest.mark.parametrize("store_url", POSTGRES, indirect=True)
def test_postgresql_statistics_are_gathered_once_a_collection_grows(store_url: str) -> None:
    import psycopg

    with open_store(store_url) as store:
        store.import_resources(S, T, [Record(C, f"k{i}", {}) for i in range(60)])
        for i in range(40):
            store.put(S, T, C, f"more{i}", "", {})
        query = "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'dtu_resource'"
        with psycopg.connect(store_url, autocommit=True) as conn:  # fresh stats each query
            deadline = time.monotonic() + 10
            while conn.execute(query).fetchone() == (None,) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert conn.execute(query).fetchone() != (None,)
