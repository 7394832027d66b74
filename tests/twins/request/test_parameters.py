"""`ParameterReader`: what a query string may and may not say about an operation's parameters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.twins.request.factories import operation, parameter, raw
from twins.errors import Violation
from twins.request.form import parse_query
from twins.request.parameters import ParameterReader, Parameters
from twins.request.schemas import DocumentSchemas

DOCUMENT: dict[str, Any] = {}
SCHEMAS = DocumentSchemas.for_document(DOCUMENT)
RANGE = {"type": "object", "properties": {"gt": {"type": "integer"}, "lt": {"type": "integer"}}}
QUERY = (
    parameter("maxResults", "query", {"type": "integer"}),
    parameter("active", "query", {"type": "boolean"}),
    parameter("ids", "query", {"type": "array", "items": {"type": "integer"}}),
    parameter("created", "query", {"anyOf": [RANGE, {"type": "integer"}]}, style="deepObject"),
)


def read(query: bytes) -> tuple[Parameters, list[Violation]]:
    reader = ParameterReader(operation("GET", parameters=QUERY).parameters, SCHEMAS)
    violations: list[Violation] = []
    return reader.read(raw(query=query), parse_query(query), violations), violations


def test_a_scalar_parameter_sent_twice_is_refused_naming_it() -> None:
    _, violations = read(b"maxResults=5&maxResults=6")
    assert violations == [Violation("query", "maxResults", "type", "given 2 values, takes one")]


def test_an_array_parameter_takes_every_value_sent() -> None:
    found, violations = read(b"ids=1&ids=2&maxResults=5")
    assert found.query == {"ids": [1, 2], "maxResults": 5}
    assert violations == []


@pytest.mark.parametrize(("text", "value"), [("true", True), ("False", False), ("TRUE", True)])
def test_a_boolean_is_read_from_true_or_false_in_any_case(text: str, value: bool) -> None:
    found, violations = read(b"active=" + text.encode())
    assert (found.query, violations) == ({"active": value}, [])


@pytest.mark.parametrize("text", ["0", "1", "yes", "on", ""])
def test_a_boolean_in_any_other_word_is_a_type_violation(text: str) -> None:
    _, violations = read(b"active=" + text.encode())
    assert [(v.field, v.rule) for v in violations] == [("active", "type")]


def test_a_deep_object_with_empty_brackets_says_it_is_an_object_not_a_list() -> None:
    _, violations = read(b"created[gt]=1&created[]=132")
    message = "'created[]' appends to a list, but created is an object"
    assert violations == [Violation("query", "created", "type", message)]


def test_a_deep_object_is_read_and_typed() -> None:
    found, violations = read(b"created[gt]=1&created[lt]=9")
    assert (found.query, violations) == ({"created": {"gt": 1, "lt": 9}}, [])
