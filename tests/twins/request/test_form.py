from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twins.errors import ValidationFailed
from twins.request.form import FormError, nest, parse_form, parse_pairs, parse_query, split_key


def test_pairs_are_percent_and_plus_decoded() -> None:
    assert parse_pairs(b"q=caf%C3%A9+au+lait&a%5Bb%5D=1&flag") == [
        ("q", "café au lait"),
        ("a[b]", "1"),
        ("flag", ""),
    ]


def test_query_keeps_every_value_of_a_repeated_key() -> None:
    assert parse_query(b"a=1&b=2&a=3&&") == {"a": ["1", "3"], "b": ["2"]}


def test_invalid_utf8_is_replaced_not_raised() -> None:
    assert parse_query(b"a=%FF") == {"a": ["\ufffd"]}


def test_bracketed_keys_nest_into_dicts() -> None:
    assert parse_form(b"metadata[key]=v&metadata[other]=w") == {
        "metadata": {"key": "v", "other": "w"}
    }


def test_indexed_keys_become_a_list_of_dicts() -> None:
    body = b"items[0][price]=p&items[1][price]=q&items[0][quantity]=2"
    assert parse_form(body) == {"items": [{"price": "p", "quantity": "2"}, {"price": "q"}]}


def test_indices_sent_out_of_order_still_make_an_ordered_list() -> None:
    assert parse_form(b"a[1]=y&a[0]=x") == {"a": ["x", "y"]}


def test_empty_brackets_append_to_a_list() -> None:
    assert parse_form(b"expand[]=a&expand[]=b") == {"expand": ["a", "b"]}


def test_empty_brackets_before_a_key_start_a_new_element_when_the_key_repeats() -> None:
    body = b"items[][price]=p&items[][quantity]=1&items[][price]=q"
    assert parse_form(body) == {"items": [{"price": "p", "quantity": "1"}, {"price": "q"}]}


def test_nested_indices_make_a_list_of_lists() -> None:
    assert parse_form(b"a[0][0]=x&a[0][1]=y&a[1][0]=z") == {"a": [["x", "y"], ["z"]]}


def test_a_repeated_plain_key_becomes_a_list() -> None:
    assert parse_form(b"tag=a&tag=b&tag=c") == {"tag": ["a", "b", "c"]}


def test_an_empty_value_is_kept_as_an_empty_string() -> None:
    assert parse_form(b"metadata=") == {"metadata": ""}


def test_sparse_indices_stay_a_dict_so_no_gap_is_filled() -> None:
    assert parse_form(b"items[5]=x&items[999999999]=y") == {"items": {"5": "x", "999999999": "y"}}


@pytest.mark.parametrize("key", ["a[b", "[a]", "a[b]c[d]", "a]", "a[b[c]]"])
def test_malformed_brackets_make_a_plain_key(key: str) -> None:
    assert split_key(key) is None
    assert parse_form(quote(key).encode() + b"=1") == {key: "1"}


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (b"a=1&a[b]=2", "a", "'a[b]' sets a key of a, but a is a single value"),
        (b"a[b]=1&a=2", "a", "'a' sends one value, but a is an object"),
        (b"a[]=1&a[b]=2", "a", "'a[b]' sets a key of a, but a is a list"),
        (b"a[b]=1&a[b][c]=2", "a.b", "'a[b][c]' sets a key of a.b, but a.b is a single value"),
        (b"a[b][c]=1&a[b][]=2", "a.b", "'a[b][]' appends to a list, but a.b is an object"),
    ],
)
def test_a_field_sent_in_two_shapes_is_a_type_violation_naming_it(
    body: bytes, field: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_form(body)
    [violation] = raised.value.violations
    assert (violation.location, violation.field, violation.rule) == ("body", field, "type")
    assert violation.message == message


def test_empty_brackets_on_an_object_say_it_is_an_object_not_a_list() -> None:
    # What schemathesis sent Stripe's `GET /v1/customers`; Stripe refuses it too.
    with pytest.raises(FormError) as raised:
        nest([("created[gt]", "1"), ("created[]", "132")])
    assert (raised.value.key, raised.value.rule) == ("created", "type")
    assert raised.value.message == "'created[]' appends to a list, but created is an object"


def test_a_key_nested_deeper_than_the_limit_is_a_depth_violation() -> None:
    key = "a" + "[b]" * 10
    with pytest.raises(FormError) as raised:
        nest([(key, "1")], max_depth=5)
    assert (raised.value.key, raised.value.rule) == (key, "body-depth")
    assert nest([(key, "1")], max_depth=11)["a"]["b"]["b"]


_KEYS = st.text(min_size=1, max_size=8).filter(
    lambda key: "[" not in key and "]" not in key and not key.isdigit()
)
_VALUES = st.recursive(
    st.text(max_size=8),
    lambda children: (
        st.lists(children, min_size=1, max_size=4)
        | st.dictionaries(_KEYS, children, min_size=1, max_size=4)
    ),
    max_leaves=20,
)


def _encode(prefix: str, value: Any) -> list[str]:
    if isinstance(value, dict):
        return [part for key, item in value.items() for part in _encode(f"{prefix}[{key}]", item)]
    if isinstance(value, list):
        return [part for i, item in enumerate(value) for part in _encode(f"{prefix}[{i}]", item)]
    return [f"{quote(prefix, safe='[]')}={quote(value, safe='')}"]


@given(st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=5))
def test_any_nested_structure_survives_bracket_encoding(structure: dict[str, Any]) -> None:
    parts = [part for key, value in structure.items() for part in _encode(key, value)]
    assert parse_form("&".join(parts).encode()) == structure
