"""Replies of the GitHub pack: bodies kept to the operation's response schema, and GitHub's
page-number pagination with its `Link` header.

Handlers build GitHub's objects in full; `conform` leaves a body that already fits its schema
untouched, and only fills gaps when the twin serves a spec that asks for more (the published
spec has fields this twin does not model).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from twins.behaviour.call import Call, Reply
from twins.behaviour.records import conform
from twins.behaviour.render import body_media
from twins.behaviour.schema_tools import SchemaTools

T = TypeVar("T")
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100


def ok(call: Call, value: Any, status: int = 200) -> Reply:
    """`value` as the operation's `status` reply, shaped to its schema."""
    response = call.operation.response_for(status)
    media_type, schema = body_media(response)
    if schema is not None:
        value = _conformed(call.twin.tools, value, schema, call)
    return Reply(status, value, media_type or "application/json")


def no_content() -> Reply:
    return Reply(204, None, None)


def _conformed(tools: SchemaTools, value: Any, schema: Any, call: Call) -> Any:
    """Lists conform item by item, so one odd item never replaces the page."""
    if isinstance(value, list):
        items = tools.deref(schema).get("items")
        if items is None or tools.is_valid(schema, value):
            return value
        return [conform(tools, item, items, call.rng("conform", i)) for i, item in enumerate(value)]
    return conform(tools, value, schema, call.rng("conform"))


def page_numbers(call: Call) -> tuple[int, int]:
    """(per_page, page) as GitHub reads them: out-of-range values fall back, never fail."""
    per_page = call.query.get("per_page")
    page = call.query.get("page")
    per_page = per_page if isinstance(per_page, int) and per_page > 0 else DEFAULT_PER_PAGE
    page = page if isinstance(page, int) and page > 0 else 1
    return min(per_page, MAX_PER_PAGE), page


def paginated(call: Call, items: Sequence[T], render: Callable[[T], Any]) -> Reply:
    """One page of `items` (already filtered and sorted), with `Link: <...>; rel="next"`..."""
    per_page, page = page_numbers(call)
    last = max(1, -(-len(items) // per_page))
    window = items[(page - 1) * per_page : page * per_page]
    reply = ok(call, [render(item) for item in window])
    link = _link_header(call, page, last)
    if link:
        reply.headers.append(("Link", link))
    return reply


def _link_header(call: Call, page: int, last: int) -> str:
    wanted: list[tuple[str, int]] = []
    if page < last:
        wanted += [("next", page + 1), ("last", last)]
    if page > 1:
        wanted += [("prev", min(page - 1, last)), ("first", 1)]
    return ", ".join(f'<{_page_url(call, number)}>; rel="{rel}"' for rel, number in wanted)


def _page_url(call: Call, page: int) -> str:
    """This request's URL at another page. Headers are not rewritten like bodies, so the link
    is built on the twin's own URL for this session."""
    path = call.operation.path
    for name, value in call.path_params.items():
        path = path.replace("{" + name + "}", quote(value, safe="/"))
    query = [(k, _query_text(v)) for k, v in call.query.items() if k != "page" and v is not None]
    query.append(("page", str(page)))
    return f"{call.base_url}{call.twin.spec.base_path}{path}?{urlencode(query)}"


def _query_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)
