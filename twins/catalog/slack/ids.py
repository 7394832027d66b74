"""Slack's identifiers: `C0A1B2C3D4E`-style IDs and `1700000000.000100` message timestamps.

A message's `ts` is its ID within its channel: seconds and microseconds on the session clock,
made unique by moving on one microsecond past the channel's latest when the clock has not.
"""

from __future__ import annotations

import re
import string
from decimal import Decimal, InvalidOperation

from twins.fake import Rng

ID_ALPHABET = string.ascii_uppercase + string.digits
ID_LENGTH = 10
MICROS = 1_000_000
_TS_TEXT = re.compile(r"^\d{1,12}(\.\d{1,6})?$")


def new_id(rng: Rng, prefix: str) -> str:
    """`C` + ten upper-case letters and digits, as Slack's IDs look."""
    return prefix + rng.token(ID_LENGTH, ID_ALPHABET)


def ts_text(micros: int) -> str:
    return f"{micros // MICROS}.{micros % MICROS:06d}"


def ts_micros(value: object) -> int | None:
    """A timestamp argument as microseconds: text ("1700000000.0001"), or a number where a
    spec types it so (Slack's published spec does, for some methods). None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        text = repr(value) if isinstance(value, float) else str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None
    if not _TS_TEXT.match(text) and not isinstance(value, float):
        return None
    try:
        exact = Decimal(text)
    except InvalidOperation:
        return None
    if not exact.is_finite() or not 0 <= exact < 10**12:
        return None
    return int((exact * MICROS).to_integral_value())


def normal_ts(value: object) -> str | None:
    """The canonical text of a timestamp argument (six decimals), or None."""
    micros = ts_micros(value)
    return None if micros is None else ts_text(micros)


def next_ts(now: float, latest: int) -> int:
    """The next message's ts in microseconds: now, or just after the channel's latest."""
    return max(int(now * MICROS), latest + 1)
