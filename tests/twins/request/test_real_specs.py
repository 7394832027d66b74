"""The request layer against real vendor operations (skipped when ../shared/specs is absent)."""

from __future__ import annotations

import pytest

from tests.conftest import shared_spec
from tests.twins.request.factories import FORM, raw
from twins.errors import ValidationFailed
from twins.request import RequestValidator
from twins.spec.loader import load_spec
from twins.spec.model import Spec

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stripe() -> Spec:
    return load_spec(shared_spec("stripe/spec3.yaml"))


def validator(spec: Spec, label: str) -> RequestValidator:
    op = next(op for op in spec.operations if op.label == label)
    return RequestValidator.for_operation(op, spec.document)


def test_a_stripe_payment_intent_form_is_nested_and_typed(stripe: Spec) -> None:
    body = (
        b"amount=2000&currency=usd&confirm=true&metadata[order_id]=6735"
        b"&payment_method_types[0]=card&automatic_payment_methods[enabled]=false"
    )
    parsed = validator(stripe, "POST /v1/payment_intents").parse(raw(body=body, content_type=FORM))
    assert parsed.body == {
        "amount": 2000,
        "currency": "usd",
        "confirm": True,
        "metadata": {"order_id": "6735"},
        "payment_method_types": ["card"],
        "automatic_payment_methods": {"enabled": False},
    }


def test_a_stripe_payment_intent_without_amount_names_it(stripe: Spec) -> None:
    with pytest.raises(ValidationFailed) as raised:
        validator(stripe, "POST /v1/payment_intents").parse(
            raw(body=b"currency=usd", content_type=FORM)
        )
    assert [(v.field, v.rule) for v in raised.value.violations] == [("amount", "required")]


def test_stripe_list_parameters_are_read_as_deep_objects(stripe: Spec) -> None:
    parsed = validator(stripe, "GET /v1/customers").parse(
        raw(method="GET", query=b"limit=3&created[gte]=1700000000&expand[]=data.sources")
    )
    assert parsed.query == {
        "limit": 3,
        "created": {"gte": 1700000000},
        "expand": ["data.sources"],
    }


def test_a_stripe_boolean_is_true_or_false_never_0_or_1(stripe: Spec) -> None:
    products = validator(stripe, "GET /v1/products")
    assert products.parse(raw(method="GET", query=b"active=true")).query == {"active": True}
    with pytest.raises(ValidationFailed) as raised:
        products.parse(raw(method="GET", query=b"active=0"))
    assert [(v.field, v.rule) for v in raised.value.violations] == [("active", "type")]


def test_stripe_empty_brackets_on_a_range_name_the_range(stripe: Spec) -> None:
    with pytest.raises(ValidationFailed) as raised:
        validator(stripe, "GET /v1/customers").parse(
            raw(method="GET", query=b"created[gt]=1&created[]=132")
        )
    [violation] = raised.value.violations
    assert (violation.location, violation.field, violation.rule) == ("query", "created", "type")
    assert "created is an object" in violation.message


def test_an_int32_petstore_limit_past_2_31_is_refused() -> None:
    petstore = load_spec(shared_spec("petstore/v3.0-petstore-expanded.yaml"))
    pets = validator(petstore, "GET /pets")
    assert pets.parse(raw(method="GET", query=b"limit=2147483647")).query == {"limit": 2**31 - 1}
    with pytest.raises(ValidationFailed) as raised:
        pets.parse(raw(method="GET", query=b"limit=2147483648"))
    assert [(v.field, v.rule) for v in raised.value.violations] == [("limit", "maximum")]
