"""Cursors: opaque, Slack-looking, and refused when they are not ours."""

from __future__ import annotations

import base64

import pytest

from twins.catalog.slack.errors import SlackError
from twins.catalog.slack.paging import decode_cursor, encode_cursor, page_size, window


def test_a_cursor_reads_back_its_position() -> None:
    assert decode_cursor(encode_cursor("user", 17), "user") == 17


def test_no_cursor_is_the_first_page() -> None:
    assert decode_cursor("", "user") is None


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%",
        base64.b64encode(b"channel:3").decode(),  # another list's cursor
        base64.b64encode(b"user:-1").decode(),
        "A" * 1000,
    ],
)
def test_a_cursor_that_is_not_ours_is_invalid_cursor(cursor: str) -> None:
    with pytest.raises(SlackError) as raised:
        decode_cursor(cursor, "user")
    assert raised.value.code == "invalid_cursor"


@pytest.mark.parametrize(
    ("asked", "given"), [(None, 100), (0, 100), (-5, 100), (7, 7), (5000, 1000)]
)
def test_a_page_size_falls_back_to_the_default_and_is_capped(asked: int | None, given: int) -> None:
    assert page_size(asked, 100, 1000) == given


def test_pages_cover_every_item_once_in_order() -> None:
    items = list(range(10, 17))
    seen: list[int] = []
    cursor = ""
    for _ in range(10):
        page, cursor = window(items, lambda item: item, cursor, "n", 3)
        seen += page
        if not cursor:
            break
    assert seen == items


def test_descending_pages_run_from_newest_to_oldest() -> None:
    items = [30, 20, 10]
    first, cursor = window(items, lambda item: item, "", "ts", 2, descending=True)
    rest, last = window(items, lambda item: item, cursor, "ts", 2, descending=True)
    assert (first, rest, last) == ([30, 20], [10], "")
