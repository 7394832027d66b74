"""`RequestValidator`: one operation's raw HTTP request -> typed, validated `ParsedRequest`.

Everything an operation needs is compiled when its validator is first asked for (the body
schema of each media type when that media type is first sent) and kept; a request then costs a
few dictionary look-ups, the coercion of what was sent, and one jsonschema_rs call for the
parameters and one for the body. Parameters are `ParameterReader`'s; bodies are read here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from twins.errors import Violation
from twins.request.bodies import (
    BodyError,
    BodyKind,
    base_media_type,
    decode_form,
    decode_json,
    decode_multipart,
    decode_text,
    kind_of,
    match_media_type,
)
from twins.request.coerce import Coercer, fitted, schema_types
from twins.request.form import parse_query
from twins.request.model import DEFAULT_LIMITS, Limits, ParsedRequest, RawRequest, UploadedFile
from twins.request.parameters import ParameterReader
from twins.request.schemas import DocumentSchemas, SchemaValidator
from twins.request.violations import failure
from twins.spec.model import Operation

_MAX_CACHED = 8192  # operations validated at once; beyond this the oldest is recompiled if used
_MAX_CONTENT_TYPES = 64  # distinct Content-Type strings remembered per operation

_cache: dict[tuple[int, Limits], RequestValidator] = {}
_cache_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class _BodyPlan:
    kind: BodyKind
    coercer: Coercer | None  # forms carry only strings
    validator: SchemaValidator | None
    as_text: bool  # for other media types: decode to str (else keep bytes)


class RequestValidator:
    """Parses and validates requests for one operation."""

    def __init__(self, operation: Operation, document: dict[str, Any], limits: Limits) -> None:
        self.operation = operation
        self.document = document
        self.limits = limits
        self._schemas = DocumentSchemas.for_document(document)
        self._parameters = ParameterReader(operation.parameters, self._schemas)
        body = operation.request_body
        self._media_types = tuple(body.content) if body else ()
        self._bodies: dict[str, _BodyPlan] = {}
        self._content_types: dict[str, str | None] = {}

    @classmethod
    def for_operation(
        cls, operation: Operation, document: dict[str, Any], limits: Limits = DEFAULT_LIMITS
    ) -> RequestValidator:
        """The validator of `operation` (of the spec whose normalised document is `document`)."""
        found = _cache.get((id(operation), limits))
        if found is None or found.operation is not operation or found.document is not document:
            found = cls(operation, document, limits)
            with _cache_lock:
                if len(_cache) >= _MAX_CACHED:
                    del _cache[next(iter(_cache))]
                _cache[(id(operation), limits)] = found
        return found

    def parse(self, raw: RawRequest) -> ParsedRequest:
        """The request's inputs, typed; raises `ValidationFailed` naming every broken rule."""
        if len(raw.body) > self.limits.max_body_bytes:
            message = f"the body is larger than {self.limits.max_body_bytes} bytes"
            raise failure([Violation("body", "", "body-size", message)])
        media_type = self._media_type(raw)
        raw_query = parse_query(raw.query_string)
        violations: list[Violation] = []
        sent = self._parameters.read(raw, raw_query, violations)
        body, files = self._body(raw, media_type, violations)
        if violations:
            raise failure(violations)
        return ParsedRequest(
            sent.path, sent.query, sent.headers, sent.cookies, body, media_type, raw_query, files
        )

    def _media_type(self, raw: RawRequest) -> str | None:
        if not self._media_types or not (raw.body or raw.content_type):
            return None
        if not raw.content_type:
            if len(self._media_types) == 1:
                return self._media_types[0]  # the only thing it can be
            raise _content_type_failure("no Content-Type was sent", self._media_types)
        if raw.content_type in self._content_types:
            found = self._content_types[raw.content_type]
        else:
            found = match_media_type(raw.content_type, self._media_types)
            if len(self._content_types) < _MAX_CONTENT_TYPES:
                self._content_types[raw.content_type] = found
        if found is None and raw.body:
            sent = base_media_type(raw.content_type)
            raise _content_type_failure(f"{sent!r} is not accepted", self._media_types)
        return found

    def _body(
        self, raw: RawRequest, media_type: str | None, violations: list[Violation]
    ) -> tuple[Any, dict[str, UploadedFile]]:
        plan = self._body_plan(media_type) if media_type is not None else None
        # An empty form is still a form (Stripe sends one for "no parameters"); empty JSON is no
        # body at all.
        if plan is None or not (raw.body or plan.kind in (BodyKind.FORM, BodyKind.MULTIPART)):
            body = self.operation.request_body
            if body is not None and body.required:
                violations.append(Violation("body", "", "required", "a request body is required"))
            return None, {}
        try:
            value, files = self._decode(plan, raw)
        except BodyError as error:
            violations.append(Violation("body", error.field, error.rule, error.message))
            return None, {}
        if plan.validator is not None and not plan.validator.is_valid(value):
            violations.extend(plan.validator.violations(value, "body"))
        return value, files

    def _decode(self, plan: _BodyPlan, raw: RawRequest) -> tuple[Any, dict[str, UploadedFile]]:
        depth = self.limits.max_depth
        if plan.kind is BodyKind.JSON:
            return decode_json(raw.body, depth), {}
        if plan.kind is BodyKind.FORM:
            return _fitted(plan.coercer, decode_form(raw.body, depth)), {}
        if plan.kind is BodyKind.MULTIPART:
            fields, files = decode_multipart(raw.body, raw.content_type, depth)
            return _fitted(plan.coercer, fields), files
        return (decode_text(raw.body, raw.content_type) if plan.as_text else raw.body), {}

    def _body_plan(self, media_type: str) -> _BodyPlan:
        plan = self._bodies.get(media_type)
        if plan is None:
            plan = self._bodies[media_type] = self._compile_body(media_type)
        return plan

    def _compile_body(self, media_type: str) -> _BodyPlan:
        assert self.operation.request_body is not None  # only declared media types get here
        schema = self.operation.request_body.content[media_type].schema
        kind = kind_of(media_type)
        validator = self._schemas.validator(schema) if schema else None
        if kind in (BodyKind.JSON, BodyKind.FORM, BodyKind.MULTIPART):
            coercer = None if kind is BodyKind.JSON else self._schemas.coercer(schema)
            return _BodyPlan(kind, coercer, validator, as_text=False)
        # Other media types are validated only when the schema is a text string.
        types = schema_types(schema, self._schemas.resolve)
        is_text = types == {"string"} and schema.get("format") not in ("binary", "byte")
        as_text = is_text or base_media_type(media_type).startswith("text/")
        return _BodyPlan(kind, None, validator if is_text else None, as_text)


def _fitted(coercer: Coercer | None, value: Any) -> Any:
    return value if coercer is None else fitted(coercer, value)


def _content_type_failure(reason: str, accepted: tuple[str, ...]) -> Exception:
    message = f"{reason}; expected {' or '.join(accepted)}"
    return failure([Violation("header", "Content-Type", "content-type", message)])
