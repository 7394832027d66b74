"""Stripe's lists: `{object: "list", data, has_more, url}`, newest first, paged by `limit`
(1 to 100, default 10), `starting_after` (older than that object) or `ending_before` (newer).
"""

from __future__ import annotations

from twins.behaviour.call import Call, Reply
from twins.behaviour.render import success
from twins.catalog.stripe.errors import invalid, missing
from twins.catalog.stripe.expand import expanded
from twins.catalog.stripe.kinds import Kind
from twins.catalog.stripe.objects import Obj, Objects
from twins.catalog.stripe.params import expand_paths, integer, params, text

DEFAULT_LIMIT = 10
MAX_LIMIT = 100


def list_reply(call: Call, objects: Objects, kind: Kind, items: list[Obj], url: str) -> Reply:
    """One page of `items` (newest first), as the request's paging parameters ask."""
    page, has_more = page_of(objects, kind, items, call)
    paths = []
    for path in expand_paths(call):
        if not path.startswith("data."):
            raise invalid(f"This property cannot be expanded ({path}).", "expand")
        paths.append(path.removeprefix("data."))
    body = {
        "object": "list",
        "data": [expanded(objects, item, paths) for item in page],
        "has_more": has_more,
        "url": url,
    }
    return success(call.twin.tools, call.operation, (200,), body, call.rng("list"))


def page_of(objects: Objects, kind: Kind, items: list[Obj], call: Call) -> tuple[list[Obj], bool]:
    values = params(call)
    limit = integer(values, "limit")
    if limit is None:
        limit = DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        message = f"This value must be between 1 and {MAX_LIMIT} (it is {limit})."
        raise invalid(message, "limit", "parameter_invalid_integer")
    after = text(values, "starting_after") or None
    # Stripe refuses both cursors at once; the twin pages forward, as a client sending both
    # almost always means to (its schema cannot say "one of", so clients do send both).
    before = None if after else text(values, "ending_before") or None
    if after is not None:
        start = _position(objects, kind, items, after, "starting_after") + 1
        return items[start : start + limit], start + limit < len(items)
    if before is not None:
        end = _position(objects, kind, items, before, "ending_before")
        start = max(end - limit, 0)
        return items[start:end], start > 0
    return items[:limit], len(items) > limit


def _position(objects: Objects, kind: Kind, items: list[Obj], cursor: str, param: str) -> int:
    """Where the cursor object stands among `items`: its index, or (when a filter left it
    out) the index of the first item older than it."""
    for index, item in enumerate(items):
        if item["id"] == cursor:
            return index
    if objects.get(kind, cursor) is None:
        raise missing(kind.noun, cursor, param)
    every = [item["id"] for item in objects.newest_first(kind)]
    rank = {ident: index for index, ident in enumerate(every)}
    mine = rank.get(cursor, len(every))
    older = [index for index, item in enumerate(items) if rank.get(item["id"], -1) > mine]
    first_older = older[0] if older else len(items)
    # starting_after pages from the item after the cursor; ending_before up to the cursor
    return first_older - 1 if param == "starting_after" else first_older
