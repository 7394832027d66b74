"""Reading Stripe's parameters: the body of a POST, the query of a GET or DELETE.

The spec's validator has typed them already (integers, booleans); these helpers only pick,
default and check what no schema says (Stripe's full spec declares less than it enforces).
"""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call
from twins.catalog.stripe.errors import invalid

MAX_METADATA_KEYS = 50
MAX_METADATA_KEY = 40
MAX_METADATA_VALUE = 500


def params(call: Call) -> dict[str, Any]:
    """Everything the client sent: query parameters, then body fields over them."""
    merged: dict[str, Any] = dict(call.query)
    if isinstance(call.body, dict):
        merged.update(call.body)
    return merged


def text(values: dict[str, Any], name: str) -> str | None:
    value = values.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid(f"Invalid {name}: expected a string", name)
    return value


def integer(values: dict[str, Any], name: str) -> int | None:
    value = values.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.lstrip("-").isdigit() and len(value) < 19:
            return int(value)
        raise invalid(f"Invalid integer: {value}", name, "parameter_invalid_integer")
    return value


def flag(values: dict[str, Any], name: str, default: bool = False) -> bool:
    value = values.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    raise invalid(f"Invalid boolean: {value}", name)


def strings(values: dict[str, Any], name: str) -> list[str]:
    """An array parameter (`expand[]=a`, `expand[0]=a`, or one plain value)."""
    value = values.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):  # sparse indices (`types[3]=x`): in index order
        value = [value[key] for key in sorted(value, key=lambda k: (len(k), k))]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    raise invalid(f"Invalid array: {name}", name)


def expand_paths(call: Call) -> list[str]:
    return strings(params(call), "expand")


def merged_metadata(current: dict[str, str], sent: Any) -> dict[str, str]:
    """Stripe's metadata update: keys sent with "" are removed, `metadata=""` clears all."""
    if sent is None:
        return current
    if sent == "":
        return {}
    if not isinstance(sent, dict):
        raise invalid("Invalid metadata: must be a hash of keys and values", "metadata")
    merged = dict(current)
    for key, value in sent.items():
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise invalid(f"Invalid metadata[{key}]: must be a string", f"metadata[{key}]")
        if len(key) > MAX_METADATA_KEY:
            message = f"Metadata keys can have up to {MAX_METADATA_KEY} characters"
            raise invalid(message, f"metadata[{key}]")
        text_value = str(value)
        if len(text_value) > MAX_METADATA_VALUE:
            message = f"Metadata values can have up to {MAX_METADATA_VALUE} characters"
            raise invalid(message, f"metadata[{key}]")
        if text_value == "":
            merged.pop(key, None)
        else:
            merged[key] = text_value
    if len(merged) > MAX_METADATA_KEYS:
        raise invalid(f"Metadata can have up to {MAX_METADATA_KEYS} keys", "metadata")
    return merged
