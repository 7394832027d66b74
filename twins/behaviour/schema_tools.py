"""Per-twin schema services for behaviours: validity checks and seeded generation.

Validators are the request layer's (compiled lazily, once per schema object, against one
registry of the whole normalised document), so nothing is walked per request.
"""

from __future__ import annotations

from typing import Any

from twins.errors import Violation
from twins.fake import DataFaker, Rng
from twins.request import DocumentSchemas
from twins.spec.model import Schema, Spec
from twins.spec.schemas import deref, object_view, properties_of

_FAKER: DataFaker | None = None
_MAX_REDUCED = 4096  # (schema, skipped fields) pairs; clients send few distinct field sets
# Keywords whose meaning depends on the whole set of properties: such schemas are not reduced.
_WHOLE_OBJECT = frozenset(
    {
        "oneOf",
        "anyOf",
        "not",
        "if",
        "then",
        "else",
        "minProperties",
        "maxProperties",
        "dependentRequired",
        "dependentSchemas",
        "dependencies",
        "propertyNames",
        "patternProperties",
        "unevaluatedProperties",
        "discriminator",
    }
)


def _without(view: Schema, skip: frozenset[str]) -> Schema | None:
    """`view` (an object view, allOf merged) minus some properties, or None when dropping
    them could change what the rest may be."""
    properties = view.get("properties")
    if not isinstance(properties, dict) or _WHOLE_OBJECT & view.keys():
        return None
    reduced = {k: v for k, v in view.items() if k not in ("allOf", "$ref")}
    reduced["properties"] = {k: v for k, v in properties.items() if k not in skip}
    # Only undeclared extras could fill the room the skipped properties leave: none wanted.
    reduced["additionalProperties"] = False
    required = view.get("required")
    if isinstance(required, list):
        reduced["required"] = [name for name in required if name not in skip]
    return reduced


def _faker() -> DataFaker:
    """The process's one DataFaker, built on first use (its value pools take ~0.1 s)."""
    global _FAKER
    if _FAKER is None:
        _FAKER = DataFaker()
    return _FAKER


class SchemaTools:
    def __init__(self, spec: Spec) -> None:
        self.document = spec.document
        self._schemas = DocumentSchemas.for_document(spec.document)
        self._resolve = self.resolve  # one bound method: the faker caches plans per resolver
        # Keyed by id(); each entry keeps its schema alive so that the id cannot be reused.
        self._properties: dict[int, tuple[Schema, dict[str, Schema]]] = {}
        self._views: dict[int, tuple[Schema, Schema]] = {}
        self._derefs: dict[int, tuple[Schema, Schema]] = {}
        self.plans: dict[tuple[str, str], Any] = {}  # per-operation plans of behaviours
        self._reduced: dict[tuple[int, frozenset[str]], tuple[Schema, Schema | None]] = {}

    def is_valid(self, schema: Schema, value: Any) -> bool:
        return self._schemas.validator(schema).is_valid(value)

    def violations(self, schema: Schema, value: Any) -> list[Violation]:
        return self._schemas.validator(schema).violations(value)

    def generate(
        self, schema: Schema, rng: Rng, name: str = "", *, prefer_examples: bool = False
    ) -> Any:
        return _faker().generate(
            schema, rng, name=name, resolve=self._resolve, prefer_examples=prefer_examples
        )

    def generate_without(self, schema: Schema, skip: frozenset[str], rng: Rng) -> Any:
        """An instance of an object schema without the properties in `skip` (the caller sets
        those itself): a create draws only what the client did not send."""
        if not skip:
            return self.generate(schema, rng)
        key = (id(schema), skip)
        found = self._reduced.get(key)
        if found is None:
            found = (schema, _without(self.object_view(schema), skip))
            if len(self._reduced) < _MAX_REDUCED:
                self._reduced[key] = found
        return self.generate(found[1] if found[1] is not None else schema, rng)

    def resolve(self, ref: str) -> Schema:
        return deref(self.document, {"$ref": ref})

    def properties(self, schema: Schema | None) -> dict[str, Schema]:
        if schema is None:
            return {}
        found = self._properties.get(id(schema))
        if found is None:
            found = self._properties[id(schema)] = (schema, properties_of(self.document, schema))
        return found[1]

    def object_view(self, schema: Schema) -> Schema:
        found = self._views.get(id(schema))
        if found is None:
            found = self._views[id(schema)] = (schema, object_view(self.document, schema))
        return found[1]

    def deref(self, schema: Schema) -> Schema:
        found = self._derefs.get(id(schema))
        if found is None:
            found = self._derefs[id(schema)] = (schema, deref(self.document, schema))
        return found[1]
