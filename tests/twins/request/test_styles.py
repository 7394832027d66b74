from __future__ import annotations

from typing import Any

import pytest

from twins.request.form import FormError, parse_query
from twins.request.styles import MISSING, Shape, parse_cookies, query_reader, text_reader


@pytest.mark.parametrize(
    ("query", "style", "explode", "shape", "expected"),
    [
        (b"id=1&id=2", "form", True, "array", ["1", "2"]),
        (b"id[]=1&id[]=2", "form", True, "array", ["1", "2"]),
        (b"id=1,2,3", "form", False, "array", ["1", "2", "3"]),
        (b"id=1%202", "spaceDelimited", False, "array", ["1", "2"]),
        (b"id=1|2", "pipeDelimited", False, "array", ["1", "2"]),
        (b"id=1&id=2", "pipeDelimited", True, "array", ["1", "2"]),
        (b"id=R,1,G,2", "form", False, "object", {"R": "1", "G": "2"}),
        (b"R=1&G=2&other=3", "form", True, "object", {"R": "1", "G": "2"}),
        (b"id[status]=open&id[n]=2", "deepObject", True, "object", {"status": "open", "n": "2"}),
        (
            b"id[gte]=1&id[range][lt]=5",
            "deepObject",
            True,
            "object",
            {"gte": "1", "range": {"lt": "5"}},
        ),
        (b"id[]=a&id[]=b", "deepObject", True, "array", ["a", "b"]),
        (b"id=3", "form", True, "scalar", "3"),
        (b"other=1", "form", True, "scalar", MISSING),
        (b"other=1", "deepObject", True, "object", MISSING),
        (b"other=1", "form", True, "object", MISSING),
    ],
)
def test_a_query_parameter_is_read_by_its_style(
    query: bytes, style: str, explode: bool, shape: Shape, expected: Any
) -> None:
    read = query_reader("id", style, explode, shape, ("R", "G"))
    assert read(parse_query(query)) == expected


@pytest.mark.parametrize(
    ("query", "explode", "shape"),
    [
        (b"id=3&id=4", True, "scalar"),
        (b"id=3&id=", False, "scalar"),
        (b"id=R,1&id=G,2", False, "object"),
    ],
)
def test_a_single_valued_query_parameter_sent_twice_is_refused(
    query: bytes, explode: bool, shape: Shape
) -> None:
    read = query_reader("id", "form", explode, shape, ())
    with pytest.raises(FormError) as raised:
        read(parse_query(query))
    assert (raised.value.key, raised.value.rule) == ("id", "type")
    assert raised.value.message == "given 2 values, takes one"


@pytest.mark.parametrize(
    ("value", "style", "explode", "shape", "expected"),
    [
        ("5", "simple", False, "scalar", "5"),
        ("3,4,5", "simple", False, "array", ["3", "4", "5"]),
        ("", "simple", False, "array", []),
        ("R,1,G,2", "simple", False, "object", {"R": "1", "G": "2"}),
        ("R=1,G=2", "simple", True, "object", {"R": "1", "G": "2"}),
        (".5", "label", False, "scalar", "5"),
        (".3,4", "label", False, "array", ["3", "4"]),
        (".3.4", "label", True, "array", ["3", "4"]),
        (".R=1.G=2", "label", True, "object", {"R": "1", "G": "2"}),
        (";id=5", "matrix", False, "scalar", "5"),
        (";id=3,4", "matrix", False, "array", ["3", "4"]),
        (";id=3;id=4", "matrix", True, "array", ["3", "4"]),
        (";R=1;G=2", "matrix", True, "object", {"R": "1", "G": "2"}),
        (";id=R,1,G,2", "matrix", False, "object", {"R": "1", "G": "2"}),
    ],
)
def test_a_path_or_header_value_is_read_by_its_style(
    value: str, style: str, explode: bool, shape: Shape, expected: Any
) -> None:
    assert text_reader(style, explode, shape, "id")(value) == expected


def test_cookies_are_split_unquoted_and_percent_decoded() -> None:
    header = 'session=abc; theme="dark"; name=caf%C3%A9;broken; session=xyz'
    assert parse_cookies(header) == {"session": "xyz", "theme": "dark", "name": "café"}
