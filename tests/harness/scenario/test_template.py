from __future__ import annotations

from typing import Any

import pytest

from harness.scenario import TemplateError, render, render_text

CONTEXT: dict[str, Any] = {
    "vars": {"email": "ada@example.com", "quantity": 3, "paid": True},
    "twins": {"stripe": {"url": "http://127.0.0.1:8080/_s/t1/stripe"}},
    "port": 4100,
}


def test_a_whole_string_placeholder_keeps_the_values_type() -> None:
    assert render({"qty": "{vars.quantity}", "paid": "{vars.paid}"}, CONTEXT) == {
        "qty": 3,
        "paid": True,
    }


def test_placeholders_inside_text_are_written_as_text() -> None:
    assert render_text("{twins.stripe.url}/v1?port={port}&paid={vars.paid}", CONTEXT) == (
        "http://127.0.0.1:8080/_s/t1/stripe/v1?port=4100&paid=true"
    )


def test_lists_and_nested_mappings_are_rendered() -> None:
    assert render([{"to": ["{vars.email}"]}], CONTEXT) == [{"to": ["ada@example.com"]}]


def test_doubled_braces_and_json_looking_text_are_left_alone() -> None:
    assert render_text('{{vars.email}} {"a": 1}', CONTEXT) == '{vars.email} {"a": 1}'


def test_a_placeholder_naming_nothing_says_what_is_known() -> None:
    with pytest.raises(TemplateError, match=r"nothing named 'phone'.*'email'"):
        render("{vars.phone}", CONTEXT)
