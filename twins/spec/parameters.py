"""Parameters of one operation: path-level and operation-level merged, refs resolved, checked.

A parameter is identified by (name, in): the operation's own overrides the path item's, and
`id` in the query and `id` in the path are two parameters. Faults in one parameter never skip the
operation: the parameter is dropped, or a missing path parameter is made up as a string, with a
warning naming the pointer. Only a dangling `$ref` (raised as SpecError) skips the operation.
"""

from __future__ import annotations

import re
from typing import Any, cast

from twins.errors import Problem, SpecError
from twins.spec import refs
from twins.spec.model import Parameter, ParameterLocation, Schema

_LOCATIONS = ("path", "query", "header", "cookie")
_DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}
# OpenAPI: a header parameter with one of these names SHALL be ignored.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_TEMPLATE_VARIABLE = re.compile(r"\{([^{}/]+)\}")


def template_variables(path: str) -> list[str]:
    """`/pets/{petId}/toys/{toyId}` -> `["petId", "toyId"]`."""
    return _TEMPLATE_VARIABLE.findall(path)


def operation_parameters(
    document: dict[str, Any],
    path: str,
    declared: list[tuple[Any, str]],
    at: str,
    problems: list[Problem],
) -> tuple[Parameter, ...]:
    """`declared`: (raw parameter, its pointer), path-level ones first."""
    found: dict[tuple[str, str], Parameter] = {}
    variables = template_variables(path)
    for raw, pointer in declared:
        resolved, _ = refs.deref(document, raw, at=pointer)
        parameter = _parameter(resolved, pointer, variables, problems)
        if parameter is not None:
            found[(parameter.name, parameter.location)] = parameter
    for name in variables:
        if (name, "path") not in found:
            problems.append(Problem(at, f"path parameter {name!r} is not declared: taken as text"))
            found[(name, "path")] = Parameter(
                name, "path", True, {"type": "string"}, "simple", False, at
            )
    return tuple(found.values())


def _parameter(
    raw: Any, at: str, variables: list[str], problems: list[Problem]
) -> Parameter | None:
    try:
        return _checked(raw, at, variables, problems)
    except SpecError as error:
        problems.append(Problem(error.pointer, f"{error.message}: parameter ignored"))
        return None


def _checked(raw: Any, at: str, variables: list[str], problems: list[Problem]) -> Parameter | None:
    if not isinstance(raw, dict):
        raise SpecError(at, "a parameter must be an object")
    name, location = raw.get("name"), raw.get("in")
    if not isinstance(name, str) or not name:
        raise SpecError(at, "parameter has no name")
    if location not in _LOCATIONS:
        raise SpecError(at, f"parameter {name!r} is in {location!r}, not one of {_LOCATIONS}")
    if location == "header" and name.lower() in _IGNORED_HEADERS:
        return None
    if location == "path" and name not in variables:
        raise SpecError(at, f"path parameter {name!r} is not in the path template")
    schema, content_type = _schema(raw)
    if "schema" not in raw and content_type is None:
        problems.append(Problem(at, f"parameter {name!r} has neither schema nor content"))
    style = raw.get("style")
    style = style if isinstance(style, str) else _DEFAULT_STYLE[location]
    explode = raw.get("explode")
    return Parameter(
        name=name,
        location=cast(ParameterLocation, location),
        required=location == "path" or raw.get("required") is True,
        schema=schema,
        style=style,
        explode=explode if isinstance(explode, bool) else style == "form",
        pointer=at,
        content_type=content_type,
    )


def _schema(raw: dict[str, Any]) -> tuple[Schema, str | None]:
    content = raw.get("content")
    if isinstance(content, dict) and content:
        media_type, media = next(iter(content.items()))
        schema = media.get("schema") if isinstance(media, dict) else None
        return as_schema(schema), str(media_type)
    return as_schema(raw.get("schema", {})), None


def as_schema(value: Any) -> Schema:
    """A schema as a dict: 3.1 boolean schemas become `{}` and `{"not": {}}`."""
    if isinstance(value, dict):
        return value
    return {"not": {}} if value is False else {}
