"""The registry in the store: shared by replicas, forgotten by resets, never holding secrets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from twins.auth.credentials import Credential
from twins.auth.judge import SessionJudge
from twins.auth.registry import AUTH_TWIN, CREDENTIALS, AuthRegistry
from twins.auth.verdict import Grant, Refusal
from twins.spec.model import SecurityScheme
from twins.state import Store, open_store

KEY = SecurityScheme("key", "apiKey", location="header", parameter_name="X-Key")


@pytest.fixture
def store() -> Iterator[Store]:
    with open_store("memory") as opened:
        yield opened


def judged(registry: AuthRegistry, secret: str, session: str = "s") -> Grant | Refusal:
    return SessionJudge(registry, session, "vault", now=0.0)(Credential(KEY, secret))


def test_a_replica_sees_what_another_registered(store: Store) -> None:
    first, second = AuthRegistry(store), AuthRegistry(store)
    assert isinstance(judged(second, "anything"), Grant)
    first.register("s", "the-key")
    assert isinstance(judged(second, "anything"), Refusal)
    assert judged(second, "the-key") == Grant("the-key", None)


def test_an_exclusive_registry_trusts_what_it_did_itself(store: Store) -> None:
    registry = AuthRegistry(store, exclusive=True)
    assert registry.holds_nothing("s")
    registry.register("s", "the-key", scopes=("read",))
    assert not registry.holds_nothing("s")
    assert judged(registry, "the-key") == Grant("the-key", frozenset({"read"}))


def test_the_store_never_holds_a_registered_secret(store: Store) -> None:
    AuthRegistry(store).register("s", "sk_live_supersecret")
    assert "sk_live_supersecret" not in str(store.export_session("s"))
    assert store.count("s", AUTH_TWIN, CREDENTIALS) == 1


def test_a_selector_outlived_by_a_reset_selects_nothing(store: Store) -> None:
    registry = AuthRegistry(store)
    registry.register("tenant", "pick", selects_session=True)
    assert registry.selected_session("pick", "vault") == "tenant"
    store.reset_session("tenant")
    assert registry.selected_session("pick", "vault") is None
    registry.forget_session("tenant")
    assert registry.selectors() == []


def test_a_selector_for_one_twin_does_not_select_for_another(store: Store) -> None:
    registry = AuthRegistry(store)
    registry.register("tenant", "pick", selects_session=True, twin="vault")
    assert registry.selected_session("pick", "vault") == "tenant"
    assert registry.selected_session("pick", "shop") is None


def test_registering_again_without_selecting_drops_the_selector(store: Store) -> None:
    registry = AuthRegistry(store)
    registry.register("tenant", "pick", selects_session=True)
    registry.register("tenant", "pick")
    assert registry.selected_session("pick", None) is None
    assert registry.selectors() == []


def test_reads_are_uncached_only_where_auth_may_change_the_answer(store: Store) -> None:
    registry = AuthRegistry(store, exclusive=True)
    assert not registry.affects_reads("s")
    registry.register("s", "k")
    assert registry.affects_reads("s")
    assert not registry.affects_reads("other")
    registry.register("t", "pick", selects_session=True)
    assert registry.affects_reads("other")
