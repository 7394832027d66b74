"""Integers and numbers within a schema's bounds and `multipleOf`, in the usual range of a kind.

Bounds are worked out once per schema; the returned maker only draws. `multipleOf` is handled
with exact fractions (0.01 is 1/100, not 0.01000000000000000020816681711721685), so a drawn
multiple is a float that validators accept.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from twins.fake.names import DEFAULT_INT_RANGE, DEFAULT_NUMBER_RANGE, INT_RANGES, NUMBER_RANGES
from twins.fake.rng import Rng

Number = int | float
NumberMaker = Callable[[Rng], Number]

# What orjson can write, and what OpenAPI's integer formats allow.
_INT64 = (-(2**63), 2**63 - 1)
_EXACT_FRACTIONS = 2**20  # beyond this size, drawn fractional multiples may fail validation
_FORMAT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": _INT64, "uint32": (0, 2**32 - 1)}


def _fraction(value: Any) -> Fraction | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def _bound(schema: Mapping[str, Any], plain: str, exclusive: str) -> tuple[Fraction | None, bool]:
    """The tightest bound on one side, and whether it is exclusive (3.0 and 3.1 spellings)."""
    value = _fraction(schema.get(plain))
    flag = schema.get(exclusive)
    if flag is True:  # OpenAPI 3.0: a boolean that makes `minimum` / `maximum` exclusive
        return value, value is not None
    other = _fraction(flag)
    if other is None:
        return value, False
    if value is None:
        return other, True
    tighter = other >= value if plain == "minimum" else other <= value
    return (other, True) if tighter else (value, False)


def _int_bounds(schema: Mapping[str, Any]) -> tuple[int, int]:
    low, low_open = _bound(schema, "minimum", "exclusiveMinimum")
    high, high_open = _bound(schema, "maximum", "exclusiveMaximum")
    floor_, ceil_ = _FORMAT_RANGES.get(str(schema.get("format")), _INT64)
    if low is not None:
        floor_ = max(floor_, math.floor(low) + 1 if low_open else math.ceil(low))
    if high is not None:
        ceil_ = min(ceil_, math.ceil(high) - 1 if high_open else math.floor(high))
    return floor_, ceil_


def _usual(low: int, high: int, usual: tuple[int, int]) -> tuple[int, int]:
    """The usual range narrowed to the allowed one, or the allowed one's near end."""
    start, stop = max(low, usual[0]), min(high, usual[1])
    if start <= stop:
        return start, stop
    span = usual[1] - usual[0]
    if usual[0] > high:
        return max(low, high - span), high
    return low, min(high, low + span)


def _has_integer(schema: Mapping[str, Any]) -> bool:
    low, high = _int_bounds(schema)
    return low <= high


def integer_maker(schema: Mapping[str, Any], kind: str | None) -> NumberMaker:
    """Draws integers valid for `schema`, in the range usual for `kind` where the schema allows."""
    low, high = _int_bounds(schema)
    usual = INT_RANGES.get(kind or "", DEFAULT_INT_RANGE)
    step_fraction = _fraction(schema.get("multipleOf"))
    step = step_fraction.numerator if step_fraction and step_fraction > 0 else 1
    # Multiples of step inside the bounds, as k in k * step.
    lowest, highest = -(-low // step), high // step
    start, stop = _usual(lowest, highest, (-(-usual[0] // step), usual[1] // step))
    if start > stop:
        return lambda rng: low
    return lambda rng: rng.randint(start, stop) * step


def _fraction_bounds(
    schema: Mapping[str, Any],
) -> tuple[Fraction | None, bool, Fraction | None, bool]:
    low, low_open = _bound(schema, "minimum", "exclusiveMinimum")
    high, high_open = _bound(schema, "maximum", "exclusiveMaximum")
    return low, low_open, high, high_open


def _multiple_maker(
    schema: Mapping[str, Any], step: Fraction, usual: tuple[float, float]
) -> NumberMaker:
    low, low_open, high, high_open = _fraction_bounds(schema)
    lowest = math.ceil(low / step) if low is not None else None
    if lowest is not None and low_open and lowest * step == low:
        lowest += 1
    highest = math.floor(high / step) if high is not None else None
    if highest is not None and high_open and highest * step == high:
        highest -= 1
    usual_k = (
        math.ceil(Fraction(str(usual[0])) / step),
        math.floor(Fraction(str(usual[1])) / step),
    )
    start, stop = _usual(
        lowest if lowest is not None else -(2**62),
        highest if highest is not None else 2**62,
        usual_k if usual_k[0] <= usual_k[1] else (0, 10),
    )
    if start > stop:
        start = stop = lowest if lowest is not None else 0
    if step.denominator == 1:
        whole = int(step)
        return lambda rng: rng.randint(start, stop) * whole
    numerator, denominator = step.numerator, step.denominator
    whole_start, whole_stop = -(-start // denominator), stop // denominator
    if max(abs(start), abs(stop)) * step > _EXACT_FRACTIONS and whole_start <= whole_stop:
        # Far from zero a float's last digits are noise and validators reject fractional
        # multiples they cannot divide exactly; whole multiples always divide.
        return lambda rng: float(rng.randint(whole_start, whole_stop) * numerator)
    # Integer true division rounds correctly: the same float as float(k * step), but cheaper.
    return lambda rng: rng.randint(start, stop) * numerator / denominator


def _float_bounds(schema: Mapping[str, Any]) -> Callable[[float], bool]:
    """A test of the bounds in floats, as validators compare them."""
    low, low_open, high, high_open = _fraction_bounds(schema)
    lo = float(low) if low is not None else -math.inf
    hi = float(high) if high is not None else math.inf

    def within(value: float) -> bool:
        above = value > lo if low_open else value >= lo
        return above and (value < hi if high_open else value <= hi)

    return within


def number_maker(schema: Mapping[str, Any], kind: str | None) -> NumberMaker:
    """Draws numbers valid for `schema`: two decimals where possible, integers for counts."""
    usual = NUMBER_RANGES.get(kind or "")
    step = _fraction(schema.get("multipleOf"))
    if step is not None and step > 0:
        return _multiple_maker(schema, step, usual or DEFAULT_NUMBER_RANGE)
    if usual is None and kind in INT_RANGES and _has_integer(schema):
        return integer_maker(schema, kind)
    low, _, high, _ = _fraction_bounds(schema)
    start, stop = usual or DEFAULT_NUMBER_RANGE
    span = stop - start
    lo = float(low) if low is not None else None
    hi = float(high) if high is not None else None
    # Where the usual range only touches the allowed one, draw from the allowed one instead.
    if lo is not None and hi is not None:
        start, stop = max(lo, start), min(hi, stop)
        if start >= stop:
            start, stop = lo, hi
    elif lo is not None:
        start, stop = (max(lo, start), stop) if lo < stop else (lo, lo + span)
    elif hi is not None:
        start, stop = (start, min(hi, stop)) if hi > start else (hi - span, hi)
    within = _float_bounds(schema)
    return lambda rng: _draw_number(rng, start, stop, within)


def _draw_number(rng: Rng, start: float, stop: float, within: Callable[[float], bool]) -> Number:
    raw = rng.uniform(start, stop)
    for candidate in (round(raw, 2), raw, (start + stop) / 2, start, stop):
        if within(candidate):
            return candidate
    return raw
