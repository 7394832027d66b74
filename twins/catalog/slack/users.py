"""`auth.test` and the `users.*` methods: who the token is, and the people of the workspace."""

from __future__ import annotations

from twins.behaviour.call import Call, Reply
from twins.catalog.slack.context import Context, method, ok
from twins.catalog.slack.errors import SlackError
from twins.catalog.slack.paging import page_size, window

USERS_PAGE, USERS_MAX = 1000, 1000
MAX_EMAIL = 254  # longer is no address (RFC 5321)


@method("auth.test")
def auth_test(call: Call) -> Reply:
    context = Context.open(call)
    team, caller = context.workspace.team, context.caller
    fields = {
        "url": team["url"],
        "team": team["name"],
        "user": caller["name"],
        "team_id": team["id"],
        "user_id": caller["id"],
    }
    if context.is_bot:
        fields["bot_id"] = team["bot_id"]
    return ok(**fields, is_enterprise_install=False)


@method("users.list")
def users_list(call: Call) -> Reply:
    context = Context.open(call)
    args = context.args
    limit = page_size(args.number("limit"), USERS_PAGE, USERS_MAX)
    users = context.workspace.users()
    page, next_cursor = window(users, lambda item: item[0], args.text("cursor"), "user", limit)
    return ok(
        members=[user for _, user in page],
        cache_ts=int(call.now),
        response_metadata={"next_cursor": next_cursor},
    )


@method("users.info")
def users_info(call: Call) -> Reply:
    context = Context.open(call)
    user = context.workspace.user(context.args.text("user").strip())
    if user is None:
        raise SlackError("user_not_found")
    return ok(user=user)


@method("users.lookupByEmail")
def users_lookup_by_email(call: Call) -> Reply:
    context = Context.open(call)
    email = context.args.text("email").strip().lower()
    if not email or len(email) > MAX_EMAIL:
        raise SlackError("users_not_found")
    for _, user in context.workspace.users():
        if str(user["profile"].get("email", "")).lower() == email and not user["deleted"]:
            return ok(user=user)
    raise SlackError("users_not_found")
