"""Reading schemas of a normalised document: follow refs, see through allOf and nullable wrappers.

Helpers for behaviours that need to know what a schema describes (its properties, its item
schema, its types) without validating anything. All of them tolerate dangling refs and cycles:
what cannot be resolved reads as `{}`.
"""

from __future__ import annotations

from typing import Any

from twins.spec import refs
from twins.spec.model import Schema

# allOf chains deeper than this are not merged further; no real document comes close.
_MAX_DEPTH = 32


def deref(document: dict[str, Any], schema: Any) -> Schema:
    """The schema `schema` stands for after following `$ref`s; `{}` when it dangles."""
    for _ in range(refs.MAX_REF_CHAIN):
        if not isinstance(schema, dict):
            return {"not": {}} if schema is False else {}
        ref = schema.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#"):
            return schema
        try:
            schema = refs.resolve(document, refs.ref_pointer(ref))
        except LookupError:
            return {}
    return {}


def types_of(schema: Any) -> set[str]:
    """The JSON types a schema declares (`type` as a string or a list), or infers from keywords."""
    if not isinstance(schema, dict):
        return set()
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {kind for kind in declared if isinstance(kind, str)}
    if "properties" in schema or "additionalProperties" in schema:
        return {"object"}
    if "items" in schema or "prefixItems" in schema:
        return {"array"}
    return set()


def object_view(document: dict[str, Any], schema: Any) -> Schema:
    """One dict merging a schema with its `allOf` parts: properties and required are unions.

    A nullable wrapper (`anyOf: [X, {type: null}]`, what 3.0 `nullable` becomes) and a
    one-branch `anyOf`/`oneOf` are seen through to X.
    """
    return _view(document, schema, 0, set())


def properties_of(document: dict[str, Any], schema: Any) -> dict[str, Schema]:
    properties = object_view(document, schema).get("properties")
    return properties if isinstance(properties, dict) else {}


def array_items(document: dict[str, Any], schema: Any) -> Schema | None:
    """The item schema when `schema` describes an array, else None."""
    view = object_view(document, schema)
    if "array" not in types_of(view):
        return None
    items = view.get("items")
    return items if isinstance(items, dict) else {}


def _view(document: dict[str, Any], schema: Any, depth: int, seen: set[int]) -> Schema:
    resolved = deref(document, schema)
    if depth > _MAX_DEPTH or id(resolved) in seen:
        return {}
    seen = seen | {id(resolved)}
    branch = _single_branch(document, resolved)
    if branch is not None:
        merged = _merge(resolved, _view(document, branch, depth + 1, seen))
    else:
        merged = dict(resolved)
    for part in resolved.get("allOf") or ():
        merged = _merge(merged, _view(document, part, depth + 1, seen))
    merged.pop("allOf", None)
    return merged


def _single_branch(document: dict[str, Any], schema: Schema) -> Any | None:
    for keyword in ("anyOf", "oneOf"):
        branches = schema.get(keyword)
        if not isinstance(branches, list):
            continue
        real = [b for b in branches if types_of(deref(document, b)) != {"null"}]
        if len(real) == 1:
            return real[0]
    return None


def _merge(base: Schema, extra: Schema) -> Schema:
    merged = {**extra, **base}
    properties = {**_dict(extra.get("properties")), **_dict(base.get("properties"))}
    if properties:
        merged["properties"] = properties
    required = [*_list(base.get("required")), *_list(extra.get("required"))]
    if required:
        merged["required"] = list(dict.fromkeys(required))
    kinds = types_of(base) or types_of(extra)
    if kinds and "type" not in base:
        merged["type"] = next(iter(kinds)) if len(kinds) == 1 else sorted(kinds)
    return merged


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
