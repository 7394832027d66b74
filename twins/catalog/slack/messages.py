"""`chat.postMessage`, `chat.update` and `chat.delete`: messages and thread replies."""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.slack.content import content_of
from twins.catalog.slack.context import Context, method, ok
from twins.catalog.slack.errors import SlackError
from twins.catalog.slack.ids import next_ts, ts_micros, ts_text
from twins.catalog.slack.threads import (
    BROADCAST,
    TOMBSTONE,
    count_reply,
    is_reply,
    recount,
    replies,
    root_of,
    tombstone,
)
from twins.catalog.slack.workspace import Record


@method("chat.postMessage", writes=True)
def post_message(call: Call) -> Reply:
    context = Context.open(call)
    channel = _destination(context)
    context.require_open(channel)
    context.require_member(channel)
    content = content_of(context.args)
    if content.empty:
        raise SlackError("no_text")
    workspace = context.workspace
    root = _thread_root(context, channel["id"])
    message: Record = {
        "user": context.caller_id,
        "type": "message",
        "ts": workspace.new_ts(channel["id"]),
        "text": "",
        **content.fields(),
        **_author(context),
        "team": workspace.team["id"],
    }
    if root is not None:
        message["thread_ts"] = root["ts"]
        message["parent_user_id"] = root["user"]
        if context.args.flag("reply_broadcast"):
            message["subtype"] = BROADCAST
        workspace.put_message(channel["id"], count_reply(root, message))
    workspace.put_message(channel["id"], message)
    return ok(channel=channel["id"], ts=message["ts"], message=message)


@method("chat.update", writes=True)
def update(call: Call) -> Reply:
    context = Context.open(call)
    channel = context.channel()
    message = _own_message(context, channel["id"], "cant_update_message")
    context.require_open(channel)
    content = content_of(context.args)
    if content.empty:
        raise SlackError("no_text")
    edited_at = ts_text(next_ts(call.now, ts_micros(message["ts"]) or 0))
    edited = {"user": context.caller_id, "ts": edited_at}
    updated = {**message, **content.fields(), "edited": edited}
    context.workspace.put_message(channel["id"], updated)
    return ok(channel=channel["id"], ts=updated["ts"], text=updated["text"], message=updated)


@method("chat.delete", writes=True)
def delete(call: Call) -> Reply:
    context = Context.open(call)
    channel = context.channel()
    message = _own_message(context, channel["id"], "cant_delete_message")
    workspace = context.workspace
    if is_reply(message):
        workspace.delete_message(channel["id"], message["ts"])
        root = root_of(workspace, channel["id"], message)
        if root is not None:
            _put_or_drop(context, channel["id"], root, recount(workspace, channel["id"], root))
    elif replies(workspace, channel["id"], message):
        workspace.put_message(channel["id"], tombstone(message))
    else:
        workspace.delete_message(channel["id"], message["ts"])
    return ok(channel=channel["id"], ts=message["ts"])


def _destination(context: Context) -> Record:
    """chat.postMessage takes a channel's ID or its name (`#general` or `general`)."""
    named = context.args.text("channel").strip()
    channel = context.workspace.channel(named)
    if channel is None and named:
        channel = context.workspace.channel_named(named.removeprefix("#"))
    if channel is None or not context.can_see(channel):
        raise SlackError("channel_not_found")
    return channel


def _thread_root(context: Context, channel_id: str) -> Record | None:
    """The parent of the thread a reply goes to; a reply's ts leads to its own parent."""
    if "thread_ts" not in context.args:
        return None
    ts = context.args.ts("thread_ts")
    found = context.workspace.message(channel_id, ts) if ts else None
    root = root_of(context.workspace, channel_id, found) if found else None
    if root is None or root.get("subtype") == TOMBSTONE:
        raise SlackError("thread_not_found")
    return root


def _author(context: Context) -> dict[str, Any]:
    """What a bot's message says about who posted it (and how it looks, if customised)."""
    if not context.is_bot:
        return {}
    fields: dict[str, Any] = {"bot_id": context.workspace.team["bot_id"]}
    args = context.args
    if "username" in args:
        fields["username"] = args.text("username")
    if "icon_emoji" in args:
        fields["icons"] = {"emoji": args.text("icon_emoji")}
    elif "icon_url" in args:
        fields["icons"] = {"image_64": args.text("icon_url")}
    return fields


def _own_message(context: Context, channel_id: str, refusal: str) -> Record:
    """The message `ts` names, if the caller may change it: their own, or anyone's for a
    workspace admin acting with a user token."""
    ts = context.args.ts("ts")
    message = context.workspace.message(channel_id, ts) if ts else None
    if message is None or message.get("subtype") == TOMBSTONE:
        raise SlackError("message_not_found")
    admin = bool(context.caller.get("is_admin")) and not context.is_bot
    if message.get("user") != context.caller_id and not admin:
        raise SlackError(refusal)
    return message


def _put_or_drop(context: Context, channel_id: str, old: Record, new: Record | None) -> None:
    if new is None:
        context.workspace.delete_message(channel_id, old["ts"])
    else:
        context.workspace.put_message(channel_id, new)
