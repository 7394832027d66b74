"""The workspace a session starts with, drawn from its seed: a team, a few people (the first
one owns the workspace), Slackbot, the app's bot user, and the #general and #random channels.

The bot is in no channel at first, as a freshly installed app is not: it joins or is invited,
or Slack answers `not_in_channel`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from twins.catalog.slack.ids import new_id
from twins.fake import Rng, default_pools

PEOPLE = 4
COLORS = ("9f69e7", "4bbe2e", "e7392d", "3c989f", "674b1b", "e96699", "5a4592", "db3150")
TIMEZONES = (
    ("America/New_York", "Eastern Standard Time", -18000),
    ("America/Los_Angeles", "Pacific Standard Time", -28800),
    ("Europe/London", "Greenwich Mean Time", 0),
    ("Europe/Berlin", "Central European Time", 3600),
    ("Asia/Tokyo", "Japan Standard Time", 32400),
)
SLACKBOT = "USLACKBOT"
BOT_NAME = "dtu-bot"


@dataclass
class Seed:
    team: dict[str, Any]
    users: list[dict[str, Any]]
    channels: list[dict[str, Any]]
    members: dict[str, list[str]] = field(default_factory=dict)  # channel id -> user ids


def initial_workspace(seed: int, twin: str, now: float) -> Seed:
    rng = Rng.derive(seed, twin, "workspace")
    pools = default_pools()
    company = rng.choice(pools.companies)
    team_id = new_id(rng, "T")
    domain = _slug(company) or "workspace"
    people = _people(rng, pools.first_names, pools.last_names, team_id, int(now))
    bot_id = new_id(rng, "B")
    bot = _bot_user(new_id(rng, "U"), bot_id, team_id, int(now))
    team = {
        "id": team_id,
        "name": company,
        "domain": domain,
        "url": f"https://{domain}.slack.com/",
        "owner": people[0]["id"],
        "bot_user": bot["id"],
        "bot_id": bot_id,
    }
    general = _channel(rng, "general", people[0]["id"], team_id, now, general=True)
    random = _channel(rng, "random", people[0]["id"], team_id, now, general=False)
    humans = [person["id"] for person in people]
    users = [*people, _slackbot(team_id, int(now)), bot]
    return Seed(team, users, [general, random], {general["id"]: humans, random["id"]: humans})


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:21].strip("-")


def _people(
    rng: Rng, firsts: tuple[str, ...], lasts: tuple[str, ...], team_id: str, now: int
) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = []
    handles: set[str] = set()
    while len(people) < PEOPLE:
        first, last = rng.choice(firsts), rng.choice(lasts)
        handle = f"{first}.{last}".lower()
        if handle in handles:
            continue
        handles.add(handle)
        people.append(_person(rng, first, last, handle, team_id, now, owner=not people))
    return people


def _person(
    rng: Rng, first: str, last: str, handle: str, team_id: str, now: int, owner: bool
) -> dict[str, Any]:
    tz, tz_label, tz_offset = rng.choice(TIMEZONES)
    real_name = f"{first} {last}"
    profile = {
        "real_name": real_name,
        "real_name_normalized": real_name,
        "display_name": first,
        "display_name_normalized": first,
        "first_name": first,
        "last_name": last,
        "email": f"{handle}@example.com",
        "title": "",
        "phone": "",
        "status_text": "",
        "status_emoji": "",
        **_avatars(rng.hex(12)),
        "team": team_id,
    }
    return {
        "id": new_id(rng, "U"),
        "team_id": team_id,
        "name": handle,
        "deleted": False,
        "color": rng.choice(COLORS),
        "real_name": real_name,
        "tz": tz,
        "tz_label": tz_label,
        "tz_offset": tz_offset,
        "profile": profile,
        "is_admin": owner,
        "is_owner": owner,
        "is_primary_owner": owner,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": False,
        "is_app_user": False,
        "is_email_confirmed": True,
        "updated": now,
    }


def _bot_user(user_id: str, bot_id: str, team_id: str, now: int) -> dict[str, Any]:
    profile = {
        "real_name": "dtu bot",
        "real_name_normalized": "dtu bot",
        "display_name": "",
        "display_name_normalized": "",
        "bot_id": bot_id,
        **_avatars("dtu-bot"),
        "team": team_id,
    }
    return {
        "id": user_id,
        "team_id": team_id,
        "name": BOT_NAME,
        "deleted": False,
        "color": COLORS[0],
        "real_name": "dtu bot",
        "tz": "America/Los_Angeles",
        "tz_label": "Pacific Standard Time",
        "tz_offset": -28800,
        "profile": profile,
        "is_admin": False,
        "is_owner": False,
        "is_primary_owner": False,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": True,
        "is_app_user": False,
        "updated": now,
    }


def _slackbot(team_id: str, now: int) -> dict[str, Any]:
    """Slackbot, as Slack lists it: a user whose `is_bot` is false (a classic trap)."""
    profile = {
        "real_name": "Slackbot",
        "real_name_normalized": "Slackbot",
        "display_name": "Slackbot",
        "display_name_normalized": "Slackbot",
        "first_name": "slackbot",
        "last_name": "",
        **_avatars("slackbot"),
        "team": team_id,
    }
    return {
        "id": SLACKBOT,
        "team_id": team_id,
        "name": "slackbot",
        "deleted": False,
        "color": "757575",
        "real_name": "Slackbot",
        "tz": "America/Los_Angeles",
        "tz_label": "Pacific Standard Time",
        "tz_offset": -28800,
        "profile": profile,
        "is_admin": False,
        "is_owner": False,
        "is_primary_owner": False,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": False,
        "is_app_user": False,
        "updated": now,
    }


def _avatars(key: str) -> dict[str, str]:
    base = f"https://avatars.slack-edge.com/{key}"
    return {f"image_{size}": f"{base}_{size}.png" for size in (24, 48, 72)}


def _channel(
    rng: Rng, name: str, creator: str, team_id: str, now: float, *, general: bool
) -> dict[str, Any]:
    purpose = (
        "Announcements and work for the whole workspace."
        if general
        else "Everything that is not work."
    )
    return new_channel(new_id(rng, "C"), name, creator, team_id, now, False, general, purpose)


def new_channel(
    channel_id: str,
    name: str,
    creator: str,
    team_id: str,
    now: float,
    private: bool,
    general: bool = False,
    purpose: str = "",
) -> dict[str, Any]:
    """A conversation as Slack shows it, minus what depends on who asks (`is_member`)."""
    created = int(now)
    return {
        "id": channel_id,
        "name": name,
        "name_normalized": name,
        "is_channel": True,  # private channels too, since Slack retired "groups"
        "is_group": False,
        "is_im": False,
        "is_mpim": False,
        "is_private": private,
        "created": created,
        "updated": int(now * 1000),
        "creator": creator,
        "is_archived": False,
        "is_general": general,
        "unlinked": 0,
        "is_shared": False,
        "is_ext_shared": False,
        "is_org_shared": False,
        "is_pending_ext_shared": False,
        "shared_team_ids": [team_id],
        "context_team_id": team_id,
        "topic": {"value": "", "creator": "", "last_set": 0},
        "purpose": {
            "value": purpose,
            "creator": creator if purpose else "",
            "last_set": created if purpose else 0,
        },
        "previous_names": [],
    }
