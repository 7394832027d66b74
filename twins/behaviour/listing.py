"""Rendering one page of records in the list shape the operation declares."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from twins.behaviour.call import Call, Reply
from twins.behaviour.pagination import Page
from twins.behaviour.records import conform
from twins.behaviour.render import pick_status, response_headers
from twins.spec.resources import Resource, list_field, list_items_schema, success_schema
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


def list_reply(call: Call, resource: Resource, page: Page) -> Reply:
    tools = call.twin.tools
    document = tools.document
    status, response = pick_status(call.operation, (200,))
    schema = success_schema(call.operation)
    item_schema = list_items_schema(document, schema)
    rng = call.rng("list")
    items = [conform(tools, record, item_schema, rng) for _, record in page.records]
    headers = response_headers(tools, response, rng)
    if response is not None and any(name.lower() == "link" for name in response.headers):
        link = link_header(call, page)
        if link:
            headers.append(("Link", link))
    if schema is None:
        return Reply(status, items, "application/json", headers)
    if array_items(document, schema) is not None:
        return Reply(status, items, "application/json", headers)
    envelope = tools.generate(schema, rng)
    if not isinstance(envelope, dict):
        envelope = {}
    field = list_field(document, schema)
    if field is not None:
        envelope[field] = items
    _fill_envelope(call, envelope, properties_of(document, schema), page)
    if not tools.is_valid(schema, envelope):
        envelope = conform(tools, envelope, schema, rng)
    return Reply(status, envelope, "application/json", headers)


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
        put(name, page.next_cursor if page.next_cursor else "")
        if name in envelope and page.next_cursor is None and envelope.get(name) != "":
            put(name, None)
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
