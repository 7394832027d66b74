"""`conversations.history` (a channel's messages, newest first) and `conversations.replies`
(a thread: its parent, then its replies, oldest first), both paged by cursor and bounded by
`latest`, `oldest` and `inclusive`."""

from __future__ import annotations

from dataclasses import dataclass

from twins.behaviour.call import Call, Reply
from twins.catalog.slack.context import Context, method, ok
from twins.catalog.slack.errors import SlackError
from twins.catalog.slack.ids import ts_micros
from twins.catalog.slack.paging import page_size, window
from twins.catalog.slack.threads import TOMBSTONE, in_history, replies, root_of
from twins.catalog.slack.views import message_view
from twins.catalog.slack.workspace import Record

HISTORY_PAGE, HISTORY_MAX = 100, 999
REPLIES_PAGE, REPLIES_MAX = 1000, 1000
CURSOR_KIND = "next_ts"


@dataclass(frozen=True)
class Span:
    """The `oldest`..`latest` range of timestamps a read covers."""

    oldest: int | None
    latest: int | None
    inclusive: bool

    def holds(self, micros: int) -> bool:
        if self.oldest is not None and (
            micros < self.oldest or (micros == self.oldest and not self.inclusive)
        ):
            return False
        return self.latest is None or (
            micros < self.latest or (micros == self.latest and self.inclusive)
        )


@method("conversations.history")
def history(call: Call) -> Reply:
    context = Context.open(call)
    channel = context.channel()
    context.require_reader(channel)
    span = _span(context)
    shown = [
        message
        for message in context.workspace.messages(channel["id"])
        if in_history(message) and span.holds(_micros(message))
    ]
    shown.sort(key=_micros, reverse=True)
    limit = page_size(context.args.number("limit"), HISTORY_PAGE, HISTORY_MAX)
    cursor = context.args.text("cursor")
    page, next_cursor = window(shown, _micros, cursor, CURSOR_KIND, limit, descending=True)
    return _messages(context, page, next_cursor)


@method("conversations.replies")
def thread(call: Call) -> Reply:
    context = Context.open(call)
    channel = context.channel()
    context.require_reader(channel)
    ts = context.args.ts("ts")
    found = context.workspace.message(channel["id"], ts) if ts else None
    root = root_of(context.workspace, channel["id"], found) if found else None
    if root is None:
        raise SlackError("thread_not_found")
    span = _span(context)
    shown = [r for r in replies(context.workspace, channel["id"], root) if span.holds(_micros(r))]
    limit = page_size(context.args.number("limit"), REPLIES_PAGE, REPLIES_MAX)
    cursor = context.args.text("cursor")
    page, next_cursor = window(shown, _micros, cursor, CURSOR_KIND, limit)
    # The parent leads every page, as Slack shows it; a deleted one only while it has replies.
    lead = [] if root.get("subtype") == TOMBSTONE and not shown else [root]
    return _messages(context, lead + page, next_cursor)


def _messages(context: Context, page: list[Record], next_cursor: str) -> Reply:
    metadata = context.args.flag("include_all_metadata")
    return ok(
        messages=[message_view(message, metadata=metadata) for message in page],
        has_more=bool(next_cursor),
        pin_count=0,
        response_metadata={"next_cursor": next_cursor},
    )


def _span(context: Context) -> Span:
    args = context.args
    return Span(
        oldest=_bound(context, "oldest"),
        latest=_bound(context, "latest"),
        inclusive=args.flag("inclusive"),
    )


def _bound(context: Context, name: str) -> int | None:
    if name not in context.args:
        return None
    micros = ts_micros(context.args.raw(name))
    if micros is None:
        raise SlackError("invalid_ts_" + name)
    return micros


def _micros(message: Record) -> int:
    return ts_micros(message["ts"]) or 0
