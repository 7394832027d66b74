"""From a raw HTTP request to the validated, typed inputs of one operation.

    RequestValidator.for_operation(operation, document).parse(raw) -> ParsedRequest

Parameters are read by their style, coerced from strings to their schema types, and validated
with the request body in (at most) two jsonschema_rs calls. Anything wrong raises
`twins.errors.ValidationFailed` with one `Violation` per broken rule (location, field, rule).
Rules beyond JSON Schema keywords: "required" (a missing body), "content-type" (a media type
the operation does not declare), "json", "multipart", "encoding" (a body that cannot be
decoded), "body-size" and "body-depth" (the `Limits`). A bracketed field sent in two shapes
(`a[b]=1&a[]=2`) and a single-valued query parameter sent twice are "type" violations.
"""

from twins.request.coerce import MISFIT, Coercer, CoercerCompiler, Resolve, coerce
from twins.request.form import parse_form, parse_query
from twins.request.model import DEFAULT_LIMITS, Limits, ParsedRequest, RawRequest, UploadedFile
from twins.request.schemas import DocumentSchemas, SchemaValidator, compile_schema
from twins.request.validator import RequestValidator

__all__ = [
    "DEFAULT_LIMITS",
    "MISFIT",
    "Coercer",
    "CoercerCompiler",
    "DocumentSchemas",
    "Limits",
    "ParsedRequest",
    "RawRequest",
    "RequestValidator",
    "Resolve",
    "SchemaValidator",
    "UploadedFile",
    "coerce",
    "compile_schema",
    "parse_form",
    "parse_query",
]
