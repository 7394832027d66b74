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
