"""`expand[]`: ids in a reply become the objects they name (`customer`, `latest_charge`,
`data.customer` in lists, `latest_invoice.payment_intent` across levels), as Stripe does.

An id is expandable when its prefix names a kind of object the twin keeps; a charge's
`refunds` expands into the list of its refunds. Anything else is refused as Stripe refuses it.
"""

from __future__ import annotations

from typing import Any

from twins.catalog.stripe.errors import invalid
from twins.catalog.stripe.kinds import REFUND, kind_of_id
from twins.catalog.stripe.objects import Obj, Objects, snapshot

MAX_DEPTH = 4
MAX_PATHS = 20


def expanded(objects: Objects, obj: Obj, paths: list[str]) -> Obj:
    """A copy of `obj` with every path in `paths` expanded (the stored object is untouched)."""
    if not paths:
        return obj
    if len(paths) > MAX_PATHS:
        raise invalid(f"You can expand at most {MAX_PATHS} properties at once.", "expand")
    result = snapshot(obj)
    for path in paths:
        parts = path.split(".")
        if len(parts) > MAX_DEPTH or not all(parts):
            message = f"You cannot expand more than {MAX_DEPTH} levels of a property: {path}"
            raise invalid(message, "expand")
        _expand(objects, result, parts, path)
    return result


def _expand(objects: Objects, node: Any, parts: list[str], path: str) -> None:
    if isinstance(node, list):
        for item in node:
            _expand(objects, item, parts, path)
        return
    if not isinstance(node, dict):
        return
    head, rest = parts[0], parts[1:]
    if head == "refunds" and node.get("object") == "charge":
        node[head] = _refunds_of(objects, node)
    elif head not in node:
        raise _cannot(path)
    value = node[head]
    if isinstance(value, str):
        found = objects.by_id(value) if kind_of_id(value) is not None else None
        if found is None:
            raise _cannot(path)
        value = node[head] = snapshot(found)
    if rest and value is not None:
        _expand(objects, value, rest, path)


def _refunds_of(objects: Objects, charge: Obj) -> Obj:
    refunds = objects.newest_first(REFUND, charge=charge["id"])
    return {
        "object": "list",
        "data": refunds,
        "has_more": False,
        "url": f"/v1/charges/{charge['id']}/refunds",
    }


def _cannot(path: str) -> Exception:
    return invalid(f"This property cannot be expanded ({path}).", "expand")
