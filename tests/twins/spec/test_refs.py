"""JSON pointers and local `$ref`s."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twins.errors import SpecError
from twins.spec import refs

DOCUMENT = {
    "paths": {"/pets/{id}": {"get": {"ok": True}}},
    "components": {"schemas": {"Pet": {"type": "object"}, "a/b~c": {"type": "string"}}},
    "list": [10, 20],
    "alias": {"$ref": "#/components/schemas/Pet"},
    "loop": {"$ref": "#/loop"},
}


@given(st.lists(st.text()))
def test_encoding_then_decoding_a_pointer_gives_the_tokens_back(tokens: list[str]) -> None:
    assert refs.decode(refs.encode(tokens)) == tokens


@given(st.lists(st.text()))
def test_a_ref_made_from_a_pointer_reads_back_as_that_pointer(tokens: list[str]) -> None:
    pointer = refs.encode(tokens)
    assert refs.ref_pointer(refs.to_ref(pointer)) == pointer


@pytest.mark.parametrize(
    ("tokens", "pointer"),
    [
        ([], ""),
        (["paths", "/pets/{id}", "get"], "/paths/~1pets~1{id}/get"),
        (["a~b"], "/a~0b"),
        ([""], "/"),
    ],
)
def test_tokens_encode_to_the_rfc_6901_pointer(tokens: list[str], pointer: str) -> None:
    assert refs.encode(tokens) == pointer


def test_a_pointer_without_a_leading_slash_is_refused() -> None:
    with pytest.raises(ValueError, match="starts with '/'"):
        refs.decode("paths")


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("/paths/~1pets~1{id}/get/ok", True),
        ("/components/schemas/a~1b~0c", {"type": "string"}),
        ("/list/1", 20),
        ("", DOCUMENT),
    ],
)
def test_resolve_finds_the_value_a_pointer_names(pointer: str, expected: object) -> None:
    assert refs.resolve(DOCUMENT, pointer) == expected


@pytest.mark.parametrize("pointer", ["/nope", "/list/2", "/list/x", "/paths/~1pets~1{id}/get/ok/x"])
def test_resolve_raises_lookup_error_for_a_missing_location(pointer: str) -> None:
    with pytest.raises(LookupError):
        refs.resolve(DOCUMENT, pointer)


def test_a_ref_fragment_is_percent_decoded() -> None:
    assert refs.resolve_ref(DOCUMENT, "#/paths/~1pets~1%7Bid%7D/get/ok", at="/x") is True


def test_a_dangling_ref_names_the_pointer_where_the_ref_is() -> None:
    with pytest.raises(SpecError) as raised:
        refs.resolve_ref(DOCUMENT, "#/components/schemas/Nope", at="/paths/~1a/get")
    assert raised.value.pointer == "/paths/~1a/get"
    assert "#/components/schemas/Nope" in raised.value.message


def test_a_non_local_ref_is_refused_by_resolve_ref() -> None:
    with pytest.raises(SpecError, match="not local"):
        refs.resolve_ref(DOCUMENT, "other.yaml#/Pet", at="/x")


def test_deref_follows_a_chain_and_returns_the_final_pointer() -> None:
    value, pointer = refs.deref(DOCUMENT, {"$ref": "#/alias"}, at="/start")
    assert value == {"type": "object"}
    assert pointer == "/components/schemas/Pet"


def test_deref_stops_on_a_circular_chain() -> None:
    with pytest.raises(SpecError, match="circular"):
        refs.deref(DOCUMENT, {"$ref": "#/loop"}, at="/start")
