"""`check_security`: the credentials an operation asks for are there, whatever their value."""

from __future__ import annotations

import pytest

from twins.auth import check_security
from twins.errors import Unauthorized
from twins.spec.model import Operation, SecurityScheme

SCHEMES = {
    "key": SecurityScheme("key", "apiKey", location="query", parameter_name="api_key"),
    "token": SecurityScheme("token", "http", scheme="bearer"),
}


def operation(*alternatives: dict[str, tuple[str, ...]]) -> Operation:
    return Operation("GET", "/x", None, "", (), None, {}, alternatives, "/paths/~1x/get")


def test_an_operation_without_security_needs_nothing() -> None:
    check_security(operation(), SCHEMES, {}, {}, {})


def test_one_met_alternative_is_enough() -> None:
    op = operation({"key": ()}, {"token": ()})
    check_security(op, SCHEMES, {"authorization": "Bearer t"}, {}, {})
    check_security(op, SCHEMES, {}, {"api_key": "k"}, {})


def test_every_scheme_of_an_alternative_must_be_there() -> None:
    op = operation({"key": (), "token": ()})
    with pytest.raises(Unauthorized, match="missing credentials: .*'api_key' \\+ an Authoriz"):
        check_security(op, SCHEMES, {"authorization": "Bearer t"}, {}, {})


def test_a_scheme_the_spec_does_not_declare_is_not_asked_for() -> None:
    check_security(operation({"ghost": ()}), SCHEMES, {}, {}, {})
