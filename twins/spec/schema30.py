"""One schema node at a time: OpenAPI 2.0/3.0 Schema Object -> JSON Schema 2020-12, and repairs.

`convert_node` applies what 2.0/3.0 mean differently from 2020-12 (`nullable`, `x-nullable`,
`example`, `$ref` siblings, `type: file`). `repair_node` runs for every version and removes what
would stop a 2020-12 validator from compiling the schema at all (a boolean `required`, a list
`items`, an unknown `type`, ...), saying what it dropped so the loader can report it.

Both edit the node in place, never look at its subschemas (the caller walks those), and are
idempotent: a node reached twice through a shared object is left as the first visit made it.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

import jsonschema_rs

from twins.spec import refs

_NOT_URI = re.compile(r"[^A-Za-z0-9/~!$&'()*+,;=:@\-._%#?]")
JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
# What a 3.0 `$ref` keeps of its siblings: 3.0 ignores the rest, 2020-12 would apply them.
_REF_KEEPS = frozenset({
    "$ref", "nullable", "description", "title", "example", "examples", "default", "readOnly",
    "writeOnly", "deprecated", "discriminator", "xml", "externalDocs", "$comment",
})  # fmt: skip
_COMPOSITION = ("$ref", "allOf", "anyOf", "oneOf", "not")
_NUMBERS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_COUNTS = (
    "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties",
    "minContains", "maxContains",
)  # fmt: skip
_SCHEMA_ONE = (
    "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
    "unevaluatedItems", "unevaluatedProperties", "contentSchema", "items",
)  # fmt: skip
_SCHEMA_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_BOOLEANS = ("uniqueItems", "readOnly", "writeOnly", "deprecated")
_STRINGS = ("format", "pattern", "title", "description", "$ref")
_CHECKED = frozenset(
    ("type", "required", "enum", "examples", "exclusiveMinimum", "exclusiveMaximum")
    + _NUMBERS
    + _COUNTS
    + _SCHEMA_ONE
    + _SCHEMA_LIST
    + _SCHEMA_MAP
    + _BOOLEANS
    + _STRINGS
)


def convert_node(node: dict[str, Any]) -> None:
    """Rewrite one 2.0/3.0 schema node (not its subschemas) as 2020-12, in place."""
    if "x-nullable" in node:
        flag = node.pop("x-nullable")
        node.setdefault("nullable", flag)
    if "$ref" in node and len(node) > 1:
        for key in [key for key in node if key not in _REF_KEEPS and not key.startswith("x-")]:
            del node[key]
    if "example" in node and "examples" not in node:
        node["examples"] = [node["example"]]
    if "nullable" in node and node.pop("nullable") is True:
        _allow_null(node)


def _allow_null(node: dict[str, Any]) -> None:
    # Keywords about one type (properties, minLength, ...) already let null through: only
    # `type`, `enum` and the composition keywords can reject it.
    kind = node.get("type")
    if isinstance(kind, str) and kind != "null":
        node["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        node["type"] = [*kind, "null"]
    enum = node.get("enum")
    if isinstance(enum, list) and None not in enum:
        node["enum"] = [*enum, None]
    moved = {key: node.pop(key) for key in _COMPOSITION if key in node}
    if moved:
        node["anyOf"] = [moved, {"type": "null"}]


def repair_node(node: dict[str, Any]) -> list[str]:
    """Make one schema node compilable as 2020-12; returns what was dropped or changed."""
    checked = _CHECKED.intersection(node)
    if not checked:
        return []
    notes: list[str] = []
    if "type" in checked:
        _repair_type(node, notes)
    if "items" in checked and isinstance(node["items"], list):
        _items_list_to_prefix_items(node)
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#") and _NOT_URI.search(ref):
        # `#/paths/~1pets~1{id}` is a fine pointer but not a URI: validators refuse it.
        node["$ref"] = refs.to_ref(refs.ref_pointer(ref))
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        flag = node.get(exclusive)
        if isinstance(flag, bool):  # the draft 4 / OpenAPI 3.0 form
            del node[exclusive]
            if flag and bound in node:
                node[exclusive] = node.pop(bound)
    for key in checked:
        if key in node:
            problem = _value_problem(key, node[key])
            if problem is not None:
                notes.append(f"dropped {key!r}: {problem}")
                del node[key]
    return notes


def _repair_type(node: dict[str, Any], notes: list[str]) -> None:
    kind = node["type"]
    if kind == "file":  # 2.0 uploads, also seen in converted 3.0 documents
        node["type"] = "string"
        node.setdefault("format", "binary")
    elif isinstance(kind, str) and kind not in JSON_TYPES:
        notes.append(f"dropped unknown type {kind!r}")
        del node["type"]
    elif isinstance(kind, list):
        known = list(dict.fromkeys(k for k in kind if k in JSON_TYPES))
        if known != kind:
            notes.append(f"dropped unknown or repeated types from {kind!r}")
            node["type"] = known
            if not known:
                del node["type"]
    elif not isinstance(kind, str):
        notes.append(f"dropped type {kind!r}: not a type name")
        del node["type"]


def _items_list_to_prefix_items(node: dict[str, Any]) -> None:
    node["prefixItems"] = node.pop("items")
    additional = node.pop("additionalItems", None)
    if isinstance(additional, dict | bool):
        node["items"] = additional


def _value_problem(key: str, value: Any) -> str | None:
    if key in _NUMBERS:
        if not _is_number(value) or (key == "multipleOf" and value <= 0):
            return "not a number" if key != "multipleOf" else "not a positive number"
    elif key in _COUNTS:
        if not (_is_number(value) and value >= 0 and float(value).is_integer()):
            return "not a non-negative integer"
    elif key in _SCHEMA_ONE:
        if not isinstance(value, dict | bool):
            return "not a schema"
    elif key in _SCHEMA_LIST:
        return _schema_list_problem(value)
    elif key in _SCHEMA_MAP:
        return _schema_map_problem(key, value)
    elif key in _BOOLEANS:
        if not isinstance(value, bool):
            return "not a boolean"
    elif key in _STRINGS:
        return _string_problem(key, value)
    elif key == "required":
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return "not a list of property names"
        if len(set(value)) != len(value):
            return "repeated property names"
    elif key in ("enum", "examples") and not isinstance(value, list):
        return "not a list"
    return None


def _schema_list_problem(value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return "not a non-empty list of schemas"
    if not all(isinstance(item, dict | bool) for item in value):
        return "holds something that is not a schema"
    return None


def _schema_map_problem(key: str, value: Any) -> str | None:
    if not isinstance(value, dict):
        return "not a mapping of schemas"
    if not all(isinstance(item, dict | bool) for item in value.values()):
        return "holds something that is not a schema"
    if key == "patternProperties" and not all(map(is_valid_pattern, value)):
        return "holds an invalid regular expression"
    return None


def _string_problem(key: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return "not a string"
    if key == "pattern" and not is_valid_pattern(value):
        return "not a valid regular expression"
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@functools.lru_cache(maxsize=4096)
def is_valid_pattern(pattern: str) -> bool:
    """Whether the validator accepts `pattern` (its regex dialect is not Python's)."""
    try:
        jsonschema_rs.Draft202012Validator({"pattern": pattern})
    except (jsonschema_rs.ValidationError, ValueError):
        return False
    return True
