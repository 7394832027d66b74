"""Records as a caller sees them: a channel says whether you are in it and how many are."""

from __future__ import annotations

from twins.catalog.slack.workspace import Record, Workspace


def channel_view(
    workspace: Workspace, channel: Record, caller_id: str, *, num_members: bool = True
) -> Record:
    view = dict(channel)
    view["is_member"] = workspace.is_member(channel["id"], caller_id)
    if num_members:
        view["num_members"] = workspace.member_count(channel["id"])
    return view


def message_view(message: Record, *, metadata: bool = True) -> Record:
    """A message as methods return it; its metadata only when it was asked for."""
    if metadata or "metadata" not in message:
        return message
    return {key: value for key, value in message.items() if key != "metadata"}
