"""Message timestamps: six decimals, read back whatever form a client or spec gives them."""

from __future__ import annotations

import pytest

from twins.catalog.slack.ids import new_id, next_ts, normal_ts, ts_text
from twins.fake import Rng


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("1700000000.000100", "1700000000.000100"),
        ("1700000000.0001", "1700000000.000100"),
        (1700000000.0001, "1700000000.000100"),  # Slack's published spec types some as numbers
        (1700000000, "1700000000.000000"),
        ("1700000000", "1700000000.000000"),
    ],
)
def test_a_timestamp_argument_has_one_canonical_text(given: object, canonical: str) -> None:
    assert normal_ts(given) == canonical


@pytest.mark.parametrize("given", ["", "soon", "-1.0", "1e400", None, True, "1.2.3"])
def test_what_is_no_timestamp_reads_as_none(given: object) -> None:
    assert normal_ts(given) is None


def test_the_next_ts_moves_past_the_latest_when_the_clock_has_not() -> None:
    assert ts_text(next_ts(1_700_000_000.0, 1_700_000_000_000_005)) == "1700000000.000006"
    assert ts_text(next_ts(1_700_000_001.0, 1_700_000_000_000_005)) == "1700000001.000000"


def test_ids_look_like_slacks() -> None:
    made = new_id(Rng(1), "C")
    assert made[0] == "C" and len(made) == 11 and made.isalnum() and made.upper() == made
