from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.twins.request.factories import FORM, JSON, MULTIPART, TEXT, operation, parameter, raw
from twins.errors import ValidationFailed, Violation
from twins.request import Limits, ParsedRequest, RawRequest, RequestValidator, UploadedFile
from twins.spec.model import Operation

DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["price"],
                "properties": {
                    "price": {"type": "integer", "minimum": 0},
                    "quantity": {"type": "integer"},
                },
            }
        }
    }
}
ORDER = {
    "type": "object",
    "required": ["items"],
    "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
        "metadata": {
            "anyOf": [
                {"type": "object", "additionalProperties": {"type": "string"}},
                {"type": "string", "enum": [""]},
            ]
        },
        "expand": {"type": "array", "items": {"type": "string"}},
        "livemode": {"type": "boolean"},
        "blocks": {"type": "string"},
    },
}
PARAMETERS = (
    parameter("order", "path", {"type": "integer"}),
    parameter("limit", "query", {"type": "integer", "maximum": 100}),
    parameter("ids", "query", {"type": "array", "items": {"type": "integer"}}, explode=False),
    parameter("created", "query", {"type": "object"}, style="deepObject", explode=True),
    parameter("X-Retry-Count", "header", {"type": "integer"}),
    parameter("session", "cookie", {"type": "string"}),
)


def parse(op: Operation, request: RawRequest, limits: Limits | None = None) -> ParsedRequest:
    if limits is None:
        return RequestValidator.for_operation(op, DOCUMENT).parse(request)
    return RequestValidator.for_operation(op, DOCUMENT, limits).parse(request)


def failure(op: Operation, request: RawRequest, limits: Limits | None = None) -> list[Violation]:
    with pytest.raises(ValidationFailed) as raised:
        parse(op, request, limits)
    return raised.value.violations


def rules(violations: list[Violation]) -> list[tuple[str, str, str]]:
    return [(v.location, v.field, v.rule) for v in violations]


def test_parameters_of_every_location_are_read_and_typed() -> None:
    parsed = parse(
        operation("GET", parameters=PARAMETERS),
        raw(
            path={"order": "42"},
            query=b"limit=10&ids=1,2&created[gte]=1700000000&unknown=x",
            headers=[(b"x-retry-count", b"3"), (b"cookie", b"session=abc; other=1")],
        ),
    )
    assert parsed.path == {"order": 42}
    assert parsed.query == {"limit": 10, "ids": [1, 2], "created": {"gte": "1700000000"}}
    assert parsed.headers == {"X-Retry-Count": 3}
    assert parsed.cookies == {"session": "abc"}
    assert parsed.body is None and parsed.media_type is None


def test_unknown_query_parameters_are_allowed_and_kept_in_the_raw_query() -> None:
    parsed = parse(
        operation("GET", parameters=PARAMETERS), raw(path={"order": "1"}, query=b"x=1&x=2")
    )
    assert parsed.query == {}
    assert parsed.raw_query == {"x": ["1", "2"]}


def test_a_missing_required_parameter_is_named_with_the_rule_required() -> None:
    op = operation("GET", parameters=(parameter("q", "query", {"type": "string"}, required=True),))
    assert rules(failure(op, raw())) == [("query", "q", "required")]


def test_a_parameter_breaking_its_schema_names_the_parameter_and_keyword() -> None:
    op = operation("GET", parameters=PARAMETERS)
    [violation] = failure(op, raw(path={"order": "1"}, query=b"limit=1000"))
    assert rules([violation]) == [("query", "limit", "maximum")]
    assert "1000" in violation.message


def test_a_parameter_that_is_not_a_number_is_a_type_violation() -> None:
    op = operation("GET", parameters=PARAMETERS)
    assert rules(failure(op, raw(path={"order": "abc"}))) == [("path", "order", "type")]


def test_header_parameters_are_matched_whatever_their_case() -> None:
    op = operation("GET", parameters=(parameter("X-Request-Id", "header", {"type": "string"}),))
    parsed = parse(op, raw(headers=[(b"x-request-id", b"r1"), (b"x-request-id", b"r2")]))
    assert parsed.headers == {"X-Request-Id": "r1, r2"}


def test_accept_content_type_and_authorization_parameters_are_ignored() -> None:
    required = {"type": "string", "enum": ["never"]}
    op = operation(
        "GET",
        parameters=tuple(
            parameter(name, "header", required, required=True)
            for name in ("Accept", "Content-Type", "Authorization")
        ),
    )
    assert parse(op, raw(headers=[(b"accept", b"*/*")])).headers == {}


