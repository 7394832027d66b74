"""Micro-benchmark of `RequestValidator.parse`: µs per request, best of several runs.

    python -m tests.twins.request.bench_request

Not collected by pytest (no timing is asserted anywhere); prints one line per case.
"""

from __future__ import annotations

import timeit
from collections.abc import Callable

from tests.conftest import SHARED_SPECS
from tests.twins.request.factories import FORM, JSON, operation, parameter
from twins.request import RawRequest, RequestValidator
from twins.spec.model import Operation, Spec

DOCUMENT = {
    "components": {
        "schemas": {
            "Label": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Item": {
                "type": "object",
                "properties": {"price": {"type": "string"}, "quantity": {"type": "integer"}},
                "required": ["price"],
            },
        }
    }
}
ISSUE = {
    "type": "object",
    "required": ["title"],
    "properties": {
        "title": {"type": "string", "maxLength": 256},
        "body": {"type": "string"},
        "labels": {"type": "array", "items": {"$ref": "#/components/schemas/Label"}},
        "milestone": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
    },
}
PAYMENT = {
    "type": "object",
    "required": ["amount", "currency"],
    "properties": {
        "amount": {"type": "integer", "minimum": 1},
        "currency": {"type": "string", "pattern": "^[a-z]{3}$"},
        "confirm": {"type": "boolean"},
        "metadata": {
            "anyOf": [
                {"type": "object", "additionalProperties": {"type": "string"}},
                {"type": "string", "enum": [""]},
            ]
        },
        "payment_method_types": {"type": "array", "items": {"type": "string"}},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
    },
}


def _cases() -> list[tuple[str, Callable[[], object]]]:
    listing = operation(
        "GET",
        parameters=(
            parameter("owner", "path", {"type": "string"}),
            parameter("per_page", "query", {"type": "integer", "maximum": 100}),
            parameter("state", "query", {"type": "string", "enum": ["open", "closed"]}),
        ),
    )
    create_issue = operation(
        "POST", body={JSON: ISSUE}, parameters=(parameter("owner", "path", {"type": "string"}),)
    )
    create_payment = operation("POST", body={FORM: PAYMENT})
    requests = [
        (
            "GET, 1 path + 2 query params",
            listing,
            RawRequest("GET", {"owner": "octo"}, b"per_page=50&state=open", _HEADERS),
        ),
        (
            "POST JSON, 4 fields + 1 path param",
            create_issue,
            RawRequest(
                "POST",
                {"owner": "octo"},
                b"",
                _HEADERS,
                b'{"title": "Bug", "body": "It broke", "labels": [{"name": "bug"}],'
                b' "milestone": 3}',
                "application/json",
            ),
        ),
        (
            "POST form, Stripe-style 4 fields",
            create_payment,
            RawRequest(
                "POST",
                {},
                b"",
                _HEADERS,
                b"amount=2000&currency=usd&metadata[order_id]=6735&payment_method_types[]=card",
                "application/x-www-form-urlencoded",
            ),
        ),
        (
            "POST form, Stripe-style 9 fields with items[i][...]",
            create_payment,
            RawRequest(
                "POST",
                {},
                b"",
                _HEADERS,
                b"amount=2000&currency=usd&confirm=true&metadata[order_id]=6735"
                b"&metadata[customer]=c1&payment_method_types[]=card&items[0][price]=p_1"
                b"&items[0][quantity]=2&items[1][price]=p_2",
                "application/x-www-form-urlencoded",
            ),
        ),
    ]
    cases = [
        (name, _parser(RequestValidator.for_operation(op, DOCUMENT), raw))
        for name, op, raw in requests
    ]
    return cases + _stripe_cases()


def _stripe_cases() -> list[tuple[str, Callable[[], object]]]:
    path = SHARED_SPECS / "stripe" / "spec3.yaml"
    if not path.exists():
        return []
    from twins.spec.loader import load_spec

    spec = load_spec(path)
    create = next(op for op in spec.operations if op.label == "POST /v1/payment_intents")
    listing = next(op for op in spec.operations if op.label == "GET /v1/customers")
    form = RawRequest(
        "POST",
        {},
        b"",
        _HEADERS,
        b"amount=2000&currency=usd&metadata[order_id]=6735&payment_method_types[]=card",
        "application/x-www-form-urlencoded",
    )
    query = RawRequest("GET", {}, b"limit=10&created[gte]=1700000000&expand[]=data.sources")
    return [
        ("real Stripe POST /v1/payment_intents, 4 fields", _parser(_for(create, spec), form)),
        ("real Stripe GET /v1/customers, 3 query params", _parser(_for(listing, spec), query)),
    ]


def _for(op: Operation, spec: Spec) -> RequestValidator:
    return RequestValidator.for_operation(op, spec.document)


def _parser(validator: RequestValidator, raw: RawRequest) -> Callable[[], object]:
    validator.parse(raw)  # compile and check it passes before timing
    return lambda: validator.parse(raw)


_HEADERS = [
    (b"host", b"api.example.com"),
    (b"user-agent", b"bench/1.0"),
    (b"accept", b"application/json"),
    (b"authorization", b"Bearer sk_test_123"),
]


def main() -> None:
    for name, run in _cases():
        # The best of many short runs: the machine's other work only ever adds time.
        number = 500
        best = min(timeit.repeat(run, number=number, repeat=40)) / number
        print(f"{best * 1e6:8.1f} µs  {name}")


if __name__ == "__main__":
    main()
