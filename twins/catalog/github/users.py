"""Accounts: the authenticated user (one per session, drawn from its seed), other users and
organisations, and `GET /user`, `GET /users/{username}`.

GitHub has millions of accounts, so any well-formed login names one here: its id, name and
dates are drawn from the session seed and the login, the same on every read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.github import state
from twins.catalog.github.errors import not_found
from twins.catalog.github.reply import ok
from twins.catalog.github.routes import API, routes
from twins.fake import Rng, default_pools

LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
_JOINED_FROM = 1_300_000_000.0  # 2011-03-13: accounts joined at some point after this
_JOINED_SPAN = 300_000_000.0  # about nine and a half years


@dataclass(frozen=True)
class Account:
    login: str
    id: int
    name: str
    email: str
    type: str  # "User" or "Organization"
    created_at: str

    @property
    def url(self) -> str:
        return f"{API}/users/{self.login}"

    @property
    def key(self) -> str:
        return self.login.lower()


def viewer(call: Call) -> Account:
    """The authenticated user: the same for every token of a session, decided by its seed."""
    rng = Rng.derive(call.seed, "github", "viewer")
    pools = default_pools()
    first, last = rng.choice(pools.first_names), rng.choice(pools.last_names)
    return _drawn(rng, f"{first}-{last}".lower(), f"{first} {last}", "User")


def account(call: Call, login: str) -> Account | None:
    """The account a login names, or None when GitHub could not have such a login."""
    if not LOGIN.match(login):
        return None
    me = viewer(call)
    if login.lower() == me.key:
        return me
    kind = "Organization" if state.get(call, state.ORGS, login.lower()) else "User"
    rng = Rng.derive(call.seed, "github", "account", login.lower())
    pools = default_pools()
    name = f"{rng.choice(pools.first_names)} {rng.choice(pools.last_names)}"
    return _drawn(rng, login, login if kind == "Organization" else name, kind)


def _drawn(rng: Rng, login: str, name: str, kind: str) -> Account:
    joined = _JOINED_FROM + rng.uniform(0, _JOINED_SPAN)
    user_id = rng.randint(1_000_000, 99_999_999)
    email = f"{login.lower()}@users.noreply.github.com"
    return Account(login, user_id, name, email, kind, state.iso(joined))


def simple(who: Account) -> dict[str, Any]:
    """GitHub's `simple-user`: how an account appears inside other objects."""
    url = who.url
    return {
        "login": who.login,
        "id": who.id,
        "node_id": state.node_id(who.type, who.id),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{who.id}?v=4",
        "gravatar_id": "",
        "url": url,
        "html_url": f"{API}/{who.login}",
        "followers_url": f"{url}/followers",
        "following_url": f"{url}/following{{/other_user}}",
        "gists_url": f"{url}/gists{{/gist_id}}",
        "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{url}/subscriptions",
        "organizations_url": f"{url}/orgs",
        "repos_url": f"{url}/repos",
        "events_url": f"{url}/events{{/privacy}}",
        "received_events_url": f"{url}/received_events",
        "type": who.type,
        "user_view_type": "public",
        "site_admin": False,
    }


def public(call: Call, who: Account) -> dict[str, Any]:
    """GitHub's `public-user`: an account's own page."""
    repos = state.count(call, state.REPOS, who.key, private=False)
    return {
        **simple(who),
        "name": who.name,
        "company": None,
        "blog": "",
        "location": None,
        "email": None,
        "hireable": None,
        "bio": None,
        "twitter_username": None,
        "public_repos": repos,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": who.created_at,
        "updated_at": who.created_at,
    }


def private(call: Call, who: Account) -> dict[str, Any]:
    """GitHub's `private-user`: what the authenticated user sees of themself."""
    private_repos = state.count(call, state.REPOS, who.key, private=True)
    return {
        **public(call, who),
        "email": who.email,
        "private_gists": 0,
        "total_private_repos": private_repos,
        "owned_private_repos": private_repos,
        "disk_usage": 0,
        "collaborators": 0,
        "two_factor_authentication": True,
        "plan": {"name": "free", "space": 976562499, "collaborators": 0, "private_repos": 10000},
    }


@routes("GET /user")
def get_authenticated(call: Call) -> Reply:
    return ok(call, private(call, viewer(call)))


@routes("GET /users/{username}")
def get_by_username(call: Call) -> Reply:
    who = account(call, call.path_params["username"])
    if who is None:
        raise not_found()
    return ok(call, public(call, who))