def test_a_json_content_parameter_is_decoded() -> None:
    op = operation(
        "GET",
        parameters=(parameter("filter", "query", {"type": "object"}, content_type=JSON),),
    )
    assert parse(op, raw(query=b'filter={"a":1}')).query == {"filter": {"a": 1}}
    assert rules(failure(op, raw(query=b"filter={"))) == [("query", "filter", "json")]


def test_a_json_body_is_decoded_and_validated() -> None:
    op = operation(body={JSON: ORDER})
    parsed = parse(op, raw(body=b'{"items": [{"price": 5}]}', content_type=JSON))
    assert (parsed.body, parsed.media_type) == ({"items": [{"price": 5}]}, JSON)


def test_a_body_violation_names_the_dotted_field() -> None:
    op = operation(body={JSON: ORDER})
    body = b'{"items": [{"price": 5}, {"price": -1}]}'
    assert rules(failure(op, raw(body=body, content_type=JSON))) == [
        ("body", "items.1.price", "minimum")
    ]


def test_a_json_syntax_error_is_a_json_violation_giving_its_position() -> None:
    op = operation(body={JSON: ORDER})
    [violation] = failure(op, raw(body=b'{"items": [}', content_type=JSON))
    assert rules([violation]) == [("body", "", "json")]
    assert "char 11" in violation.message


def test_an_undeclared_content_type_is_a_content_type_violation() -> None:
    op = operation(body={JSON: ORDER})
    [violation] = failure(op, raw(body=b"<order/>", content_type="application/xml"))
    assert violation.rule == "content-type"
    assert "application/json" in violation.message


def test_content_type_parameters_and_case_do_not_matter() -> None:
    op = operation(body={JSON: ORDER})
    request = raw(body=b'{"items": []}', content_type="Application/JSON; charset=utf-8")
    assert parse(op, request).media_type == JSON


def test_a_body_without_content_type_is_read_as_the_only_declared_media_type() -> None:
    op = operation(body={JSON: ORDER})
    assert parse(op, raw(body=b'{"items": []}')).body == {"items": []}
    two = operation(body={JSON: ORDER, FORM: ORDER})
    assert [v.rule for v in failure(two, raw(body=b'{"items": []}'))] == ["content-type"]


def test_a_missing_required_body_is_a_required_violation() -> None:
    op = operation(body={JSON: ORDER}, body_required=True)
    assert rules(failure(op, raw())) == [("body", "", "required")]
    assert rules(failure(op, raw(content_type=JSON))) == [("body", "", "required")]


def test_a_missing_optional_body_is_none() -> None:
    assert parse(operation(body={JSON: ORDER}), raw()).body is None


def test_an_empty_form_is_an_empty_object_validated_against_the_schema() -> None:
    op = operation(body={FORM: ORDER}, body_required=True)
    assert rules(failure(op, raw(content_type=FORM))) == [("body", "items", "required")]


def test_a_stripe_style_form_is_nested_and_typed() -> None:
    op = operation(body={FORM: ORDER})
    body = (
        b"items[0][price]=5&items[0][quantity]=2&items[1][price]=3"
        b"&metadata[order_id]=6735&expand[]=customer&expand[]=invoice&livemode=true"
    )
    assert parse(op, raw(body=body, content_type=FORM)).body == {
        "items": [{"price": 5, "quantity": 2}, {"price": 3}],
        "metadata": {"order_id": "6735"},
        "expand": ["customer", "invoice"],
        "livemode": True,
    }


def test_an_empty_metadata_value_unsets_it_as_an_empty_string() -> None:
    op = operation(body={FORM: ORDER})
    assert parse(op, raw(body=b"items[0][price]=1&metadata=", content_type=FORM)).body == {
        "items": [{"price": 1}],
        "metadata": "",
    }


def test_a_form_field_breaking_its_schema_is_named_by_its_dotted_path() -> None:
    op = operation(body={FORM: ORDER})
    violations = failure(op, raw(body=b"items[0][price]=-1&livemode=maybe", content_type=FORM))
    assert rules(violations) == [
        ("body", "items.0.price", "minimum"),
        ("body", "livemode", "type"),
    ]


def test_a_json_text_field_stays_a_string_where_the_schema_says_string() -> None:
    op = operation(body={FORM: ORDER})
    body = b"items=[]&blocks=%5B%7B%22type%22%3A%22section%22%7D%5D"
    assert parse(op, raw(body=body, content_type=FORM)).body == {
        "items": [],
        "blocks": '[{"type":"section"}]',
    }


