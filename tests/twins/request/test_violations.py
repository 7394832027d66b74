"""Violations name the field and the rule, in messages whose size the client cannot inflate."""

from __future__ import annotations

import pytest

from tests.twins.request.factories import FORM, JSON, operation, raw
from twins.errors import ValidationFailed
from twins.request import RequestValidator
from twins.request.form import FormError, nest
from twins.request.violations import MAX_MESSAGE, bounded

NAMED = {"type": "object", "properties": {"name": {"type": "string", "maxLength": 10}}}


def test_a_short_message_is_kept_whole() -> None:
    assert bounded("'x' is longer than 1 character") == "'x' is longer than 1 character"


def test_a_long_message_keeps_its_start_and_the_rule_at_its_end() -> None:
    message = '"' + "a" * 40_001 + '" is longer than 40000 characters'
    shortened = bounded(message)
    assert len(shortened) < MAX_MESSAGE
    assert shortened.startswith('"aaaa')
    assert shortened.endswith('" is longer than 40000 characters')
    assert "characters)..." in shortened


@pytest.mark.parametrize("media_type", [JSON, FORM])
def test_a_huge_value_breaking_its_schema_gets_a_bounded_message_naming_the_rule(
    media_type: str,
) -> None:
    value = "a" * 50_000
    body = f'{{"name": "{value}"}}' if media_type == JSON else f"name={value}"
    validator = RequestValidator.for_operation(operation(body={media_type: NAMED}), {})
    with pytest.raises(ValidationFailed) as raised:
        validator.parse(raw(body=body.encode(), content_type=media_type))
    [violation] = raised.value.violations
    assert (violation.field, violation.rule) == ("name", "maxLength")
    assert len(violation.message) <= MAX_MESSAGE
    assert violation.message.endswith("is longer than 10 characters")


def test_a_form_key_clash_on_a_huge_key_gets_a_bounded_message() -> None:
    key = "created[" + "k" * 10_000 + "]"
    with pytest.raises(FormError) as raised:
        nest([("created[]", "1"), (key, "2")])
    assert raised.value.key == "created"
    assert len(raised.value.message) <= MAX_MESSAGE
    assert raised.value.message.endswith("but created is a list")
