"""A session's Slack workspace in the store: its team, users, channels, members and messages.

slack:team      "team"              the workspace (seeded on first use, see seed.py)
slack:users     user id             users, in the order they joined
slack:channels  channel id          conversations, without what depends on the caller
slack:members   channel/user        one record per member, parent: the channel
slack:messages  channel/ts          messages and thread replies, parent: the channel
slack:clock     channel id          the channel's latest ts, in microseconds
"""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call
from twins.catalog.slack.ids import next_ts, ts_text
from twins.catalog.slack.seed import Seed, initial_workspace
from twins.state import Store

Record = dict[str, Any]
TEAM, USERS, CHANNELS = "slack:team", "slack:users", "slack:channels"
MEMBERS, MESSAGES, CLOCK = "slack:members", "slack:messages", "slack:clock"


class Workspace:
    """One session's workspace; opening it seeds it the first time."""

    def __init__(self, call: Call) -> None:
        self._store: Store = call.store
        self._session = call.session
        self._twin = call.twin.name
        self.now = call.now
        found = self._get(TEAM, "team")
        if found is None:
            found = self._seed(initial_workspace(call.seed, self._twin, call.now))
        self.team: Record = found

    # -- users ---------------------------------------------------------------------------

    def user(self, user_id: str) -> Record | None:
        return self._get(USERS, user_id) if user_id else None

    def users(self) -> list[tuple[int, Record]]:
        return self._store.list(self._session, self._twin, USERS)

    # -- channels ------------------------------------------------------------------------

    def channel(self, channel_id: str) -> Record | None:
        return self._get(CHANNELS, channel_id) if channel_id else None

    def channel_named(self, name: str) -> Record | None:
        found = self._store.list(
            self._session, self._twin, CHANNELS, filters={"name": name}, limit=1
        )
        return found[0][1] if found else None

    def channels(self) -> list[tuple[int, Record]]:
        return self._store.list(self._session, self._twin, CHANNELS)

    def put_channel(self, channel: Record) -> None:
        self._put(CHANNELS, channel["id"], "", channel)

    def members(self, channel_id: str) -> list[tuple[int, str]]:
        page = self._store.list(self._session, self._twin, MEMBERS, channel_id)
        return [(seq, body["user"]) for seq, body in page]

    def member_count(self, channel_id: str) -> int:
        return self._store.count(self._session, self._twin, MEMBERS, channel_id)

    def is_member(self, channel_id: str, user_id: str) -> bool:
        return self._get(MEMBERS, f"{channel_id}/{user_id}") is not None

    def add_member(self, channel_id: str, user_id: str) -> None:
        self._put(MEMBERS, f"{channel_id}/{user_id}", channel_id, {"user": user_id})

    # -- messages ------------------------------------------------------------------------

    def message(self, channel_id: str, ts: str) -> Record | None:
        return self._get(MESSAGES, f"{channel_id}/{ts}")

    def messages(self, channel_id: str) -> list[Record]:
        """Every message and reply of a channel, in the order they were posted."""
        page = self._store.list(self._session, self._twin, MESSAGES, channel_id)
        return [body for _, body in page]

    def put_message(self, channel_id: str, message: Record) -> None:
        self._put(MESSAGES, f"{channel_id}/{message['ts']}", channel_id, message)

    def delete_message(self, channel_id: str, ts: str) -> None:
        self._store.delete(self._session, self._twin, MESSAGES, f"{channel_id}/{ts}")

    def new_ts(self, channel_id: str) -> str:
        """A ts for a new message: the session's now, always after the channel's latest."""
        latest = self._get(CLOCK, channel_id)
        micros = next_ts(self.now, int(latest["micros"]) if latest else 0)
        self._put(CLOCK, channel_id, "", {"micros": micros})
        return ts_text(micros)

    # -- the store -----------------------------------------------------------------------

    def _get(self, collection: str, key: str) -> Record | None:
        return self._store.get(self._session, self._twin, collection, key)

    def _put(self, collection: str, key: str, parent: str, body: Record) -> None:
        self._store.put(self._session, self._twin, collection, key, parent, body)

    def _seed(self, seed: Seed) -> Record:
        with self._store.transaction():
            for user in seed.users:
                self._put(USERS, user["id"], "", user)
            for channel in seed.channels:
                self.put_channel(channel)
            for channel_id, members in seed.members.items():
                for user_id in members:
                    self.add_member(channel_id, user_id)
            self._put(TEAM, "team", "", seed.team)
        return seed.team
