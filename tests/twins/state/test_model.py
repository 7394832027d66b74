"""Random sequences of store operations agree with a plain dict model, on every backend."""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from twins.state import Store

Key = tuple[str, str, str, str]  # session, twin, collection, key

SESSIONS = st.sampled_from(["a", "b"])
TWINS = st.sampled_from(["t1", "t2"])
COLLECTIONS = st.sampled_from(["c1", "c1", "c1", "c2"])  # mostly one: more to list
KEYS = st.sampled_from(["k1", "k2", "k3", "k4"])
PARENTS = st.sampled_from(["", "p"])
# Field names SQL can address and one it cannot (filtered in Python).
FIELDS = st.sampled_from(["f", "g", 'q"t'])
# Few distinct values, so that filters often meet values they must (not) match; among them
# the pairs SQL tends to confuse (true/1, 1/1.0, "1"/1, null/missing, {}/"{}").
VALUES = st.sampled_from(
    [None, True, False, 0, 1, 1.0, -0.0, 2.5, "", "1", "é", "%_'\"", "{}", [], [1], [True]]
    + [{}, {"x": 1}, {"x": 1.0}, {"x": True}, {"x": 1, "y": None}]
)
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=3)  # no NUL: jsonb
BODIES = st.fixed_dictionaries({"f": VALUES}, optional={"g": VALUES | TEXT, 'q"t': VALUES})


def canon(value: Any) -> Any:
    """A form in which == is JSON equality: numbers by value, booleans apart from numbers."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", float(value))
    if isinstance(value, list):
        return ("array", tuple(canon(v) for v in value))
    if isinstance(value, dict):
        return ("object", frozenset((k, canon(v)) for k, v in value.items()))
    return (type(value).__name__, value)


class StoreAgainstModel(RuleBasedStateMachine):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.run = uuid.uuid4().hex  # this run's sessions are its own, in a shared store
        self.resources: dict[Key, tuple[int, str, dict[str, Any]]] = {}
        self.last_seq: dict[str, int] = {}
        self.counters: dict[tuple[str, str, str], int] = {}

    def session(self, name: str) -> str:
        return f"{self.run}-{name}"

    @rule(s=SESSIONS, t=TWINS, c=COLLECTIONS, k=KEYS, parent=PARENTS, body=BODIES)
    def put_again(self, s: str, t: str, c: str, k: str, parent: str, body: dict[str, Any]) -> None:
        self.put(s, t, c, k, parent, body)  # a second rule: puts are half the work

    @rule(s=SESSIONS, t=TWINS, c=COLLECTIONS, k=KEYS, parent=PARENTS, body=BODIES)
    def put(self, s: str, t: str, c: str, k: str, parent: str, body: dict[str, Any]) -> None:
        old = self.resources.get((s, t, c, k))
        if old is None:
            self.last_seq[s] = seq = self.last_seq.get(s, 0) + 1
        else:
            seq = old[0]
        self.resources[(s, t, c, k)] = (seq, parent, body)
        assert self.store.put(self.session(s), t, c, k, parent, body) == seq

    @rule(s=SESSIONS, t=TWINS, c=COLLECTIONS, k=KEYS)
    def delete(self, s: str, t: str, c: str, k: str) -> None:
        existed = self.resources.pop((s, t, c, k), None) is not None
        assert self.store.delete(self.session(s), t, c, k) is existed

    @rule(s=SESSIONS, t=TWINS, c=COLLECTIONS, k=KEYS)
    def get(self, s: str, t: str, c: str, k: str) -> None:
        found = self.resources.get((s, t, c, k))
        got = self.store.get(self.session(s), t, c, k)
        assert canon(got) == canon(None if found is None else found[2])

    @rule(
        s=SESSIONS,
        t=TWINS,
        c=COLLECTIONS,
        parent=st.none() | PARENTS,
        after=st.none() | st.integers(0, 6),
        limit=st.none() | st.integers(0, 4),
        filters=st.just({}) | st.dictionaries(FIELDS, VALUES, min_size=1, max_size=2),
    )
    def list_and_count(
        self,
        s: str,
        t: str,
        c: str,
        parent: str | None,
        after: int | None,
        limit: int | None,
        filters: dict[str, Any],
    ) -> None:
        matching = sorted(
            (seq, body)
            for (rs, rt, rc, _), (seq, rparent, body) in self.resources.items()
            if (rs, rt, rc) == (s, t, c)
            and parent in (None, rparent)
            and all(f in body and canon(body[f]) == canon(v) for f, v in filters.items())
        )
        session = self.session(s)
        page = self.store.list(session, t, c, parent, after_seq=after, limit=limit, filters=filters)
        expected = [(seq, b) for seq, b in matching if after is None or seq > after][:limit]
        assert canon(page) == canon(expected)
        assert self.store.count(session, t, c, parent, filters=filters) == len(matching)

    @rule(s=SESSIONS, t=TWINS, name=st.sampled_from(["n", "m"]))
    def next_value(self, s: str, t: str, name: str) -> None:
        self.counters[(s, t, name)] = value = self.counters.get((s, t, name), 0) + 1
        assert self.store.next_value(self.session(s), t, name) == value

    @rule(s=SESSIONS, dice=st.integers(0, 3))
    def reset(self, s: str, dice: int) -> None:
        if dice:
            return  # a reset a quarter as often as other steps, or there is little to reset
        self.store.reset_session(self.session(s))
        self.resources = {k: v for k, v in self.resources.items() if k[0] != s}
        self.counters = {k: v for k, v in self.counters.items() if k[0] != s}
        self.last_seq.pop(s, None)

    @invariant()
    def sessions_are_those_that_wrote(self) -> None:
        written = {k[0] for k in self.resources} | {k[0] for k in self.counters}
        listed = {n.removeprefix(f"{self.run}-") for n in self.store.sessions() if self.run in n}
        assert written <= listed


def test_random_operations_agree_with_a_dict_model(shared_store: Store) -> None:
    run_state_machine_as_test(  # type: ignore[no-untyped-call]
        lambda: StoreAgainstModel(shared_store),
        settings=settings(
            max_examples=100,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


FILTERS = st.dictionaries(FIELDS, VALUES, max_size=2)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=st.lists(st.tuples(PARENTS, BODIES), min_size=1, max_size=8),
    parent=st.none() | PARENTS,
    filters=FILTERS,
    after=st.none() | st.integers(0, 8),
    limit=st.none() | st.integers(0, 3),
)
def test_lists_and_counts_agree_with_the_model(
    shared_store: Store,
    items: list[tuple[str, dict[str, Any]]],
    parent: str | None,
    filters: dict[str, Any],
    after: int | None,
    limit: int | None,
) -> None:
    session = uuid.uuid4().hex
    for i, (item_parent, body) in enumerate(items):
        shared_store.put(session, "t", "c", f"k{i}", item_parent, body)
    matching = [
        (seq, body)
        for seq, (item_parent, body) in enumerate(items, start=1)
        if parent in (None, item_parent)
        and all(f in body and canon(body[f]) == canon(v) for f, v in filters.items())
    ]
    page = shared_store.list(
        session, "t", "c", parent, after_seq=after, limit=limit, filters=filters
    )
    expected = [(seq, body) for seq, body in matching if after is None or seq > after][:limit]
    assert canon(page) == canon(expected)
    assert shared_store.count(session, "t", "c", parent, filters=filters) == len(matching)
