"""What every Slack method starts from: its arguments, the workspace, and who is calling.

A token acts as a user of the session's workspace: `xoxp-` tokens as its owner (a person),
every other token as the app's bot user. Any token is accepted here: which tokens are valid,
and with which scopes, is the authentication stage's business (its refusals are answered
`invalid_auth` and `missing_scope`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.pack import Handler, Routes
from twins.catalog.slack.errors import SlackError
from twins.catalog.slack.ids import normal_ts
from twins.catalog.slack.workspace import Record, Workspace

ROUTES = Routes()
USER_TOKEN_PREFIX = "xoxp-"


def method(name: str, *, writes: bool = False) -> Callable[[Handler], Handler]:
    """Register a handler for a Slack method, taken as GET or POST alike. A method that
    `writes` runs in one transaction even as a GET (the server opens one only for other verbs)."""

    def register(handler: Handler) -> Handler:
        return ROUTES(f"GET /{name}", f"POST /{name}")(_atomic(handler) if writes else handler)

    return register


def _atomic(handler: Handler) -> Handler:
    @functools.wraps(handler)
    def atomic(call: Call) -> Reply:
        with call.store.transaction():
            return handler(call)

    return atomic


def ok(**fields: Any) -> Reply:
    return Reply(200, {"ok": True, **fields})


class Arguments:
    """A method's arguments, from the query and the body, already typed by the spec."""

    def __init__(self, call: Call) -> None:
        body = call.body if isinstance(call.body, dict) else {}
        self._values: dict[str, Any] = {**call.query, **body}

    def __contains__(self, name: str) -> bool:
        return self._values.get(name) not in (None, "")

    def raw(self, name: str) -> Any:
        return self._values.get(name)

    def text(self, name: str) -> str:
        """The argument as text; "" when it was not sent."""
        value = self._values.get(name)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return value if isinstance(value, str) else str(value)

    def flag(self, name: str, default: bool = False) -> bool:
        value = self._values.get(name)
        if isinstance(value, bool):
            return value
        if value is None or value == "":
            return default
        return str(value).strip().lower() in ("1", "true")

    def number(self, name: str) -> int | None:
        value = self._values.get(name)
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip()) if value not in (None, "") else None
        except ValueError:
            raise SlackError("invalid_limit" if name == "limit" else "invalid_arguments") from None

    def ts(self, name: str) -> str | None:
        """A timestamp argument in Slack's six-decimal form; None when absent or not one."""
        return normal_ts(self._values.get(name))


@dataclass
class Context:
    call: Call
    workspace: Workspace
    caller: Record
    args: Arguments

    @classmethod
    def open(cls, call: Call) -> Context:
        workspace = Workspace(call)
        args = Arguments(call)
        caller = workspace.user(_caller_id(workspace, _token(call, args)))
        assert caller is not None, "the workspace always holds its owner and its bot"
        return cls(call, workspace, caller, args)

    @property
    def caller_id(self) -> str:
        return str(self.caller["id"])

    @property
    def is_bot(self) -> bool:
        return bool(self.caller.get("is_bot"))

    def channel(self, name: str = "channel") -> Record:
        """The conversation an argument names, if the caller may see it."""
        channel = self.workspace.channel(self.args.text(name).strip())
        if channel is None or not self.can_see(channel):
            raise SlackError("channel_not_found")
        return channel

    def can_see(self, channel: Record) -> bool:
        """Private channels exist only for their members."""
        if not channel.get("is_private"):
            return True
        return self.workspace.is_member(channel["id"], self.caller_id)

    def require_member(self, channel: Record) -> None:
        if not self.workspace.is_member(channel["id"], self.caller_id):
            raise SlackError("not_in_channel")

    def require_reader(self, channel: Record) -> None:
        """A person reads any channel they can see; a bot only those it is in."""
        if self.is_bot:
            self.require_member(channel)

    def require_open(self, channel: Record) -> None:
        if channel.get("is_archived"):
            raise SlackError("is_archived")


def _token(call: Call, args: Arguments) -> str:
    kind, _, credential = str(call.headers.get("authorization", "")).strip().partition(" ")
    if kind.lower() == "bearer" and credential.strip():
        return credential.strip()
    return args.text("token")


def _caller_id(workspace: Workspace, token: str) -> str:
    team = workspace.team
    return str(team["owner"] if token.startswith(USER_TOKEN_PREFIX) else team["bot_user"])
