"""Threads: a parent message carries its thread's summary (reply_count, reply_users,
latest_reply); each reply carries `thread_ts`, its parent's ts. A reply broadcast to the
channel (`reply_broadcast`) is a `thread_broadcast` and shows in the channel's history too."""

from __future__ import annotations

from twins.catalog.slack.ids import ts_micros
from twins.catalog.slack.workspace import Record, Workspace

BROADCAST = "thread_broadcast"
TOMBSTONE = "tombstone"
# What a parent carries about its thread.
SUMMARY = ("thread_ts", "reply_count", "reply_users", "reply_users_count", "latest_reply")


def is_reply(message: Record) -> bool:
    thread = message.get("thread_ts")
    return thread is not None and thread != message["ts"]


def in_history(message: Record) -> bool:
    """Channel history shows top-level messages and broadcast replies, not other replies."""
    return not is_reply(message) or message.get("subtype") == BROADCAST


def root_of(workspace: Workspace, channel_id: str, message: Record) -> Record | None:
    """The thread's parent: the message itself unless it is a reply."""
    if not is_reply(message):
        return message
    return workspace.message(channel_id, str(message["thread_ts"]))


def replies(workspace: Workspace, channel_id: str, root: Record) -> list[Record]:
    """The thread's replies, oldest first."""
    found = [
        message
        for message in workspace.messages(channel_id)
        if message.get("thread_ts") == root["ts"] and message["ts"] != root["ts"]
    ]
    return sorted(found, key=lambda message: ts_micros(message["ts"]) or 0)


def count_reply(root: Record, reply: Record) -> Record:
    """The parent once `reply` is posted to its thread."""
    users = list(root.get("reply_users", []))
    if reply["user"] not in users:
        users.append(reply["user"])
    return {
        **root,
        "thread_ts": root["ts"],
        "reply_count": int(root.get("reply_count", 0)) + 1,
        "reply_users": users,
        "reply_users_count": len(users),
        "latest_reply": reply["ts"],
    }


def recount(workspace: Workspace, channel_id: str, root: Record) -> Record | None:
    """The parent once a reply is gone; None when it was a deleted message kept only for
    its thread and the thread is now empty."""
    remaining = replies(workspace, channel_id, root)
    if not remaining:
        if root.get("subtype") == TOMBSTONE:
            return None
        return {key: value for key, value in root.items() if key not in SUMMARY}
    users = list(dict.fromkeys(str(reply["user"]) for reply in remaining))
    return {
        **root,
        "reply_count": len(remaining),
        "reply_users": users,
        "reply_users_count": len(users),
        "latest_reply": remaining[-1]["ts"],
    }


def tombstone(root: Record) -> Record:
    """What stays of a deleted parent while its thread has replies, as Slack shows it."""
    summary: Record = {key: root[key] for key in SUMMARY if key in root}
    return {
        "type": "message",
        "subtype": TOMBSTONE,
        "text": "This message was deleted.",
        "user": "USLACKBOT",
        "hidden": True,
        "ts": root["ts"],
        **summary,
    }
