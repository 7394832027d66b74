"""Checking a drawn value against a schema, for the constraints that drawing cannot build in.

`not`, `oneOf`'s "only one", conditionals and unfoldable `allOf` parts are checked after the
fact with jsonschema_rs. A schema with local `$ref`s is checked inside a small stand-in
document that holds exactly the schemas it reaches, placed at the paths its refs name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import jsonschema_rs

Resolver = Callable[[str], Any]


def _pointer_parts(ref: str) -> list[str]:
    return [unquote(p).replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/")]


def local_refs(schema: Any, resolve: Resolver) -> dict[str, Any]:
    """Every local `$ref` reachable from `schema`, with the schema it names."""
    found: dict[str, Any] = {}
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/") and ref not in found:
                found[ref] = resolve(ref)
                stack.append(found[ref])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def bundle(schema: Any, resolve: Resolver) -> Any:
    """`schema` as a document in which each of its local refs resolves to the same schema."""
    refs = local_refs(schema, resolve)
    if not refs or not isinstance(schema, dict):
        return schema
    root = dict(schema)
    fresh = {id(root)}  # containers made here, safe to fill in place
    for ref, target in refs.items():
        *path, last = _pointer_parts(ref)
        node = root
        for part in path:
            child = node.get(part)
            if not (isinstance(child, dict) and id(child) in fresh):
                child = dict(child) if isinstance(child, dict) else {}
                fresh.add(id(child))
                node[part] = child
            node = child
        node[last] = target
    return root


class Checker:
    """Answers whether a value is valid against a schema; validators are built once per schema."""

    def __init__(self, resolve: Resolver) -> None:
        self._resolve = resolve
        self._validators: dict[int, tuple[Any, Any]] = {}

    def matches(self, schema: Any, value: Any) -> bool | None:
        """True or False, or None when the schema cannot be compiled (an exotic regex, say)."""
        entry = self._validators.get(id(schema))
        if entry is None:
            entry = (schema, self._build(schema))
            self._validators[id(schema)] = entry
        validator = entry[1]
        return None if validator is None else bool(validator.is_valid(value))

    def _build(self, schema: Any) -> Any:
        try:
            return jsonschema_rs.Draft202012Validator(
                bundle(schema, self._resolve), validate_formats=True
            )
        except Exception:  # whatever the validator refuses to compile, we cannot judge by it
            return None
