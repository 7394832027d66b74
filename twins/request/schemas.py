"""Compiled JSON Schemas of one spec document: validators, `$ref` lookup, coercers.

Everything here is compiled once per schema and kept, so that a request costs dictionary look-ups
and one call into jsonschema_rs, never a walk of the spec.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import jsonschema_rs

from twins.errors import Violation
from twins.request.coerce import Coercer, CoercerCompiler
from twins.request.violations import failure, from_errors
from twins.spec.validation import SPEC_URI, document_validator

logger = logging.getLogger(__name__)

_MAX_DOCUMENTS = 32  # specs served at once; beyond this the oldest compiled state is dropped
_MAX_VALIDATORS = 20_000  # per document; far more schemas than the largest vendor spec has

_documents: dict[int, DocumentSchemas] = {}
_lock = threading.Lock()


def compile_schema(schema: Any, document: dict[str, Any]) -> jsonschema_rs.Validator:
    """A jsonschema_rs validator for `schema`, whose local `$ref`s point into `document`.

    The spec layer's `document_validator`, with formats checked (unknown formats such as
    int64, binary or unix-time are ignored). Uncached: `DocumentSchemas` keeps what it compiles.
    """
    return document_validator(document, schema, validate_formats=True)


def _remember(cache: dict[int, Any], key: int, value: Any) -> None:
    with _lock:
        if len(cache) >= _MAX_DOCUMENTS:
            del cache[next(iter(cache))]
        cache[key] = value


class SchemaValidator:
    """Validates JSON values against one schema of a document; compiled once, then cached."""

    __slots__ = ("schema", "problem", "_validator")

    def __init__(self, schema: Any, document: dict[str, Any]) -> None:
        self.schema = schema
        self.problem: str | None = None
        try:
            self._validator: jsonschema_rs.Validator | None = compile_schema(schema, document)
        except (ValueError, jsonschema_rs.ReferencingError) as error:
            # A vendor schema jsonschema_rs cannot compile (a regex it does not support, a
            # dangling $ref) must not turn every request into a 500: accept, and say why once.
            self.problem = str(error).splitlines()[0]
            self._validator = None
            logger.warning("schema not validated: %s", self.problem)

    @classmethod
    def for_schema(cls, schema: Any, document: dict[str, Any]) -> SchemaValidator:
        """The cached validator of `schema` (by identity) inside `document`."""
        return DocumentSchemas.for_document(document).validator(schema)

    def is_valid(self, instance: Any) -> bool:
        if self._validator is None:
            return True
        try:
            return bool(self._validator.is_valid(instance))
        except ValueError:  # not a JSON value at all (bytes, non-str keys)
            return False

    def violations(self, instance: Any, location: str | None = "body") -> list[Violation]:
        """What is wrong with `instance`; `location=None` reads it from the first path part."""
        if self._validator is None:
            return []
        try:
            return from_errors(self._validator.iter_errors(instance), location)
        except ValueError as error:
            return [Violation(location or "request", "", "type", str(error))]

    def validate(self, instance: Any, location: str = "body") -> None:
        """Raise `ValidationFailed` naming every broken field of `instance`."""
        if not self.is_valid(instance):
            raise failure(self.violations(instance, location))


class DocumentSchemas:
    """The compiled state of one spec document, built lazily and shared by its operations."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.coercers = CoercerCompiler(self.resolve)
        self._refs: dict[str, Any] = {}
        self._validators: dict[int, SchemaValidator] = {}

    @classmethod
    def for_document(cls, document: dict[str, Any]) -> DocumentSchemas:
        found = _documents.get(id(document))
        if found is None or found.document is not document:
            found = cls(document)
            _remember(_documents, id(document), found)
        return found

    def validator(self, schema: Any) -> SchemaValidator:
        found = self._validators.get(id(schema))
        if found is None or found.schema is not schema:
            found = SchemaValidator(schema, self.document)
            if len(self._validators) >= _MAX_VALIDATORS:  # callers making schemas on the fly
                del self._validators[next(iter(self._validators))]
            self._validators[id(schema)] = found
        return found

    def coercer(self, schema: Any) -> Coercer:
        return self.coercers.compile(schema)

    def resolve(self, ref: str) -> Any:
        """The schema a local `$ref` names; `{}` (anything) when it names nothing."""
        found = self._refs.get(ref)
        if found is None:
            found = self._refs[ref] = _lookup(self.document, ref)
        return found


def _lookup(document: Any, ref: str) -> Any:
    if ref.startswith(SPEC_URI):
        ref = ref[len(SPEC_URI) :]
    if not ref.startswith("#"):
        return {}
    node = document
    for raw in unquote(ref[1:]).split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return {}
    return node