def test_a_multipart_file_is_validated_by_its_name_and_kept_as_bytes() -> None:
    schema = {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "purpose": {"type": "string", "enum": ["dispute_evidence"]},
            "expires": {"type": "integer"},
        },
    }
    body = (
        b"--B\r\n"
        b'Content-Disposition: form-data; name="purpose"\r\n\r\ndispute_evidence\r\n'
        b"--B\r\n"
        b'Content-Disposition: form-data; name="expires"\r\n\r\n60\r\n'
        b"--B\r\n"
        b'Content-Disposition: form-data; name="file"; filename="a.png"\r\n'
        b"Content-Type: image/png\r\n\r\n\x89PNG\r\n"
        b"--B--\r\n"
    )
    parsed = parse(
        operation(body={MULTIPART: schema}),
        raw(body=body, content_type="multipart/form-data; boundary=B"),
    )
    assert parsed.body == {"purpose": "dispute_evidence", "expires": 60, "file": "a.png"}
    assert parsed.files == {"file": UploadedFile("file", "a.png", "image/png", b"\x89PNG")}


def test_a_text_body_is_validated_when_its_schema_is_a_string() -> None:
    op = operation(body={TEXT: {"type": "string", "maxLength": 5}})
    assert parse(op, raw(body=b"hello", content_type=TEXT)).body == "hello"
    assert rules(failure(op, raw(body=b"hello!", content_type=TEXT))) == [("body", "", "maxLength")]


def test_a_binary_body_is_kept_as_bytes_unvalidated() -> None:
    op = operation(body={"application/octet-stream": {"type": "string", "format": "binary"}})
    request = raw(body=b"\x00\xff", content_type="application/octet-stream")
    assert parse(op, request).body == b"\x00\xff"


def test_a_body_over_the_size_limit_is_a_body_size_violation() -> None:
    op = operation(body={JSON: ORDER})
    request = raw(body=b'{"items": []}', content_type=JSON)
    assert rules(failure(op, request, Limits(max_body_bytes=5))) == [("body", "", "body-size")]


def test_a_body_nested_beyond_the_limit_is_a_body_depth_violation() -> None:
    op = operation(body={JSON: {}, FORM: {}})
    deep_json = raw(body=b'{"a": [[[[1]]]]}', content_type=JSON)
    deep_form = raw(body=b"a[b][c][d][e]=1", content_type=FORM)
    limits = Limits(max_depth=4)
    assert rules(failure(op, deep_json, limits)) == [("body", "", "body-depth")]
    assert rules(failure(op, deep_form, limits)) == [("body", "a[b][c][d][e]", "body-depth")]


def test_every_violation_of_a_request_is_reported_at_once() -> None:
    op = operation(parameters=PARAMETERS, body={JSON: ORDER})
    request = raw(path={"order": "1"}, query=b"limit=500", body=b"{}", content_type=JSON)
    with pytest.raises(ValidationFailed) as raised:
        parse(op, request)
    assert rules(raised.value.violations) == [
        ("query", "limit", "maximum"),
        ("body", "items", "required"),
    ]
    assert raised.value.message.startswith("invalid request: query limit:")


def test_a_validator_is_compiled_once_per_operation() -> None:
    op = operation(body={JSON: ORDER})
    assert RequestValidator.for_operation(op, DOCUMENT) is RequestValidator.for_operation(
        op, DOCUMENT
    )
    other = RequestValidator.for_operation(op, DOCUMENT, Limits(max_depth=3))
    assert other is not RequestValidator.for_operation(op, DOCUMENT)


@given(
    query=st.binary(max_size=60) | st.sampled_from([b"limit=%", b"created[a][=1", b"ids=,,"]),
    body=st.binary(max_size=120) | st.sampled_from([b"items[0][]=1&items[0][x]=2", b"[[[["]),
    content_type=st.sampled_from([JSON, FORM, TEXT, f"{MULTIPART}; boundary=B", "x/y", ""]),
)
def test_any_request_is_parsed_or_refused_and_never_crashes(
    query: bytes, body: bytes, content_type: str
) -> None:
    op = operation(parameters=PARAMETERS, body={JSON: ORDER, FORM: ORDER, MULTIPART: ORDER})
    request = raw(path={"order": "1"}, query=query, body=body, content_type=content_type)
    try:
        parsed = parse(op, request)
    except ValidationFailed as refused:
        assert refused.violations
    else:
        assert parsed.path == {"order": 1}
