"""Generic behaviours: create, read, list, update, replace, delete, actions, singletons, and
answers generated from the schema alone. A vendor pack replaces one of these by label."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twins.behaviour.call import Call, Reply
from twins.behaviour.lifecycle import apply_action, initial_status
from twins.behaviour.listing import list_plan, list_reply
from twins.behaviour.missing import declares_not_found, not_found, remembers_deletion
from twins.behaviour.pagination import Window, filters_for, page_of, window_for
from twins.behaviour.records import (
    CREATED_FIELDS,
    UPDATED_FIELDS,
    coerce_key,
    new_key,
    overlay,
    stamp,
)
from twins.behaviour.render import pick_status, success
from twins.behaviour.schema_tools import SchemaTools
from twins.errors import NotFoundError
from twins.spec.resources import Resource


def perform(call: Call) -> Reply:
    """The twin's pack answers when it has its own behaviour for the operation."""
    handler = call.twin.pack.handler(call.operation) or HANDLERS.get(call.behaviour.kind, generated)
    return handler(call)


def _resource(call: Call) -> Resource:
    resource = call.behaviour.resource
    assert resource is not None, "a resource behaviour always carries its resource"
    return resource


def _tools(call: Call) -> SchemaTools:
    return call.twin.tools


def _check_parent(call: Call, resource: Resource) -> None:
    """A child of a missing parent is not found, when the parent is something clients create
    and the operation can say so (or the parent was deleted); otherwise the parent exists from
    first sight, as an item does in `_load`."""
    parent = resource.parent
    if parent is None or not parent.creatable or parent.id_param is None:
        return
    key = call.path_params.get(parent.id_param)
    if key is None:
        return
    stored_as = item_key(parent, call.path_params, key)
    found = call.store.get(call.session, call.twin.name, parent.collection_path, stored_as)
    if found is not None:
        return
    if declares_not_found(call.operation) or _was_deleted(call, parent, stored_as):
        raise not_found(call.operation, f"no {parent.name} with id {key!r}")
    _materialise(call, parent)


def item_key(resource: Resource, path_params: dict[str, str], key: Any) -> str:
    """Where a record is kept: its id, under its parent's ids for nested resources (issue 1
    of one repository is not issue 1 of another)."""
    parent = resource.parent_key(path_params)
    return f"{parent}/{key}" if parent else str(key)


def _key_schema(call: Call, resource: Resource) -> Any:
    return _tools(call).properties(resource.schema).get(resource.key_field)


def _load(
    call: Call, resource: Resource, *, materialise: bool = True
) -> tuple[str, dict[str, Any]]:
    """The record the item path names. Missing, it is not found when the operation can say
    so or the record was deleted (in the status `missing.not_found` picks); otherwise it exists
    from first sight (`_materialise`)."""
    _check_parent(call, resource)
    raw = call.path_params.get(resource.id_param or "", "")
    key = item_key(resource, call.path_params, raw)
    found = call.store.get(call.session, call.twin.name, resource.collection_path, key)
    if found is not None:
        return key, found
    if (
        materialise
        and not declares_not_found(call.operation)
        and not _was_deleted(call, resource, key)
    ):
        return key, _materialise(call, resource)
    raise not_found(call.operation, f"no {resource.name} with id {raw!r}")


def _tombstones(resource: Resource) -> str:
    return f"deleted:{resource.collection_path}"


def _was_deleted(call: Call, resource: Resource, key: str) -> bool:
    """Deleted is gone, even where a spec cannot say "not found"."""
    found = call.store.get(call.session, call.twin.name, _tombstones(resource), key)
    return found is not None


def create(call: Call) -> Reply:
    resource = _resource(call)
    _check_parent(call, resource)
    tools = _tools(call)
    schema = resource.schema or {}
    parent = resource.parent_key(call.path_params)
    number = call.store.next_value(
        call.session, call.twin.name, f"{resource.collection_path}|{parent}"
    )
    rng = call.rng("record", number)
    skip = _unsent_or_supplied(call, schema, resource.key_field)
    record = tools.generate_without(schema, skip, rng) if resource.schema is not None else {}
    if not isinstance(record, dict):
        record = {}
    initial_status(tools, record, schema, call.body)
    _forget_unsent(call, record, schema, resource.key_field)
    overlay(tools, record, schema, call.body)
    _adopt_parent(call, resource, record)
    key_schema = _key_schema(call, resource)
    supplied = call.body.get(resource.key_field) if isinstance(call.body, dict) else None
    fresh = (
        supplied in (None, "")  # an empty id names nothing: the server assigns one
        or not isinstance(supplied, str | int)
        or (key_schema is not None and not tools.is_valid(key_schema, supplied))
    )
    if fresh:
        record[resource.key_field] = new_key(tools, key_schema, rng, number)
    stamp(tools, record, schema, call.now, created=True)
    _fill_required(tools, record, schema, skip, rng)
    key = item_key(resource, call.path_params, record[resource.key_field])
    call.store.put(
        call.session,
        call.twin.name,
        resource.collection_path,
        key,
        parent,
        record,
        fresh=fresh,
    )
    return success(tools, call.operation, (201, 200, 202), record, rng)


