"""Numbers and strings at their edges: tight, exclusive, far-off and fractional constraints."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
from hypothesis import given, settings
from hypothesis import strategies as st

from twins.fake import DataFaker, Rng

FAKER = DataFaker()
# Names whose usual ranges (timestamps, amounts, latitudes...) the bounds must still override.
NAMES = st.sampled_from(["", "created", "amount", "latitude", "count", "percent", "email", "id"])
STEPS = st.sampled_from([None, 0.3, 1e-5, 7.5, 0.01, 0.07, 3, 1000, 2.5e-3])


def _is_valid(schema: dict[str, Any], value: Any) -> bool:
    return bool(jsonschema_rs.validator_for(schema, validate_formats=True).is_valid(value))


@st.composite
def numeric_schemas(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["integer", "number"]))
    step = draw(STEPS)
    low = draw(st.one_of(st.none(), st.floats(-1e12, 1e12), st.integers(-10, 10)))
    width = draw(st.floats(1, 1e6))
    schema: dict[str, Any] = {"type": kind}
    if step is not None:
        schema["multipleOf"] = step
        width += step * 3  # a multiple fits even between exclusive bounds
    if kind == "integer":
        width = max(width, 3) * max(step or 1, 1) * 10
    if low is not None:
        schema["exclusiveMinimum" if draw(st.booleans()) else "minimum"] = low
    if draw(st.booleans()):
        high = (low if low is not None else 0) + width
        schema["exclusiveMaximum" if draw(st.booleans()) else "maximum"] = high
    return schema


@settings(max_examples=400, deadline=None)
@given(schema=numeric_schemas(), name=NAMES, seed=st.integers(0, 2**32))
def test_numbers_honour_bounds_and_multiples_whatever_the_name(
    schema: dict[str, Any], name: str, seed: int
) -> None:
    if schema["type"] == "integer" and not float(schema.get("multipleOf", 1)).is_integer():
        schema.pop("multipleOf")
    value = FAKER.generate(schema, Rng(seed), name=name)
    assert _is_valid(schema, value), (schema, value)


@settings(max_examples=200, deadline=None)
@given(
    low=st.integers(0, 60),
    extra=st.integers(0, 60),
    name=st.sampled_from(["", "email", "description", "url", "id", "created_at", "currency"]),
    seed=st.integers(0, 2**32),
)
def test_string_lengths_are_honoured_whatever_the_name(
    low: int, extra: int, name: str, seed: int
) -> None:
    schema = {"type": "string", "minLength": low, "maxLength": low + extra}
    value = FAKER.generate(schema, Rng(seed), name=name)
    assert low <= len(value) <= low + extra


def test_counts_and_amounts_are_small_positive_integers() -> None:
    for seed in range(50):
        assert 0 <= FAKER.generate({"type": "integer"}, Rng(seed), name="total_count") <= 50
        assert 100 <= FAKER.generate({"type": "integer"}, Rng(seed), name="amount") <= 20_000


def test_price_with_cents_has_at_most_two_decimals() -> None:
    schema = {"type": "number", "multipleOf": 0.01}
    for seed in range(50):
        value = FAKER.generate(schema, Rng(seed), name="price")
        assert round(value, 2) == value
