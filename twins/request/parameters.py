"""The parameters of one operation: read from each location by style, typed, validated."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from twins.errors import Violation
from twins.request.bodies import BodyKind, kind_of
from twins.request.coerce import Coercer, fitted, schema_properties, schema_types
from twins.request.form import FormError
from twins.request.model import RawRequest
from twins.request.schemas import DocumentSchemas, SchemaValidator
from twins.request.styles import MISSING, Shape, parse_cookies, query_reader, text_reader
from twins.spec.model import Parameter

# OpenAPI: header parameters by these names are ignored; the request describes them elsewhere.
_IGNORED_HEADERS = frozenset(("accept", "content-type", "authorization"))
_LOCATIONS = ("path", "query", "header", "cookie")


@dataclass(frozen=True, slots=True)
class _Plan:
    name: str
    key: str  # where it is looked up: the name, or the lower-case name of a header
    read: Callable[[Any], Any]  # the wire value, by style, or MISSING
    coercer: Coercer | None  # None: the parameter is JSON text (`content: application/json`)


@dataclass(slots=True)
class Parameters:
    """What one request sent for an operation's declared parameters, by location."""

    path: dict[str, Any]
    query: dict[str, Any]
    headers: dict[str, Any]
    cookies: dict[str, Any]


class ParameterReader:
    """Reads, types and validates the declared parameters of one operation."""

    def __init__(self, parameters: tuple[Parameter, ...], schemas: DocumentSchemas) -> None:
        self._schemas = schemas
        declared = [p for p in parameters if not _ignored(p)]
        self._path = [self._plan(p) for p in declared if p.location == "path"]
        self._query = [self._plan(p) for p in declared if p.location == "query"]
        self._headers = [self._plan(p) for p in declared if p.location == "header"]
        self._cookies = [self._plan(p) for p in declared if p.location == "cookie"]
        wanted = {plan.key.encode("latin-1") for plan in self._headers}
        self._wanted = frozenset(wanted | {b"cookie"} if self._cookies else wanted)
        self._validator = _validator(declared, schemas)

    def read(
        self, raw: RawRequest, raw_query: dict[str, list[str]], violations: list[Violation]
    ) -> Parameters:
        """The parameters sent; what breaks the spec is added to `violations`."""
        found = Parameters(
            path=_read_text(self._path, raw.path_params, "path", violations),
            query=_read_query(self._query, raw_query, violations),
            headers={},
            cookies={},
        )
        if self._wanted:
            sent = _sent_headers(raw.headers, self._wanted)
            found.headers = _read_text(self._headers, sent, "header", violations)
            if self._cookies:
                jar = parse_cookies(sent.get("cookie", ""))
                found.cookies = _read_text(self._cookies, jar, "cookie", violations)
        if self._validator is not None:
            given = {
                "path": found.path,
                "query": found.query,
                "header": found.headers,
                "cookie": found.cookies,
            }
            if not self._validator.is_valid(given):
                violations.extend(self._validator.violations(given, None))
        return found

    def _plan(self, parameter: Parameter) -> _Plan:
        resolve = self._schemas.resolve
        content_type = parameter.content_type
        is_json = content_type is not None and kind_of(content_type) is BodyKind.JSON
        shape: Shape = "scalar" if is_json else _shape(schema_types(parameter.schema, resolve))
        name, style, explode = parameter.name, parameter.style, parameter.explode
        read: Callable[[Any], Any]
        if parameter.location == "query":
            properties = schema_properties(parameter.schema, resolve)
            read = query_reader(name, style, explode, shape, properties)
        else:
            read = text_reader(style, explode, shape, name)
        key = name.lower() if parameter.location == "header" else name
        coercer = None if is_json else self._schemas.coercer(parameter.schema)
        return _Plan(name, key, read, coercer)


def _ignored(parameter: Parameter) -> bool:
    return parameter.location == "header" and parameter.name.lower() in _IGNORED_HEADERS


def _shape(types: frozenset[str]) -> Shape:
    if "array" in types:
        return "array"
    return "object" if "object" in types else "scalar"


def _read_query(
    plans: list[_Plan], raw_query: dict[str, list[str]], violations: list[Violation]
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for plan in plans:
        try:
            value = plan.read(raw_query)
        except FormError as error:  # nested too deep, clashing, or one value sent twice
            violations.append(Violation("query", error.key, error.rule, error.message))
            continue
        if value is not MISSING:
            _store(plan, value, found, "query", violations)
    return found


def _read_text(
    plans: list[_Plan], source: Mapping[str, str], location: str, violations: list[Violation]
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for plan in plans:
        text = source.get(plan.key)
        if text is not None:
            _store(plan, plan.read(text), found, location, violations)
    return found


def _store(
    plan: _Plan, value: Any, into: dict[str, Any], location: str, violations: list[Violation]
) -> None:
    if plan.coercer is not None:
        into[plan.name] = fitted(plan.coercer, value)
        return
    try:
        into[plan.name] = orjson.loads(value)
    except orjson.JSONDecodeError as error:
        violations.append(Violation(location, plan.name, "json", f"invalid JSON: {error}"))


def _sent_headers(headers: list[tuple[bytes, bytes]], wanted: frozenset[bytes]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in headers:
        if name in wanted:
            key = name.decode("latin-1")
            text = value.decode("latin-1")
            if key in found:  # repeated: one list, as HTTP says (cookies by `; `)
                text = found[key] + ("; " if key == "cookie" else ", ") + text
            found[key] = text
    return found


def _validator(parameters: list[Parameter], schemas: DocumentSchemas) -> SchemaValidator | None:
    # One schema for all parameters, so that a request costs one call into jsonschema_rs.
    properties: dict[str, Any] = {}
    for location in _LOCATIONS:
        declared = [p for p in parameters if p.location == location]
        if declared:
            properties[location] = {
                "type": "object",
                "properties": {p.name: p.schema for p in declared},
                "required": [p.name for p in declared if p.required or location == "path"],
            }
    if not properties:
        return None
    return SchemaValidator({"type": "object", "properties": properties}, schemas.document)