def _unsent_or_supplied(call: Call, schema: Any, key_field: str) -> frozenset[str]:
    """Fields of a new record not worth drawing: those the client sent (laid over it next),
    settable optional ones it left out (a vendor leaves those unset), and what the server
    assigns anyway (the key, timestamps)."""
    sent = call.body if isinstance(call.body, dict) else {}
    plan_key = ("create-skip", call.operation.label)
    plan = _tools(call).plans.get(plan_key)
    if plan is None:
        tools = _tools(call)
        body = call.operation.request_body
        settable = (
            frozenset(tools.properties(next(iter(body.content.values())).schema))
            if body is not None and body.content
            else frozenset()
        )
        properties = frozenset(tools.properties(schema))
        optional = settable - set(_required(tools, schema)) - {key_field}
        assigned = properties & (CREATED_FIELDS | UPDATED_FIELDS | {key_field})
        plan = tools.plans[plan_key] = (properties, optional & properties, assigned)
    properties, optional, assigned = plan
    sent_fields = frozenset(name for name in sent if name in properties)
    return sent_fields | (optional - sent.keys()) | assigned


def _fill_required(
    tools: SchemaTools, record: dict[str, Any], schema: Any, skipped: frozenset[str], rng: Any
) -> None:
    """A required field left undrawn is drawn after all when nothing set it: what the client
    sent did not fit the record (request and record schemas differ), or a timestamp field has
    a shape `stamp` cannot write."""
    if not skipped:
        return
    properties = tools.properties(schema)
    for name in _required(tools, schema):
        if name in skipped and name not in record and name in properties:
            record[name] = tools.generate(properties[name], rng, name)


def _forget_unsent(call: Call, record: dict[str, Any], schema: Any, key_field: str) -> None:
    """Optional fields the client could have set but did not stay unset, as a vendor leaves
    them (null where the schema requires the field but allows null)."""
    body = call.operation.request_body
    if body is None or not body.content:
        return
    tools = _tools(call)
    sent = call.body if isinstance(call.body, dict) else {}
    settable = tools.properties(next(iter(body.content.values())).schema)
    required = set(_required(tools, schema))
    properties = tools.properties(schema)
    for name in settable.keys() - sent.keys() - {key_field}:
        if name not in record:
            continue
        if name not in required:
            del record[name]
        elif name in properties and tools.is_valid(properties[name], None):
            record[name] = None


def _adopt_parent(call: Call, resource: Resource, record: dict[str, Any]) -> None:
    """Fields named after the parent's path parameters hold the parent's id."""
    properties = _tools(call).properties(resource.schema)
    for name in resource.parent_params:
        if name in properties and name in call.path_params:
            value = coerce_key(_tools(call), properties[name], call.path_params[name])
            if _tools(call).is_valid(properties[name], value):
                record[name] = value


def read(call: Call) -> Reply:
    _, record = _load(call, _resource(call))
    return success(_tools(call), call.operation, (200,), record, call.rng("read"))


def _materialise(call: Call, resource: Resource) -> dict[str, Any]:
    """A spec with no way to say "not found" gets a record that exists from first sight."""
    tools = _tools(call)
    raw = call.path_params.get(resource.id_param or "", "")
    record = tools.generate(resource.schema or {}, call.rng("materialise", raw))
    if not isinstance(record, dict):
        record = {}
    key_value = coerce_key(tools, _key_schema(call, resource), raw)
    record[resource.key_field] = key_value
    _adopt_parent(call, resource, record)
    _save(call, resource, item_key(resource, call.path_params, raw), record)
    return record


