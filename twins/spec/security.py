"""Security schemes and requirements of a normalised document."""

from __future__ import annotations

from typing import Any

from twins.errors import Problem, SpecError
from twins.spec import refs
from twins.spec.model import SecurityScheme

_TYPES = ("apiKey", "http", "oauth2", "openIdConnect", "mutualTLS")
_API_KEY_LOCATIONS = ("header", "query", "cookie")

Requirements = tuple[dict[str, tuple[str, ...]], ...]


def security_schemes(
    document: dict[str, Any], problems: list[Problem]
) -> dict[str, SecurityScheme]:
    components = document.get("components")
    declared = components.get("securitySchemes") if isinstance(components, dict) else None
    schemes: dict[str, SecurityScheme] = {}
    for name, raw in (declared if isinstance(declared, dict) else {}).items():
        at = f"/components/securitySchemes/{refs.escape(name)}"
        try:
            schemes[name] = _scheme(name, refs.deref(document, raw, at=at)[0], at)
        except SpecError as error:
            problems.append(Problem(error.pointer, error.message))
    return schemes


def _scheme(name: str, raw: Any, at: str) -> SecurityScheme:
    if not isinstance(raw, dict) or raw.get("type") not in _TYPES:
        kind = raw.get("type") if isinstance(raw, dict) else raw
        raise SpecError(at, f"security scheme type {kind!r} is not one of {', '.join(_TYPES)}")
    kind = raw["type"]
    if kind == "apiKey":
        location, parameter = raw.get("in"), raw.get("name")
        if location not in _API_KEY_LOCATIONS or not isinstance(parameter, str) or not parameter:
            raise SpecError(at, "apiKey scheme needs `name` and `in` (header, query or cookie)")
        return SecurityScheme(name, kind, location=location, parameter_name=parameter)
    if kind == "http":
        scheme = raw.get("scheme")
        if not isinstance(scheme, str) or not scheme:
            raise SpecError(at, "http scheme needs `scheme` (basic, bearer, ...)")
        return SecurityScheme(name, kind, scheme=scheme.lower())
    flows = raw.get("flows")
    return SecurityScheme(name, kind, flows=flows if isinstance(flows, dict) else {})


def requirements(
    raw: Any, schemes: dict[str, SecurityScheme], at: str, problems: list[Problem]
) -> Requirements:
    """A `security` list as alternatives; `()` is no auth, a `{}` alternative is optional auth."""
    if not isinstance(raw, list):
        problems.append(Problem(at, "security must be a list of requirement objects"))
        return ()
    alternatives: list[dict[str, tuple[str, ...]]] = []
    for index, requirement in enumerate(raw):
        if not isinstance(requirement, dict):
            problems.append(Problem(f"{at}/{index}", "security requirement must be an object"))
            continue
        for name in requirement:
            if name not in schemes:
                problems.append(Problem(f"{at}/{index}", f"no security scheme named {name!r}"))
        alternatives.append({name: _scopes(scopes) for name, scopes in requirement.items()})
    return tuple(alternatives)


def _scopes(value: Any) -> tuple[str, ...]:
    return tuple(str(s) for s in value) if isinstance(value, list) else ()
