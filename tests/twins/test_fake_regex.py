"""string_for_pattern: drawn strings match real-world patterns, as jsonschema_rs judges them."""

from __future__ import annotations

import re

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twins.fake import Rng, string_for_pattern

# Patterns from Stripe, GitHub, Slack and PeerTube specs, and common hand-written ones.
REAL_PATTERNS = [
    "^cus_[a-zA-Z0-9]+$",
    "^[a-z0-9-]+$",
    r"\d{3}-\d{4}",
    "^/v1/tax/calculations/[^/]+/line_items",
    "^/v1/customers",
    r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$",
    "^sha256:[a-f0-9]{64}$",
    r"^[A-Za-z0-9.\-_]+$",
    "^[a-zA-Z0-9._-]+$",
    "^https://",
    "^ssh-(rsa|dss|ed25519) |^ecdsa-sha2-nistp(256|384|521) ",
    "^([0-9a-fA-F]{40}(?:[0-9a-fA-F]{24})?)$",
    "^refs/(heads|tags|pull)/.*$",
    "[a-z]+_token_[0-9]+",
    "prefix_[a-zA-Z0-9]{32}",
    r"^\d+\.\d+\.\d+$",
    "^[CGD][A-Z0-9]{8,}$",
    "^[UW][A-Z0-9]{8,}$|^$",
    r"^\d{10}\.\d{6}$",
    "^([a-fA-F0-9]{6})?$",
    "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
    r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$",
    r"^\+?[1-9]\d{1,14}$",
    "^#[0-9a-fA-F]{6}$",
    r"^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$",
    r"^(?<year>\d{4})-(?<month>0[1-9]|1[0-2])$",
    r"^(\w+)-\1$",
    r"^\p{L}[\p{L}\d]*$",
    r"^(?!-)[a-z0-9-]{1,63}(?<!-)$",
    "^[a-z]{2}(-[A-Z]{2})?$",
    r"^\S+$",
    r"^[^\d\s]{3,5}\b",
    "(?i)^abc[d-f]+$",
    "^a{2,4}?b*?$",
]


def _schema_accepts(pattern: str, text: str) -> bool:
    validator = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
    return bool(validator.is_valid(text))


@settings(max_examples=300, deadline=None)
@given(pattern=st.sampled_from(REAL_PATTERNS), seed=st.integers(0, 2**32))
def test_drawn_string_matches_a_real_world_pattern(pattern: str, seed: int) -> None:
    text = string_for_pattern(pattern, Rng(seed))
    assert text is not None
    assert _schema_accepts(pattern, text), (pattern, text)


@settings(max_examples=200, deadline=None)
@given(
    pattern=st.sampled_from(["^[a-z0-9-]+$", "^cus_[a-zA-Z0-9]+$", r"\d{3}", "^[A-Z]{2}.*$"]),
    seed=st.integers(0, 2**32),
    low=st.integers(0, 40),
    extra=st.integers(0, 30),
)
def test_drawn_string_honours_length_bounds_too(
    pattern: str, seed: int, low: int, extra: int
) -> None:
    low = max(low, 5)  # every pattern above has a match of length 5 and of every length beyond
    text = string_for_pattern(pattern, Rng(seed), min_length=low, max_length=low + extra)
    assert text is not None
    assert low <= len(text) <= low + extra
    assert _schema_accepts(pattern, text)


@pytest.mark.parametrize("pattern", ["a^b", "(", "^x{3}$"])
def test_impossible_or_unreadable_pattern_gives_none(pattern: str) -> None:
    max_length = 2 if pattern == "^x{3}$" else None
    assert string_for_pattern(pattern, Rng(1), max_length=max_length) is None


def test_unanchored_pattern_is_padded_to_reach_min_length() -> None:
    text = string_for_pattern(r"\d{3}-\d{4}", Rng(2), min_length=20)
    assert text is not None and len(text) >= 20
    assert re.search(r"\d{3}-\d{4}", text)


def test_same_seed_draws_the_same_string() -> None:
    assert string_for_pattern("^cus_[a-zA-Z0-9]{14}$", Rng(9)) == string_for_pattern(
        "^cus_[a-zA-Z0-9]{14}$", Rng(9)
    )