def list_records(call: Call) -> Reply:
    resource = _resource(call)
    _check_parent(call, resource)
    tools = _tools(call)
    plan = list_plan(call)
    filters = filters_for(call.query, call.operation, tools.properties(resource.schema))
    window = window_for(call.query, plan.paging)
    parent = resource.parent_key(call.path_params)
    rows, more = _fetch(call, resource, parent, window, filters)
    total = None
    if plan.needs_total:
        total = call.store.count(
            call.session, call.twin.name, resource.collection_path, parent, filters=filters or None
        )
    page = page_of(rows, window, plan.paging, resource.key_field, total, more)
    return list_reply(call, plan, page)


def _fetch(
    call: Call, resource: Resource, parent: str, window: Window, filters: dict[str, Any]
) -> tuple[list[tuple[int, dict[str, Any]]], bool]:
    """The rows of one page (and whether more follow), asking the store for no more rows
    than the page needs."""
    store, twin = call.store, call.twin.name
    collection = resource.collection_path
    after_seq = window.after_seq
    if window.after_id is not None or window.before_id is not None:
        anchor = window.after_id if window.after_id is not None else window.before_id
        key = coerce_key(_tools(call), _key_schema(call, resource), str(anchor))
        found = store.list(
            call.session, twin, collection, parent, filters={resource.key_field: key}, limit=1
        )
        if window.before_id is not None:
            every = store.list(call.session, twin, collection, parent, filters=filters or None)
            end = next(
                (i for i, (seq, _) in enumerate(every) if found and seq == found[0][0]), len(every)
            )
            start = max(end - window.limit, 0)
            return every[start:end], end < len(every)
        after_seq = found[0][0] if found else 2**62
    wanted = window.offset + window.limit + 1
    rows = store.list(
        call.session,
        twin,
        collection,
        parent,
        after_seq=after_seq,
        limit=wanted,
        filters=filters or None,
    )
    rows = rows[window.offset :]
    return rows[: window.limit], len(rows) > window.limit


def _save(call: Call, resource: Resource, key: str, record: dict[str, Any]) -> None:
    parent = resource.parent_key(call.path_params)
    call.store.put(call.session, call.twin.name, resource.collection_path, key, parent, record)


def update(call: Call) -> Reply:
    resource = _resource(call)
    tools = _tools(call)
    key, record = _load(call, resource)
    schema = resource.schema or {}
    overlay(tools, record, schema, call.body)
    stamp(tools, record, schema, call.now, created=False)
    _save(call, resource, key, record)
    return success(tools, call.operation, (200,), record, call.rng("update"))


def replace(call: Call) -> Reply:
    """PUT replaces the client's fields; server-owned ones (key, created) stay. PUT on a
    missing item creates it when the spec says PUT can answer 201."""
    resource = _resource(call)
    tools = _tools(call)
    schema = resource.schema or {}
    try:
        key, old = _load(call, resource)
        created = False
    except NotFoundError:
        if "201" not in call.operation.responses:
            raise
        raw = call.path_params.get(resource.id_param or "", "")
        key = item_key(resource, call.path_params, raw)
        old = tools.generate(schema, call.rng("put", key)) if resource.schema else {}
        old = old if isinstance(old, dict) else {}
        old[resource.key_field] = coerce_key(tools, _key_schema(call, resource), raw)
        created = True
    record = _replaced(tools, schema, old, call.body, resource.key_field)
    stamp(tools, record, schema, call.now, created=created)
    _save(call, resource, key, record)
    return success(
        tools, call.operation, (201, 200) if created else (200,), record, call.rng("put")
    )


def _replaced(
    tools: Any, schema: Any, old: dict[str, Any], body: Any, key_field: str
) -> dict[str, Any]:
    properties = tools.properties(schema)
    kept = {
        name: value
        for name, value in old.items()
        if name == key_field
        or tools.deref(properties.get(name, {})).get("readOnly")
        or not isinstance(body, dict)
        or name not in body
        and name in _required(tools, schema)
    }
    overlay(tools, kept, schema, body)
    return kept


def _required(tools: Any, schema: Any) -> list[str]:
    required = tools.object_view(schema).get("required", [])
    return required if isinstance(required, list) else []


