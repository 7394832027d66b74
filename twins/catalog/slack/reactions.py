"""`reactions.add`, `reactions.remove` and `reactions.get`: emoji reactions on messages.

A message keeps its reactions as Slack shows them: `[{"name", "users", "count"}]`, in the
order they were first added. Files are not twinned: naming one is `file_not_found`.
"""

from __future__ import annotations

import re

from twins.behaviour.call import Call, Reply
from twins.catalog.slack.context import Context, method, ok
from twins.catalog.slack.errors import SlackError
from twins.catalog.slack.threads import TOMBSTONE
from twins.catalog.slack.views import message_view
from twins.catalog.slack.workspace import Record

MAX_REACTIONS = 50  # distinct reactions on one message (Slack's too_many_reactions)
_EMOJI = re.compile(r"^[a-z0-9_+'\-]{1,100}(::skin-tone-[2-6])?$")


@method("reactions.add", writes=True)
def add(call: Call) -> Reply:
    context = Context.open(call)
    channel, message = _target(context)
    context.require_open(channel)
    name = _emoji(context)
    reactions = [dict(reaction) for reaction in message.get("reactions", [])]
    found = next((r for r in reactions if r["name"] == name), None)
    if found is None:
        if len(reactions) >= MAX_REACTIONS:
            raise SlackError("too_many_reactions")
        reactions.append({"name": name, "users": [context.caller_id], "count": 1})
    elif context.caller_id in found["users"]:
        raise SlackError("already_reacted")
    else:
        found["users"] = [*found["users"], context.caller_id]
        found["count"] = len(found["users"])
    context.workspace.put_message(channel["id"], {**message, "reactions": reactions})
    return ok()


@method("reactions.remove", writes=True)
def remove(call: Call) -> Reply:
    context = Context.open(call)
    channel, message = _target(context)
    name = _emoji(context)
    reactions: list[Record] = []
    removed = False
    for reaction in message.get("reactions", []):
        if reaction["name"] == name and context.caller_id in reaction["users"]:
            removed = True
            users = [user for user in reaction["users"] if user != context.caller_id]
            if users:
                reactions.append({**reaction, "users": users, "count": len(users)})
        else:
            reactions.append(reaction)
    if not removed:
        raise SlackError("no_reaction")
    changed = {key: value for key, value in message.items() if key != "reactions"}
    if reactions:
        changed["reactions"] = reactions
    context.workspace.put_message(channel["id"], changed)
    return ok()


@method("reactions.get")
def get(call: Call) -> Reply:
    context = Context.open(call)
    channel, message = _target(context)
    return ok(type="message", channel=channel["id"], message=message_view(message))


def _target(context: Context) -> tuple[Record, Record]:
    """The message the arguments name (`channel` + `timestamp`)."""
    args = context.args
    if "channel" not in args and "timestamp" not in args:
        if "file" in args or "file_comment" in args:
            raise SlackError("file_not_found")
        raise SlackError("no_item_specified")
    channel = context.channel()
    ts = args.ts("timestamp")
    if ts is None:
        raise SlackError("bad_timestamp")
    message = context.workspace.message(channel["id"], ts)
    if message is None or message.get("subtype") == TOMBSTONE:
        raise SlackError("message_not_found")
    return channel, message


def _emoji(context: Context) -> str:
    name = context.args.text("name").strip().strip(":")
    if not _EMOJI.match(name):
        raise SlackError("invalid_name")
    return name
