"""Where a JSON Schema holds other schemas: the only places a schema walk may step into.

Stepping only into these keywords (never into `example`, `default`, `enum`, `const` or `x-`
extensions) keeps data that merely looks like a schema, say an example with a `$ref` key, safe.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

Holds = Literal["one", "list", "map"]

KEYWORDS: dict[str, Holds] = {
    "items": "one",  # a list in draft 4 style; iter_subschemas accepts both
    "additionalItems": "one",
    "additionalProperties": "one",
    "not": "one",
    "if": "one",
    "then": "one",
    "else": "one",
    "contains": "one",
    "propertyNames": "one",
    "unevaluatedItems": "one",
    "unevaluatedProperties": "one",
    "contentSchema": "one",
    "allOf": "list",
    "anyOf": "list",
    "oneOf": "list",
    "prefixItems": "list",
    "properties": "map",
    "patternProperties": "map",
    "dependentSchemas": "map",
    "$defs": "map",
    "definitions": "map",
}


def iter_subschemas(schema: dict[str, Any]) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
    """(keyword, name or index or None, subschema) for every dict subschema of `schema`."""
    for keyword, value in schema.items():
        holds = KEYWORDS.get(keyword)
        if holds is None:
            continue
        if isinstance(value, dict):
            if holds == "map":
                for name, item in value.items():
                    if isinstance(item, dict):
                        yield keyword, name, item
            else:
                yield keyword, None, value
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield keyword, str(index), item
