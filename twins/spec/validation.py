"""Compiling a schema of a loaded spec into a jsonschema_rs validator whose refs resolve.

The one place that knows how schemas compile: the request layer's validators come from here too.

The whole normalised document is registered as one resource, `urn:dtu:spec`. Schemas inside the
document (`components/schemas/...`) reach each other with their own `#/...` refs, resolved
against that resource. A schema handed to `schema_validator`, though, is compiled as a resource
of its own, where `#/components/...` would mean "inside this schema" (and fail); and giving it
`base_uri="urn:dtu:spec"` does not help, because the compiled schema then shadows the registered
document. So its local refs are rewritten to absolute ones, `urn:dtu:spec#/components/...`, on a
copy of the schema (only the schema keywords are walked; examples and defaults stay as they are).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import jsonschema_rs

from twins.spec.model import Schema, Spec
from twins.spec.subschemas import KEYWORDS

SPEC_URI = "urn:dtu:spec"
_CACHE_SIZE = 32  # documents served at once; beyond this the oldest registry is rebuilt if used
_registries: OrderedDict[int, tuple[dict[str, Any], jsonschema_rs.Registry]] = OrderedDict()
_lock = threading.Lock()


def schema_validator(
    spec: Spec, schema: Schema | bool, *, validate_formats: bool = False
) -> jsonschema_rs.Validator:
    """A 2020-12 validator for `schema`, one of `spec`'s schemas or any schema using its refs.

    Raises jsonschema_rs.ValidationError if the schema cannot be compiled. Compiling costs
    about a millisecond: callers validating often should keep the validator.
    """
    return document_validator(spec.document, schema, validate_formats=validate_formats)


def document_validator(
    document: dict[str, Any], schema: Any, *, validate_formats: bool = False
) -> jsonschema_rs.Validator:
    """`schema_validator` for a bare document (normalised or not) instead of a `Spec`.

    Measured on the 13 MB GitHub document: the registry costs ~100 ms once per document; a
    request body schema then compiles in ~1 ms (38 ms for the largest). Copying `components`
    into each schema instead cost 160-480 ms per schema, hence absolute refs into one registry.
    """
    return jsonschema_rs.Draft202012Validator(
        absolute_refs(schema),
        registry=document_registry(document),
        validate_formats=validate_formats,
    )


def spec_registry(spec: Spec) -> jsonschema_rs.Registry:
    """The registry holding `spec.document` as `urn:dtu:spec`; built once per document."""
    return document_registry(spec.document)


def document_registry(document: dict[str, Any]) -> jsonschema_rs.Registry:
    """The registry holding `document` as `urn:dtu:spec`; built once per document."""
    key = id(document)
    with _lock:
        found = _registries.get(key)
        if found is not None and found[0] is document:
            _registries.move_to_end(key)
            return found[1]
    registry = jsonschema_rs.Registry([(SPEC_URI, document)], draft=jsonschema_rs.Draft202012)
    with _lock:
        # The document is kept beside its registry so that its id cannot be reused meanwhile.
        _registries[key] = (document, registry)
        while len(_registries) > _CACHE_SIZE:
            _registries.popitem(last=False)
    return registry


def absolute_refs(schema: Schema | bool) -> Schema | bool:
    """A copy of `schema` whose local `$ref`s name the registered document: `urn:dtu:spec#/...`."""
    if not isinstance(schema, dict):
        return schema
    root = dict(schema)
    stack = [root]
    while stack:
        node = stack.pop()
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            node["$ref"] = SPEC_URI + ref
        for keyword in [k for k in node if k in KEYWORDS]:
            node[keyword] = _copied(node[keyword], KEYWORDS[keyword], stack)
    return root


def _copied(value: Any, holds: str, stack: list[dict[str, Any]]) -> Any:
    if isinstance(value, dict) and holds == "map":
        copy = {
            name: dict(item) if isinstance(item, dict) else item for name, item in value.items()
        }
        stack.extend(item for item in copy.values() if isinstance(item, dict))
        return copy
    if isinstance(value, dict):
        single = dict(value)
        stack.append(single)
        return single
    if isinstance(value, list):
        items = [dict(item) if isinstance(item, dict) else item for item in value]
        stack.extend(item for item in items if isinstance(item, dict))
        return items
    return value
