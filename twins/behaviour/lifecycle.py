"""Lifecycle steps named by action endpoints: `cancel` moves `status` to `canceled`, `close` to
`closed`, `lock` sets `locked`, `unlock` (or DELETE on `/lock`) clears it.

Only transitions the schema allows are made: the target must be a value of the status field's
enum (or a boolean field), so a record never leaves its schema.
"""

from __future__ import annotations

from typing import Any

from twins.behaviour.schema_tools import SchemaTools
from twins.spec.resources import Resource

STATUS_FIELDS = ("status", "state", "lifecycle_state", "phase")


def past_tenses(verb: str) -> list[str]:
    """Candidate spellings of the state a verb leads to: cancel -> canceled, cancelled."""
    verb = verb.lower().replace("-", "_")
    forms = [verb + "ed", verb + "d", verb + verb[-1:] + "ed"]
    if verb.endswith("y"):
        forms.append(verb[:-1] + "ied")
    if verb.endswith("e"):
        forms.insert(0, verb + "d")
    irregular = {
        "pay": "paid",
        "send": "sent",
        "begin": "begun",
        "freeze": "frozen",
        "run": "running",
        "open": "open",
        "reopen": "open",
        "start": "started",
        "stop": "stopped",
        "submit": "submitted",
        "resume": "active",
        "activate": "active",
        "deactivate": "inactive",
        "finalize": "finalized",
    }
    if verb in irregular:
        forms.insert(0, irregular[verb])
    return forms


def apply_action(
    tools: SchemaTools, resource: Resource, record: dict[str, Any], verb: str, body: Any
) -> bool:
    """Change `record` as the action says; whether anything changed."""
    properties = tools.properties(resource.schema)
    undo = verb.startswith("un") and len(verb) > 4
    base = verb[2:] if undo else verb
    for field in STATUS_FIELDS:
        schema = properties.get(field)
        if schema is None:
            continue
        for target in past_tenses(base) if not undo else []:
            if tools.is_valid(schema, target) and _enumerated(tools, schema):
                changed = record.get(field) != target
                record[field] = target
                return changed
    for name in past_tenses(base) + [base, "is_" + base]:
        schema = properties.get(name)
        if schema is not None and tools.is_valid(schema, not undo):
            changed = record.get(name) != (not undo)
            record[name] = not undo
            return changed
    return False


def _enumerated(tools: SchemaTools, schema: Any) -> bool:
    resolved = tools.deref(schema)
    return (
        "enum" in resolved
        or "const" in resolved
        or any(
            "enum" in tools.deref(branch)
            for branch in resolved.get("anyOf", []) + resolved.get("oneOf", [])
        )
    )


def initial_status(tools: SchemaTools, record: dict[str, Any], schema: Any, body: Any) -> None:
    """A new record starts in the first state its status enum lists (specs list lifecycles in
    order: `pending, paid, shipped`), unless the client chose one."""
    properties = tools.properties(schema)
    for field in STATUS_FIELDS:
        if field not in properties or (isinstance(body, dict) and field in body):
            continue
        resolved = tools.deref(properties[field])
        values = resolved.get("enum")
        if isinstance(values, list) and values and values[0] is not None:
            record[field] = values[0]
            return
