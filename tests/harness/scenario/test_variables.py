from __future__ import annotations

import pytest

from harness.scenario import TemplateError, Variable, draw

VARIABLES = (
    Variable(name="email", faker="email"),
    Variable(name="who", faker="name"),
    Variable(name="qty", int_range=(1, 5)),
    Variable(name="plan", choice=("free", "pro", "team")),
)


def test_the_same_seed_draws_the_same_values() -> None:
    assert draw(VARIABLES, 7) == draw(VARIABLES, 7)


def test_different_seeds_draw_different_values() -> None:
    drawn = [draw(VARIABLES, seed) for seed in range(5)]
    assert len({values["email"] for values in drawn}) > 1


def test_values_respect_their_source() -> None:
    values = draw(VARIABLES, 11)
    assert "@" in values["email"]
    assert 1 <= values["qty"] <= 5
    assert values["plan"] in ("free", "pro", "team")


def test_adding_a_variable_leaves_the_others_unchanged() -> None:
    more = (*VARIABLES, Variable(name="extra", faker="city"))
    before, after = draw(VARIABLES, 3), draw(more, 3)
    assert {name: after[name] for name in before} == before


def test_an_unknown_faker_provider_is_an_error() -> None:
    with pytest.raises(TemplateError, match="no provider 'telepathy'"):
        draw((Variable(name="x", faker="telepathy"),), 1)
