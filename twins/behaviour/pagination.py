"""Lists the way the spec shapes them: bare arrays or envelopes, paged by the spec's own
parameters (limit/offset, page/per_page, cursors, Stripe's `starting_after`), with Link headers
where the spec declares them.

The position in a list is a record's insertion sequence number, so cursors stay valid while
records are added or deleted around them.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from twins.spec.model import Operation, Schema

LIMIT_NAMES = (
    "limit",
    "per_page",
    "perPage",
    "page_size",
    "pageSize",
    "size",
    "count",
    "max_results",
    "maxResults",
    "maxresults",
    "top",
    "$top",
    "first",
    "take",
    "num_results",
)
OFFSET_NAMES = ("offset", "skip", "start", "$skip", "from")
PAGE_NAMES = ("page", "page_number", "pageNumber", "pageNum")
CURSOR_NAMES = (
    "cursor",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "after",
    "continuation_token",
    "continuationToken",
    "marker",
    "next_cursor",
    "since",
)
AFTER_ID_NAMES = ("starting_after",)
BEFORE_ID_NAMES = ("ending_before",)
PAGING_PARAMETERS = frozenset(
    LIMIT_NAMES
    + OFFSET_NAMES
    + PAGE_NAMES
    + CURSOR_NAMES
    + AFTER_ID_NAMES
    + BEFORE_ID_NAMES
    + (
        "before",
        "sort",
        "order",
        "direction",
        "order_by",
        "orderBy",
        "sort_by",
        "expand",
        "fields",
        "include",
        "q",
        "search",
    )
)
DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class Paging:
    """Which query parameters of a list operation page it, and how."""

    limit: str | None
    limit_default: int
    limit_maximum: int | None
    offset: str | None
    page: str | None
    page_base: int
    cursor: str | None
    after_id: str | None
    before_id: str | None


def paging_for(operation: Operation) -> Paging:
    query = {p.name: p for p in operation.parameters if p.location == "query"}

    def first(names: tuple[str, ...]) -> str | None:
        return next((name for name in names if name in query), None)

    limit = first(LIMIT_NAMES)
    default, maximum = DEFAULT_LIMIT, None
    if limit is not None:
        schema = query[limit].schema
        if isinstance(schema.get("default"), int) and schema["default"] > 0:
            default = schema["default"]
        if isinstance(schema.get("maximum"), int | float):
            maximum = int(schema["maximum"])
            default = min(default, maximum)
    page = first(PAGE_NAMES)
    page_base = 1
    if page is not None:
        minimum = query[page].schema.get("minimum")
        page_base = 0 if minimum == 0 and query[page].schema.get("default") == 0 else 1
    return Paging(
        limit,
        default,
        maximum,
        first(OFFSET_NAMES),
        page,
        page_base,
        first(CURSOR_NAMES),
        first(AFTER_ID_NAMES),
        first(BEFORE_ID_NAMES),
    )


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    if text.startswith("seq:") and text[4:].isdigit():
        return int(text[4:])
    return None


@dataclass
class Page:
    records: list[tuple[int, dict[str, Any]]]
    has_more: bool
    total: int
    limit: int
    offset: int
    next_query: dict[str, str] | None  # the query changes that fetch the next page
    prev_query: dict[str, str] | None
    last_query: dict[str, str] | None
    next_cursor: str | None


def _as_int(value: Any, fallback: int) -> int:
    if isinstance(value, bool):
        return fallback
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return fallback


@dataclass(frozen=True)
class Window:
    """Which rows a list request asks for, before the store is asked."""

    limit: int
    offset: int = 0  # rows to skip after `after_seq`
    after_id: Any = None  # Stripe's starting_after: the key of the last row seen
    before_id: Any = None  # Stripe's ending_before
    after_seq: int | None = None  # an opaque cursor, decoded


# No list holds more rows than this: larger offsets and limits are clamped before they reach
# the store (SQLite integers are 64-bit; a client may send any number of digits).
MAX_ROWS = 1 << 31


def window_for(query: dict[str, Any], paging: Paging) -> Window:
    limit = paging.limit_default
    if paging.limit is not None:
        limit = _as_int(query.get(paging.limit), paging.limit_default)
    if paging.limit_maximum is not None:
        limit = min(limit, paging.limit_maximum)
    limit = min(max(limit, 1), MAX_ROWS)
    if paging.after_id and query.get(paging.after_id) not in (None, ""):
        return Window(limit, after_id=query[paging.after_id])
    if paging.before_id and query.get(paging.before_id) not in (None, ""):
        return Window(limit, before_id=query[paging.before_id])
    if paging.cursor and query.get(paging.cursor) not in (None, ""):
        seq = decode_cursor(str(query[paging.cursor]))
        return Window(limit, after_seq=min(seq, 2**62) if seq is not None else 2**62)
    if paging.page and query.get(paging.page) is not None:
        page_number = max(_as_int(query[paging.page], paging.page_base), paging.page_base)
        return Window(limit, offset=min((page_number - paging.page_base) * limit, MAX_ROWS))
    if paging.offset and query.get(paging.offset) is not None:
        return Window(limit, offset=min(max(_as_int(query[paging.offset], 0), 0), MAX_ROWS))
    return Window(limit)


def page_of(
    rows: list[tuple[int, dict[str, Any]]],
    window: Window,
    paging: Paging,
    key_field: str,
    total: int | None,
    more_after: bool,
) -> Page:
    """A page from the rows fetched for a window (`more_after`: rows exist past them)."""
    start = window.offset
    chunk = rows[: window.limit]
    limit = window.limit
    known_total = total if total is not None else start + len(chunk) + (1 if more_after else 0)
    return Page(
        records=chunk,
        has_more=more_after,
        total=known_total,
        limit=limit,
        offset=start,
        next_query=_next_query(paging, chunk, start, limit, key_field) if more_after else None,
        prev_query=_prev_query(paging, start, limit) if start > 0 else None,
        last_query=_last_query(paging, known_total, limit),
        next_cursor=encode_cursor(chunk[-1][0]) if more_after and chunk else None,
    )


def _next_query(
    paging: Paging, chunk: list[tuple[int, dict[str, Any]]], start: int, limit: int, key: str
) -> dict[str, str]:
    if paging.after_id and chunk:
        return {paging.after_id: str(chunk[-1][1].get(key))}
    if paging.cursor and chunk:
        return {paging.cursor: encode_cursor(chunk[-1][0])}
    if paging.page:
        return {paging.page: str(start // limit + paging.page_base + 1)}
    if paging.offset:
        return {paging.offset: str(start + limit)}
    return {}


def _prev_query(paging: Paging, start: int, limit: int) -> dict[str, str] | None:
    if paging.page:
        return {paging.page: str(max(start // limit - 1, 0) + paging.page_base)}
    if paging.offset:
        return {paging.offset: str(max(start - limit, 0))}
    return None


def _last_query(paging: Paging, total: int, limit: int) -> dict[str, str] | None:
    last_start = max((total - 1) // limit * limit, 0) if total else 0
    if paging.page:
        return {paging.page: str(last_start // limit + paging.page_base)}
    if paging.offset:
        return {paging.offset: str(last_start)}
    return None


def filters_for(
    query: dict[str, Any], operation: Operation, record_properties: dict[str, Schema]
) -> dict[str, Any]:
    """Query parameters that name a field of the record filter the list (`?status=open`)."""
    filters: dict[str, Any] = {}
    declared = {p.name for p in operation.parameters if p.location == "query"}
    for name, value in query.items():
        if name in PAGING_PARAMETERS or name not in declared or name not in record_properties:
            continue
        if isinstance(value, str | int | float | bool):
            filters[name] = value
    return filters
