"""Infer resources from paths and schemas: what each operation *does* to state.

`/v1/customers` + `/v1/customers/{customer}` make one resource, `customers`: POST on the
collection creates, GET lists, GET/PATCH/PUT/POST on the item read and update, DELETE deletes.
`/repos/{owner}/{repo}/issues` is nested: its records are kept per parent. A literal segment after
an item path (`POST /orders/{id}/cancel`) is an action on that item. Everything else is answered
from the schema alone ("generated").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from twins.spec.model import Operation, Schema, Spec
from twins.spec.schemas import array_items, deref, object_view, properties_of

Kind = Literal[
    "create", "read", "list", "update", "replace", "delete", "action", "singleton", "generated"
]

_BARE_PARAM = re.compile(r"^\{([^{}]+)\}$")
_LIST_KEYS = ("data", "items", "results", "records", "values", "entries", "elements", "list")


@dataclass(eq=False)
class Resource:
    name: str  # "customers"
    collection_path: str  # "/v1/customers"; the identity of the resource type
    item_path: str | None  # "/v1/customers/{customer}"
    id_param: str | None  # "customer"
    key_field: str  # the record field holding the id: "id", "name", "number", ...
    parent_params: tuple[str, ...]  # path parameters of the collection path, in order
    parent: Resource | None = None  # the resource whose item path the collection lives under
    schema: Schema | None = None  # a representative record schema
    creatable: bool = False
    operations: dict[str, Operation] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return f"Resource({self.name!r}, {self.collection_path!r}, item={self.item_path!r})"

    def parent_key(self, path_params: dict[str, str]) -> str:
        return "/".join(path_params.get(name, "") for name in self.parent_params)


@dataclass(frozen=True)
class Behaviour:
    kind: Kind
    resource: Resource | None = None
    action: str | None = None  # the verb of an action: "cancel", "lock", ...


@dataclass
class ResourceModel:
    resources: list[Resource]
    behaviours: dict[str, Behaviour]  # by operation label

    def behaviour(self, operation: Operation) -> Behaviour:
        return self.behaviours.get(operation.label, Behaviour("generated"))


def _segments(path: str) -> list[str]:
    return path.strip("/").split("/") if path.strip("/") else []


def _bare_param(segment: str) -> str | None:
    found = _BARE_PARAM.match(segment)
    return found.group(1) if found else None


def _params_in(path: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\{([^{}]+)\}", path))


def success_schema(operation: Operation) -> Schema | None:
    response = operation.success_response()
    media = response.json_media() if response else None
    return media.schema if media else None


def list_items_schema(document: dict[str, Any], schema: Schema | None) -> Schema | None:
    """The item schema of a list response: a bare array or an envelope holding one."""
    if schema is None:
        return None
    items = array_items(document, schema)
    if items is not None:
        return items
    array_field = list_field(document, schema)
    if array_field is None:
        return None
    return array_items(document, properties_of(document, schema)[array_field])


def list_field(document: dict[str, Any], schema: Schema) -> str | None:
    """The property of an envelope that carries the page of records."""
    properties = properties_of(document, schema)
    arrays = [name for name, sub in properties.items() if array_items(document, sub) is not None]
    if not arrays:
        return None
    for preferred in _LIST_KEYS:
        if preferred in arrays:
            return preferred
    return arrays[0] if len(arrays) == 1 else None


def _key_field(document: dict[str, Any], schema: Schema | None, param: str | None) -> str:
    properties = properties_of(document, schema) if schema is not None else {}
    if param is None:
        return "id" if "id" in properties or not properties else next(iter(properties))
    for candidate in (param, "_" + param, param.lstrip("_")):
        if candidate in properties:
            return candidate
    lowered = param.lower()
    for suffix in ("_id", "id", "_number", "number", "_name", "name", "_key", "key"):
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            stem = suffix.lstrip("_")
            if stem in properties:
                return stem
    for candidate in ("id", "_id", "uuid", "number", "key", "slug", "name"):
        if candidate in properties:
            return candidate
    return "id"


def infer_resources(spec: Spec) -> ResourceModel:
    """Group the spec's operations into resources and decide each operation's behaviour."""
    document = spec.document
    by_path: dict[str, dict[str, Operation]] = {}
    for operation in spec.operations:
        by_path.setdefault(operation.path, {})[operation.method] = operation

    item_paths: dict[str, str] = {}  # collection path -> item path
    for path in by_path:
        segments = _segments(path)
        if segments and _bare_param(segments[-1]) and len(segments) > 1:
            item_paths.setdefault("/" + "/".join(segments[:-1]), path)

    resources: dict[str, Resource] = {}
    for collection, methods in by_path.items():
        segments = _segments(collection)
        if not segments or _bare_param(segments[-1]) is not None:
            continue
        lists = "GET" in methods and list_items_schema(document, success_schema(methods["GET"]))
        # A POST that leaves nothing to read back (`POST /chat.postMessage`, or
        # `POST /orders/{id}/cancel`, an action) is no collection: only a list or an item
        # path below makes one.
        if lists or collection in item_paths:
            resources[collection] = _new_resource(document, collection, item_paths, by_path)
    for collection in item_paths:
        if collection not in resources:
            resources[collection] = _new_resource(document, collection, item_paths, by_path)

    for resource in resources.values():
        resource.parent = _find_parent(resource, resources)

    behaviours: dict[str, Behaviour] = {}
    for path, methods in by_path.items():
        for method, operation in methods.items():
            behaviour = _classify(document, path, method, operation, resources, by_path)
            behaviours[operation.label] = behaviour
            if behaviour.resource is not None:
                behaviour.resource.operations[operation.label] = operation
                if behaviour.kind == "create":
                    behaviour.resource.creatable = True
    return ResourceModel(list(resources.values()), behaviours)


def _new_resource(
    document: dict[str, Any],
    collection: str,
    item_paths: dict[str, str],
    by_path: dict[str, dict[str, Operation]],
) -> Resource:
    item = item_paths.get(collection)
    id_param = _bare_param(_segments(item)[-1]) if item else None
    schema = _record_schema(document, collection, item, by_path)
    literals = [s for s in _segments(collection) if _bare_param(s) is None]
    return Resource(
        name=literals[-1] if literals else collection,
        collection_path=collection,
        item_path=item,
        id_param=id_param,
        key_field=_key_field(document, schema, id_param),
        parent_params=_params_in(collection),
        schema=schema,
    )


def _record_schema(
    document: dict[str, Any],
    collection: str,
    item: str | None,
    by_path: dict[str, dict[str, Operation]],
) -> Schema | None:
    """The richest description of one record: GET item, else create, else list items."""
    if item and "GET" in by_path.get(item, {}):
        schema = success_schema(by_path[item]["GET"])
        if schema is not None and object_view(document, schema).get("properties"):
            return schema
    create = by_path.get(collection, {}).get("POST")
    if create is not None:
        schema = success_schema(create)
        if schema is not None and object_view(document, schema).get("properties"):
            return schema
    listing = by_path.get(collection, {}).get("GET")
    if listing is not None:
        return list_items_schema(document, success_schema(listing))
    return None


def _find_parent(resource: Resource, resources: dict[str, Resource]) -> Resource | None:
    """The resource whose item path is the longest prefix of this collection path."""
    segments = _segments(resource.collection_path)
    for cut in range(len(segments) - 1, 0, -1):
        prefix = "/" + "/".join(segments[:cut])
        for candidate in resources.values():
            if candidate is not resource and candidate.item_path == prefix:
                return candidate
    return None


def _classify(
    document: dict[str, Any],
    path: str,
    method: str,
    operation: Operation,
    resources: dict[str, Resource],
    by_path: dict[str, dict[str, Operation]],
) -> Behaviour:
    if path in resources:
        resource = resources[path]
        if method == "POST":
            return Behaviour("create", resource)
        if method == "GET" and list_items_schema(document, success_schema(operation)) is not None:
            return Behaviour("list", resource)
        return Behaviour("generated", resource)
    for resource in resources.values():
        if resource.item_path == path:
            kind: dict[str, Kind] = {
                "GET": "read",
                "HEAD": "read",
                "PATCH": "update",
                "POST": "update",
                "PUT": "replace",
                "DELETE": "delete",
            }
            return Behaviour(kind.get(method, "generated"), resource)
    segments = _segments(path)
    if len(segments) >= 2 and _bare_param(segments[-1]) is None:
        owner = "/" + "/".join(segments[:-1])
        for resource in resources.values():
            if resource.item_path == owner and method != "GET":
                return Behaviour("action", resource, action=segments[-1])
    if (
        method in ("GET", "PUT", "PATCH")
        and not _params_tail(path)
        and {"PUT", "PATCH"} & set(by_path.get(path, {}))
        and "GET" in by_path.get(path, {})
    ):
        schema = success_schema(operation)
        if schema is not None and deref(document, schema).get("type") != "array":
            return Behaviour("singleton")
    return Behaviour("generated")


def _params_tail(path: str) -> bool:
    segments = _segments(path)
    return bool(segments) and _bare_param(segments[-1]) is not None
