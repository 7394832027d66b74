"""The `conversations.*` methods about channels themselves: create, list, info, join, invite,
members, archive. (Their messages are in `history.py`.)"""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.slack.context import Context, method, ok
from twins.catalog.slack.errors import SlackError
from twins.catalog.slack.ids import new_id
from twins.catalog.slack.paging import page_size, window
from twins.catalog.slack.seed import new_channel
from twins.catalog.slack.views import channel_view
from twins.fake import Rng

MAX_NAME = 80
LIST_PAGE, LIST_MAX = 100, 1000
MEMBERS_PAGE, MEMBERS_MAX = 100, 1000
MAX_INVITES = 1000
TYPES = frozenset({"public_channel", "private_channel", "mpim", "im"})


@method("conversations.create", writes=True)
def create(call: Call) -> Reply:
    context = Context.open(call)
    workspace = context.workspace
    name = _valid_name(context.args.text("name"))
    if workspace.channel_named(name) is not None:
        raise SlackError("name_taken")
    number = call.store.next_value(call.session, call.twin.name, "slack:channels")
    # Not `call.rng`: that differs by verb, and GET or POST must make the same channel.
    rng = Rng.derive(call.seed, call.twin.name, "slack:channel", number)
    channel_id = new_id(rng, "C")
    while workspace.channel(channel_id) is not None:  # as rare as it is, never overwrite one
        channel_id = new_id(rng, "C")
    private = context.args.flag("is_private")
    team_id = workspace.team["id"]
    channel = new_channel(channel_id, name, context.caller_id, team_id, call.now, private)
    workspace.put_channel(channel)
    workspace.add_member(channel_id, context.caller_id)
    return ok(channel=channel_view(workspace, channel, context.caller_id))


@method("conversations.list")
def list_channels(call: Call) -> Reply:
    context = Context.open(call)
    args = context.args
    types = _types(args.text("types"))
    exclude_archived = args.flag("exclude_archived")
    limit = page_size(args.number("limit"), LIST_PAGE, LIST_MAX)
    listed = [
        (seq, channel)
        for seq, channel in context.workspace.channels()
        if _listed(context, channel, types, exclude_archived)
    ]
    page, next_cursor = window(listed, lambda item: item[0], args.text("cursor"), "channel", limit)
    channels = [channel_view(context.workspace, channel, context.caller_id) for _, channel in page]
    return ok(channels=channels, response_metadata={"next_cursor": next_cursor})


@method("conversations.info")
def info(call: Call) -> Reply:
    context = Context.open(call)
    channel = context.channel()
    counted = context.args.flag("include_num_members")
    view = channel_view(context.workspace, channel, context.caller_id, num_members=counted)
    return ok(channel=view)


@method("conversations.join", writes=True)
def join(call: Call) -> Reply:
    context = Context.open(call)
    channel = context.channel()
    context.require_open(channel)
    workspace, caller = context.workspace, context.caller_id
    if workspace.is_member(channel["id"], caller):
        view = channel_view(workspace, channel, caller)
        warnings = {"warnings": ["already_in_channel"]}
        return ok(channel=view, warning="already_in_channel", response_metadata=warnings)
    if channel.get("is_private"):
        raise SlackError("method_not_supported_for_channel_type")
    workspace.add_member(channel["id"], caller)
    return ok(channel=channel_view(workspace, channel, caller))


@method("conversations.invite", writes=True)
def invite(call: Call) -> Reply:
    context = Context.open(call)
    channel = context.channel()
    context.require_open(channel)
    context.require_member(channel)
    invitees = [user.strip() for user in context.args.text("users").split(",") if user.strip()]
    if not invitees:
        raise SlackError("no_user")
    if len(invitees) > MAX_INVITES:
        raise SlackError("too_many_users")
    force = context.args.flag("force")
    accepted, refused = _invitable(context, channel["id"], invitees)
    if refused and (not force or not accepted):
        raise SlackError(refused[0]["error"], errors=refused)
    for user_id in accepted:
        context.workspace.add_member(channel["id"], user_id)
    view = channel_view(context.workspace, channel, context.caller_id)
    return ok(channel=view, errors=refused) if refused else ok(channel=view)


@method("conversations.members")
def members(call: Call) -> Reply:
    context = Context.open(call)
    channel = context.channel()
    args = context.args
    limit = page_size(args.number("limit"), MEMBERS_PAGE, MEMBERS_MAX)
    listed = context.workspace.members(channel["id"])
    page, next_cursor = window(listed, lambda item: item[0], args.text("cursor"), "member", limit)
    return ok(members=[user for _, user in page], response_metadata={"next_cursor": next_cursor})


@method("conversations.archive", writes=True)
def archive(call: Call) -> Reply:
    context = Context.open(call)
    channel = context.channel()
    if channel.get("is_general"):
        raise SlackError("cant_archive_general")
    if channel.get("is_archived"):
        raise SlackError("already_archived")
    context.require_member(channel)
    context.workspace.put_channel({**channel, "is_archived": True, "updated": int(call.now * 1000)})
    return ok()


def _valid_name(name: str) -> str:
    """Slack's rules: lower case letters, digits, hyphens and underscores; at most 80."""
    if not name.strip():
        raise SlackError("invalid_name_required")
    if len(name) > MAX_NAME:
        raise SlackError("invalid_name_maxlength")
    if not all((c.isalnum() and not c.isupper()) or c in "-_" for c in name):
        raise SlackError("invalid_name_specials")
    return name


def _types(text: str) -> frozenset[str]:
    wanted = frozenset(part.strip() for part in text.split(",") if part.strip())
    if wanted - TYPES:
        raise SlackError("invalid_types")
    return wanted or frozenset({"public_channel"})


def _listed(
    context: Context, channel: dict[str, Any], types: frozenset[str], exclude_archived: bool
) -> bool:
    if exclude_archived and channel.get("is_archived"):
        return False
    if channel.get("is_private"):
        return "private_channel" in types and context.can_see(channel)
    return "public_channel" in types


def _invitable(
    context: Context, channel_id: str, invitees: list[str]
) -> tuple[list[str], list[dict[str, Any]]]:
    """The users that can be invited, and an error for each that cannot."""
    accepted: list[str] = []
    refused: list[dict[str, Any]] = []
    for user_id in dict.fromkeys(invitees):
        user = context.workspace.user(user_id)
        if user is None or user.get("deleted"):
            error = "user_not_found"
        elif user_id == context.caller_id:
            error = "cant_invite_self"
        elif context.workspace.is_member(channel_id, user_id):
            error = "already_in_channel"
        else:
            accepted.append(user_id)
            continue
        refused.append({"user": user_id, "ok": False, "error": error})
    return accepted, refused