def delete(call: Call) -> Reply:
    resource = _resource(call)
    try:
        key, record = _load(call, resource)
    except NotFoundError:
        if declares_not_found(call.operation):
            raise
        # DELETE is idempotent: where the spec cannot say "not found", deleting what is
        # already gone succeeds again rather than borrow an error status.
        key, record = _gone(call, resource)
    call.store.delete(call.session, call.twin.name, resource.collection_path, key)
    if not declares_not_found(call.operation) and remembers_deletion(resource):
        call.store.put(call.session, call.twin.name, _tombstones(resource), key, "", {})
    status, response = pick_status(call.operation, (204, 200, 202))
    tools = _tools(call)
    rng = call.rng("delete", key)
    if status == 204 or response is None or not response.content:
        return success(tools, call.operation, (status,), None, rng)
    tombstone = {resource.key_field: record.get(resource.key_field), "deleted": True}
    for name in ("object",):
        if name in record:
            tombstone[name] = record[name]
    reply = success(tools, call.operation, (status,), None, rng)
    if isinstance(reply.body, dict):
        properties = tools.properties(_schema_of(reply, call))
        for name, value in {**record, **tombstone}.items():
            if name in properties and tools.is_valid(properties[name], value):
                reply.body[name] = value
    return reply


def _gone(call: Call, resource: Resource) -> tuple[str, dict[str, Any]]:
    """Where a deleted record was kept, and the little that is left of it: its id."""
    raw = call.path_params.get(resource.id_param or "", "")
    key_value = coerce_key(_tools(call), _key_schema(call, resource), raw)
    return item_key(resource, call.path_params, raw), {resource.key_field: key_value}


def _schema_of(reply: Reply, call: Call) -> Any:
    response = call.operation.response_for(reply.status)
    media = response.json_media() if response else None
    return media.schema if media else None


def action(call: Call) -> Reply:
    """`POST /orders/{id}/cancel`: a lifecycle step on the item, answered with the item when the
    response describes it, else with what the schema says."""
    resource = _resource(call)
    tools = _tools(call)
    key, record = _load(call, resource)
    verb = call.behaviour.action or ""
    if call.operation.method == "DELETE":
        verb = "un" + verb  # DELETE /issues/{n}/lock unlocks
    changed = apply_action(tools, resource, record, verb, call.body)
    if changed:
        stamp(tools, record, resource.schema or {}, call.now, created=False)
        _save(call, resource, key, record)
    status, response = pick_status(call.operation, (200, 201, 202, 204))
    media = response.json_media() if response else None
    rng = call.rng("action", key)
    if media is not None and tools.is_valid(media.schema, record):
        return success(tools, call.operation, (status,), record, rng)
    return success(tools, call.operation, (status,), None, rng)


def singleton(call: Call) -> Reply:
    """A path that is one thing (`/user`, `/settings`): generated once, then kept."""
    tools = _tools(call)
    scope = "singleton:" + call.operation.path
    key = "/".join(f"{k}={v}" for k, v in sorted(call.path_params.items()))
    found = call.store.get(call.session, call.twin.name, scope, key)
    status, response = pick_status(call.operation, (200,))
    media = response.json_media() if response else None
    schema = media.schema if media else None
    rng = call.rng("singleton", key)
    record = (
        found if found is not None else tools.generate(schema, rng) if schema is not None else {}
    )
    if (
        call.operation.method in ("PUT", "PATCH")
        and schema is not None
        and isinstance(record, dict)
    ):
        overlay(tools, record, schema, call.body)
        stamp(tools, record, schema, call.now, created=False)
    if call.operation.method in ("PUT", "PATCH") or found is None:
        call.store.put(call.session, call.twin.name, scope, key, "", record)
    return success(tools, call.operation, (200,), record, rng)


def generated(call: Call) -> Reply:
    """No state involved: a seeded instance of the success schema (or its example). The same
    request in the same session always gets the same answer."""
    parts = sorted(call.path_params.items())
    rng = call.rng("generated", repr(parts))
    tools = _tools(call)
    reply = success(tools, call.operation, _success_order(call), None, rng, prefer_examples=True)
    if isinstance(reply.body, dict) and isinstance(call.body, dict) and call.body:
        # What the client sent, the answer echoes where the response has room for it.
        response = call.operation.response_for(reply.status)
        media = response.json_media() if response else None
        if media is not None:
            echoed = dict(reply.body)
            overlay(tools, echoed, media.schema, call.body)
            if tools.is_valid(media.schema, echoed):
                reply.body = echoed
    return reply


def _success_order(call: Call) -> tuple[int, ...]:
    return (201, 200) if call.operation.method == "POST" else (200, 201, 202, 204)


HANDLERS: dict[str, Callable[[Call], Reply]] = {
    "create": create,
    "read": read,
    "list": list_records,
    "update": update,
    "replace": replace,
    "delete": delete,
    "action": action,
    "singleton": singleton,
    "generated": generated,
}
