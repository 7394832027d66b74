"""What every part of the control plane needs: finding a twin, checking a session name."""

from __future__ import annotations

from fastapi import HTTPException

from twins.app import SESSION_NAME, TwinServer
from twins.twin import Twin


def twin_named(server: TwinServer, name: str) -> Twin:
    twin = server.twins.get(name)
    if twin is None:
        raise HTTPException(404, f"no twin named {name!r}; twins: {sorted(server.twins)}")
    return twin


def checked_session(session: str) -> str:
    if not SESSION_NAME.match(session):
        raise HTTPException(422, "a session name is 1-128 of A-Z a-z 0-9 . _ ~ -")
    return session
