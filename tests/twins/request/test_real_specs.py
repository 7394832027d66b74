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
