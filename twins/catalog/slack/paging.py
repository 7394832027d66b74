"""Slack's cursor pagination: `cursor` and `limit` in, `response_metadata.next_cursor` out
("" on the last page). Cursors are opaque base64 text, as Slack's are (`dXNlcjpVMDYx...` is
`user:U061...`); a cursor that is not one of ours is `invalid_cursor`."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import TypeVar

from twins.catalog.slack.errors import SlackError

T = TypeVar("T")
MAX_CURSOR = 256  # characters: ours are short; anything longer is not one of them


def encode_cursor(kind: str, position: int) -> str:
    return base64.b64encode(f"{kind}:{position}".encode()).decode()


def decode_cursor(cursor: str | None, kind: str) -> int | None:
    """The position a cursor of this kind names; None for no cursor (the first page)."""
    if not cursor:
        return None
    try:
        if len(cursor) > MAX_CURSOR:
            raise ValueError(cursor)
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        found, _, position = text.partition(":")
        if found != kind or not position.isdigit():
            raise ValueError(text)
        return int(position)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise SlackError("invalid_cursor") from None


def page_size(requested: int | None, default: int, maximum: int) -> int:
    """Slack reads 0 (or nothing) as its default and caps what is asked for."""
    if requested is None or requested <= 0:
        return default
    return min(requested, maximum)


def window(
    items: Sequence[T],
    position_of: Callable[[T], int],
    cursor: str | None,
    kind: str,
    limit: int,
    *,
    descending: bool = False,
) -> tuple[list[T], str]:
    """One page of `items` (ordered by `position_of`) from the cursor's position on, and the
    cursor of the next page ("" when there is none)."""
    start = decode_cursor(cursor, kind)
    if start is None:
        remaining = list(items)
    elif descending:
        remaining = [item for item in items if position_of(item) <= start]
    else:
        remaining = [item for item in items if position_of(item) >= start]
    page = remaining[:limit]
    if len(remaining) <= limit:
        return page, ""
    return page, encode_cursor(kind, position_of(remaining[limit]))
