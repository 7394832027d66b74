"""Building and reshaping stored records: server-assigned fields, overlays, conformance.

A record is the full representation of a resource as the twin keeps it. It is generated from the
resource's schema (seeded), then the client's fields are laid over it, then the fields a server
assigns are set: the key (`id`, or whatever the item path names), timestamps, parent references.
When another operation returns the same resource with a different schema (GitHub's "simple"
vs "full" repository), `conform` reshapes the record to that schema.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from twins.behaviour.schema_tools import SchemaTools
from twins.fake import Rng
from twins.spec.model import Schema
from twins.spec.schemas import types_of

CREATED_FIELDS = frozenset(
    {
        "created",
        "created_at",
        "createdAt",
        "creation_date",
        "createdDate",
        "date_created",
        "created_on",
        "createdOn",
        "inserted_at",
        "timestamp",
    }
)
UPDATED_FIELDS = frozenset(
    {
        "updated",
        "updated_at",
        "updatedAt",
        "modified",
        "modified_at",
        "modifiedAt",
        "last_modified",
        "lastModified",
        "date_updated",
        "updated_on",
        "updatedOn",
    }
)
_PREFIXED_ID = re.compile(r"^([a-z][a-z0-9]{1,11}_)[A-Za-z0-9]{6,}$")


def timestamp_value(tools: SchemaTools, schema: Schema, now: float) -> Any:
    """`now` in the representation the field's schema declares."""
    resolved = tools.deref(schema)
    kinds = types_of(resolved)
    moment = datetime.fromtimestamp(now, UTC)
    if "integer" in kinds:
        return int(now)
    if "number" in kinds:
        return round(now, 3)
    fmt = resolved.get("format")
    if fmt == "date":
        return moment.date().isoformat()
    if "string" in kinds or fmt == "date-time":
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def new_key(tools: SchemaTools, schema: Schema | None, rng: Rng, number: int) -> Any:
    """A fresh id for the n-th record, shaped like the spec shows ids."""
    resolved = tools.deref(schema) if schema is not None else {}
    kinds = types_of(resolved)
    if "integer" in kinds or "number" in kinds:
        minimum = resolved.get("minimum", 1)
        # Ids count from 1, or from a higher minimum (never from int64's -2**63).
        start = int(minimum) if isinstance(minimum, int | float) and minimum >= 1 else 1
        return start + number - 1
    fmt = resolved.get("format")
    if fmt == "uuid":
        return rng.uuid()
    prefix = _example_prefix(resolved)
    if prefix is not None:
        return prefix + rng.token(14)
    if "pattern" in resolved or "enum" in resolved or "const" in resolved:
        return tools.generate(resolved, rng, name="id")
    body = rng.token(16)
    max_length = resolved.get("maxLength")
    return body[:max_length] if isinstance(max_length, int) and max_length > 0 else body


def _example_prefix(schema: Schema) -> str | None:
    examples = list(schema.get("examples") or [])
    if "example" in schema:
        examples.append(schema["example"])
    for example in examples:
        if isinstance(example, str) and (found := _PREFIXED_ID.match(example)):
            return found.group(1)
    return None


def coerce_key(tools: SchemaTools, schema: Schema | None, raw: str) -> Any:
    """A key taken from a URL, typed as the record stores it (`/pets/7` -> 7)."""
    if schema is None:
        return raw
    kinds = types_of(tools.deref(schema))
    if "integer" in kinds and raw.lstrip("-").isdigit():
        return int(raw)
    return raw


def overlay(tools: SchemaTools, record: dict[str, Any], schema: Schema, fields: Any) -> None:
    """Copy each client field that is a valid value of the record's property onto the record."""
    if not isinstance(fields, dict):
        return
    properties = tools.properties(schema)
    for name, value in fields.items():
        target = properties.get(name)
        if target is None:
            continue
        if tools.is_valid(target, value):
            record[name] = value
        elif isinstance(value, dict) and isinstance(record.get(name), dict):
            merged = {**record[name], **value}
            if tools.is_valid(target, merged):
                record[name] = merged


def stamp(
    tools: SchemaTools, record: dict[str, Any], schema: Schema, now: float, *, created: bool
) -> None:
    """Set timestamp fields the server owns."""
    properties = tools.properties(schema)
    names = (CREATED_FIELDS | UPDATED_FIELDS) if created else UPDATED_FIELDS
    for name in names & properties.keys():
        value = timestamp_value(tools, properties[name], now)
        if value is not None and tools.is_valid(properties[name], value):
            record[name] = value


def conform(tools: SchemaTools, record: Any, schema: Schema | None, rng: Rng) -> Any:
    """`record` reshaped to satisfy `schema`: kept as is when it already does; otherwise a
    generated instance of the schema with every record field that fits laid over it."""
    if schema is None or tools.is_valid(schema, record):
        return record
    base = tools.generate(schema, rng)
    if isinstance(base, dict) and isinstance(record, dict):
        properties = tools.properties(schema)
        for name, value in record.items():
            target = properties.get(name)
            if target is not None and tools.is_valid(target, value):
                base[name] = value
            elif target is not None and isinstance(value, dict):
                base[name] = conform(tools, value, target, rng)
        if tools.is_valid(schema, base):
            return base
        return tools.generate(schema, rng)
    return base
