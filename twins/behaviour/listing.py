"""Rendering one page of records in the list shape the operation declares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from twins.behaviour.call import Call, Reply
from twins.behaviour.pagination import Page, Paging, paging_for
from twins.behaviour.records import conform
from twins.behaviour.render import pick_status, response_headers
from twins.spec.model import Response, Schema
from twins.spec.resources import list_field, list_items_schema, success_schema
from twins.spec.schemas import array_items, properties_of

HAS_MORE = ("has_more", "hasMore", "has_next", "hasNext", "more", "has_next_page")
TOTALS = (
    "total_count",
    "total",
    "totalCount",
    "count",
    "total_results",
    "totalResults",
    "totalItems",
    "total_items",
    "size",
)
NEXT_CURSORS = (
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "cursor",
    "next_token",
    "nextToken",
    "continuation_token",
    "next_marker",
)
NEXT_LINKS = ("next", "next_url", "nextUrl", "next_page_url", "next_link", "nextLink")


@dataclass(frozen=True)
class ListPlan:
    """Everything about a list operation that does not change between requests."""

    paging: Paging
    status: int
    response: Response | None
    schema: Schema | None
    item_schema: Schema | None
    bare: bool  # the body is the array itself
    list_field: str | None
    envelope_schema: Schema | None  # the envelope without its array, for generation
    envelope_properties: dict[str, Schema]
    link: bool  # the response declares a Link header
    needs_total: bool  # something in the reply reports the total count


def list_plan(call: Call) -> ListPlan:
    tools = call.twin.tools
    key = ("list", call.operation.label)
    found = tools.plans.get(key)
    if found is None:
        found = tools.plans[key] = _make_plan(call)
    return cast(ListPlan, found)


def _make_plan(call: Call) -> ListPlan:
    tools = call.twin.tools
    document = tools.document
    status, response = pick_status(call.operation, (200,))
    schema = success_schema(call.operation)
    bare = schema is None or array_items(document, schema) is not None
    field = None if bare or schema is None else list_field(document, schema)
    properties = {} if bare or schema is None else properties_of(document, schema)
    envelope_schema = None
    if not bare and schema is not None:
        view = dict(tools.object_view(schema))
        view["properties"] = {k: v for k, v in properties.items() if k != field}
        view["required"] = [r for r in view.get("required", []) if r != field]
        view.pop("allOf", None)
        envelope_schema = view
    link = response is not None and any(name.lower() == "link" for name in response.headers)
    return ListPlan(
        paging=paging_for(call.operation),
        status=status,
        response=response,
        schema=schema,
        item_schema=list_items_schema(document, schema),
        bare=bare,
        list_field=field,
        envelope_schema=envelope_schema,
        envelope_properties=properties,
        link=link,
        needs_total=link or any(name in properties for name in TOTALS),
    )


def list_reply(call: Call, plan: ListPlan, page: Page) -> Reply:
    tools = call.twin.tools
    rng = call.rng("list")
    items = [conform(tools, record, plan.item_schema, rng) for _, record in page.records]
    headers = response_headers(tools, plan.response, rng)
    if plan.link:
        link = link_header(call, page)
        if link:
            headers.append(("Link", link))
    if plan.bare or plan.schema is None or plan.envelope_schema is None:
        return Reply(plan.status, items, "application/json", headers)
    envelope = tools.generate(plan.envelope_schema, rng)
    if not isinstance(envelope, dict):
        envelope = {}
    if plan.list_field is not None:
        envelope[plan.list_field] = items
    _fill_envelope(call, envelope, plan.envelope_properties, page)
    if not tools.is_valid(plan.schema, envelope):
        envelope = conform(tools, envelope, plan.schema, rng)
    return Reply(plan.status, envelope, "application/json", headers)


def _fill_envelope(
    call: Call, envelope: dict[str, Any], properties: dict[str, Any], page: Page
) -> None:
    tools = call.twin.tools

    def put(name: str, value: Any) -> None:
        if name in properties and tools.is_valid(properties[name], value):
            envelope[name] = value

    for name in HAS_MORE:
        put(name, page.has_more)
    for name in TOTALS:
        put(name, page.total)
    for name in NEXT_CURSORS:
        if page.next_cursor is not None:
            put(name, page.next_cursor)
        elif name in properties:
            put(name, "")
            put(name, None)  # the end of the list is null where the schema allows it
    for name in NEXT_LINKS:
        url = _page_url(call, page.next_query) if page.next_query else None
        put(name, url)
    path = call.twin.spec.base_path + _concrete_path(call)
    put("url", path)
    if envelope.get("url") != path:
        put("url", call.base_url + path)  # Stripe's list `url` is the path alone
    put("object", "list")
    put("limit", page.limit)
    put("offset", page.offset)
    put("per_page", page.limit)
    if "response_metadata" in properties:  # Slack puts its cursor one level down
        metadata = envelope.get("response_metadata")
        if isinstance(metadata, dict):
            metadata["next_cursor"] = page.next_cursor or ""
            if not tools.is_valid(properties["response_metadata"], metadata):
                metadata.pop("next_cursor", None)


def _concrete_path(call: Call) -> str:
    path = call.operation.path
    for name, value in call.path_params.items():
        path = path.replace("{" + name + "}", value)
    return path


def _page_url(call: Call, changes: dict[str, str] | None) -> str:
    query = {k: v for k, v in call.query.items() if isinstance(v, str | int | float)}
    query.update(changes or {})
    base = call.base_url + call.twin.spec.base_path + _concrete_path(call)
    return f"{base}?{urlencode(query)}" if query else base


def link_header(call: Call, page: Page) -> str:
    """RFC 8288 links to the neighbouring pages, as GitHub sends them."""
    links = []
    if page.next_query:
        links.append(f'<{_page_url(call, page.next_query)}>; rel="next"')
    if page.last_query and page.has_more:
        links.append(f'<{_page_url(call, page.last_query)}>; rel="last"')
    if page.prev_query:
        links.append(f'<{_page_url(call, page.prev_query)}>; rel="prev"')
        links.append(f'<{_page_url(call, _first_query(page.prev_query))}>; rel="first"')
    return ", ".join(links)


def _first_query(changes: dict[str, str]) -> dict[str, str]:
    return {name: ("1" if name.startswith("page") else "0") for name in changes}
