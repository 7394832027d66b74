"""The shape of an OpenAPI document: which object sits where, as a table instead of code.

`walk` visits every OpenAPI object (path item, operation, parameter, response, schema, ...) with
its kind and JSON pointer, without looking inside schemas. Knowing the kind of a position is what
lets the bundler file an external `$ref` under the right components section and lets the schema
pass find every schema root. A `$ref` object is visited with the kind of its position and not
entered: its target is visited where it lives.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from twins.spec.model import HTTP_METHODS

Kind = str
Shape = Literal["one", "map", "xmap", "list", "self"]  # xmap/self: `x-` keys are extensions
Rule = tuple[str, Shape, Kind]  # (key, how the key holds children, the children's kind)

_PARAMETER: list[Rule] = [
    ("schema", "one", "schema"),
    ("content", "map", "media_type"),
    ("examples", "map", "example"),
]
_OPENAPI3: dict[Kind, list[Rule]] = {
    "document": [
        ("paths", "xmap", "path_item"),
        ("webhooks", "xmap", "path_item"),
        ("components", "one", "components"),
    ],
    "components": [
        ("schemas", "map", "schema"),
        ("responses", "map", "response"),
        ("parameters", "map", "parameter"),
        ("examples", "map", "example"),
        ("requestBodies", "map", "request_body"),
        ("headers", "map", "header"),
        ("securitySchemes", "map", "security_scheme"),
        ("links", "map", "link"),
        ("callbacks", "map", "callback"),
        ("pathItems", "map", "path_item"),
    ],
    "path_item": [
        ("parameters", "list", "parameter"),
        *((method, "one", "operation") for method in HTTP_METHODS),
    ],
    "operation": [
        ("parameters", "list", "parameter"),
        ("requestBody", "one", "request_body"),
        ("responses", "xmap", "response"),
        ("callbacks", "map", "callback"),
    ],
    "callback": [("", "self", "path_item")],
    "parameter": _PARAMETER,
    "header": _PARAMETER,
    "request_body": [("content", "map", "media_type")],
    "media_type": [
        ("schema", "one", "schema"),
        ("examples", "map", "example"),
        ("encoding", "map", "encoding"),
    ],
    "encoding": [("headers", "map", "header")],
    "response": [
        ("headers", "map", "header"),
        ("content", "map", "media_type"),
        ("links", "map", "link"),
    ],
}
_SWAGGER2: dict[Kind, list[Rule]] = {
    "document": [
        ("paths", "xmap", "path_item"),
        ("definitions", "map", "schema"),
        ("parameters", "map", "parameter"),
        ("responses", "map", "response"),
    ],
    "path_item": _OPENAPI3["path_item"],
    "operation": [("parameters", "list", "parameter"), ("responses", "xmap", "response")],
    "parameter": [("schema", "one", "schema")],
    "response": [("schema", "one", "schema")],
}
Located = tuple[Kind, dict[str, Any], tuple[str, ...]]


def walk(
    node: Any, kind: Kind = "document", at: tuple[str, ...] = (), *, swagger2: bool = False
) -> Iterator[Located]:
    """Every OpenAPI object under `node` (included) as (kind, object, pointer tokens)."""
    rules = _SWAGGER2 if swagger2 else _OPENAPI3
    stack: list[tuple[Kind, Any, tuple[str, ...]]] = [(kind, node, at)]
    while stack:
        kind, node, at = stack.pop()
        if not isinstance(node, dict):
            continue
        yield kind, node, at
        if "$ref" in node:
            continue
        for key, shape, child_kind in rules.get(kind, ()):
            stack.extend(_children(node, key, shape, child_kind, at))


def _children(
    node: dict[str, Any], key: str, shape: Shape, kind: Kind, at: tuple[str, ...]
) -> Iterator[tuple[Kind, Any, tuple[str, ...]]]:
    if shape == "self":
        value: Any = node
    elif key in node:
        value = node[key]
    else:
        return
    if shape == "one":
        yield kind, value, (*at, key)
    elif shape == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            yield kind, item, (*at, key, str(index))
    elif shape != "list" and isinstance(value, dict):
        prefix = at if shape == "self" else (*at, key)
        skip_extensions = shape != "map"
        for name, item in value.items():
            if not (skip_extensions and name.startswith("x-")):
                yield kind, item, (*prefix, name)
