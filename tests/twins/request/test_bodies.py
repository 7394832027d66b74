from __future__ import annotations

import pytest

from twins.request.bodies import (
    BodyError,
    BodyKind,
    decode_form,
    decode_json,
    decode_multipart,
    decode_text,
    kind_of,
    match_media_type,
)

DECLARED = ("application/json", "text/*", "application/x-www-form-urlencoded")


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", "application/json"),
        ("Application/JSON; charset=utf-8", "application/json"),
        ("application/merge-patch+json", "application/json"),
        ("text/csv", "text/*"),
        ("application/x-www-form-urlencoded; charset=UTF-8", "application/x-www-form-urlencoded"),
        ("application/xml", None),
        ("", None),
    ],
)
def test_a_content_type_picks_its_declared_media_type(
    content_type: str, expected: str | None
) -> None:
    assert match_media_type(content_type, DECLARED) == expected


def test_a_wildcard_declaration_takes_any_content_type() -> None:
    assert match_media_type("image/png", ["*/*"]) == "*/*"


@pytest.mark.parametrize(
    ("media_type", "kind"),
    [
        ("application/json", BodyKind.JSON),
        ("application/vnd.github+json", BodyKind.JSON),
        ("application/x-www-form-urlencoded", BodyKind.FORM),
        ("multipart/form-data", BodyKind.MULTIPART),
        ("text/plain", BodyKind.OTHER),
        ("application/octet-stream", BodyKind.OTHER),
    ],
)
def test_each_media_type_has_a_kind(media_type: str, kind: BodyKind) -> None:
    assert kind_of(media_type) is kind


def test_invalid_json_is_a_json_error_with_its_position() -> None:
    with pytest.raises(BodyError) as raised:
        decode_json(b'{"a": [1, 2,, ]}', 64)
    assert raised.value.rule == "json"
    assert "line 1 column 13 (char 12)" in raised.value.message


def test_json_deeper_than_the_limit_is_a_depth_error() -> None:
    assert decode_json(b"[" * 5 + b"]" * 5, 5) == [[[[[]]]]]
    with pytest.raises(BodyError) as raised:
        decode_json(b"[" * 6 + b"]" * 6, 5)
    assert raised.value.rule == "body-depth"


def test_json_deeper_than_orjson_allows_is_a_depth_error_too() -> None:
    with pytest.raises(BodyError) as raised:
        decode_json(b"[" * 2000 + b"]" * 2000, 64)
    assert raised.value.rule == "body-depth"


def test_brackets_inside_json_strings_are_not_depth() -> None:
    assert decode_json(b'{"a": "' + b"[" * 100 + b'"}', 3) == {"a": "[" * 100}


def test_a_form_key_too_deep_is_a_depth_error_naming_the_key() -> None:
    with pytest.raises(BodyError) as raised:
        decode_form(b"a[b][c][d]=1", 3)
    assert (raised.value.rule, raised.value.field) == ("body-depth", "a[b][c][d]")


def test_text_is_decoded_by_its_charset() -> None:
    assert decode_text("café".encode("latin-1"), "text/plain; charset=ISO-8859-1") == "café"
    assert decode_text("café".encode(), "text/plain") == "café"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"\xff\xfe\xfa", "text/plain"), (b"x", "text/plain; charset=klingon")],
)
def test_undecodable_text_is_an_encoding_error(body: bytes, content_type: str) -> None:
    with pytest.raises(BodyError) as raised:
        decode_text(body, content_type)
    assert raised.value.rule == "encoding"


def test_a_broken_multipart_body_is_a_multipart_error() -> None:
    with pytest.raises(BodyError) as raised:
        decode_multipart(b"garbage", "multipart/form-data; boundary=XX", 64)
    assert raised.value.rule == "multipart"
