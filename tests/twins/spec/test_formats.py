"""Integer formats made into the bounds they imply, so that validators enforce them."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import orjson
import pytest

from twins.spec.formats import INTEGER_RANGES, bound_integer_format


def bounded(schema: dict[str, Any]) -> dict[str, Any]:
    bound_integer_format(schema)
    return schema


@pytest.mark.parametrize(
    ("fmt", "low", "high"),
    [
        ("int32", -(2**31), 2**31 - 1),
        ("int64", -(2**63), 2**63 - 1),
        ("uint32", 0, 2**32 - 1),
        ("uint64", 0, 2**64 - 1),
    ],
)
def test_a_sized_integer_format_becomes_its_range(fmt: str, low: int, high: int) -> None:
    schema = bounded({"type": "integer", "format": fmt})
    assert (schema["minimum"], schema["maximum"]) == (low, high)
    validator = jsonschema_rs.Draft202012Validator(schema)
    assert validator.is_valid(low) and validator.is_valid(high)
    assert not validator.is_valid(low - 1) and not validator.is_valid(high + 1)


def test_tighter_bounds_of_the_schema_are_kept() -> None:
    schema = bounded({"type": "integer", "format": "int32", "minimum": 1, "maximum": 100})
    assert (schema["minimum"], schema["maximum"]) == (1, 100)


def test_looser_bounds_of_the_schema_are_narrowed_to_the_format() -> None:
    schema = bounded({"type": "integer", "format": "int32", "minimum": -1e12, "maximum": 2**40})
    assert (schema["minimum"], schema["maximum"]) == (-(2**31), 2**31 - 1)


def test_tighter_exclusive_bounds_stand_in_for_inclusive_ones() -> None:
    schema = {"type": "integer", "format": "uint32", "exclusiveMinimum": 0}
    schema |= {"exclusiveMaximum": 2**32}
    assert bounded(dict(schema)) == schema


def test_a_looser_exclusive_bound_gets_the_formats_bound_beside_it() -> None:
    schema = bounded({"type": "integer", "format": "uint32", "exclusiveMinimum": -5})
    assert (schema["exclusiveMinimum"], schema["minimum"]) == (-5, 0)


def test_a_nullable_integer_is_bounded_and_still_takes_null() -> None:
    schema = bounded({"type": ["integer", "null"], "format": "int32"})
    assert schema["maximum"] == 2**31 - 1
    assert jsonschema_rs.Draft202012Validator(schema).is_valid(None)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "format": "int64"},  # Stripe-style ids: digits in a string
        {"type": "number", "format": "int32"},
        {"format": "int32"},
        {"type": "integer", "format": "int16"},
        {"type": "integer", "format": "date"},
        {"type": "integer"},
    ],
)
def test_other_schemas_are_left_as_they_are(schema: dict[str, Any]) -> None:
    assert bounded(dict(schema)) == schema


def test_applying_it_twice_changes_nothing() -> None:
    once = bounded({"type": "integer", "format": "int64"})
    assert bounded(dict(once)) == once


def test_every_range_survives_the_normalised_document_cache() -> None:
    # The loader caches normalised documents as orjson, which writes 64-bit integers at most.
    ranges = {fmt: list(bounds) for fmt, bounds in INTEGER_RANGES.items()}
    assert orjson.loads(orjson.dumps(ranges)) == ranges
