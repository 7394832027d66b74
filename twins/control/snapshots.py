"""Snapshots on the control plane: keep a session's world under a name, fork sessions from it."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from twins.app import SESSION_NAME, TwinServer
from twins.control.common import checked_session
from twins.errors import Conflict, NotFoundError
from twins.state.snapshots import SnapshotInfo


class SnapshotRequest(BaseModel):
    name: str = Field(description="The snapshot's name: 1-128 of A-Z a-z 0-9 . _ ~ -")
    replace: bool = Field(
        default=False, description="Overwrite a snapshot of that name instead of refusing."
    )


class ForkRequest(BaseModel):
    session: str = Field(
        description="The session to make from the snapshot; whatever it held is dropped."
    )
    seed: int | None = Field(
        default=None,
        ge=-(2**63),
        le=2**63 - 1,
        description="The fork's own seed (default: the snapshot's), so trials forked from one "
        "world still draw their ids, data and faults differently.",
    )


def router_for(server: TwinServer) -> APIRouter:
    api = APIRouter(tags=["snapshots"])

    @api.post(
        "/_twin/sessions/{session}/snapshot",
        summary="Keep a session's state, seed and clock as a named snapshot",
        status_code=201,
    )
    def take(session: str, body: SnapshotRequest) -> dict[str, Any]:
        name = checked_snapshot(body.name)
        try:
            info = server.sessions.snapshot(checked_session(session), name, replace=body.replace)
        except Conflict as error:
            raise HTTPException(409, error.message) from error
        return described(info)

    @api.post(
        "/_twin/snapshots/{name}/fork",
        summary="Make a session from a snapshot (the session's own state is dropped)",
        status_code=201,
    )
    def fork(name: str, body: ForkRequest) -> dict[str, Any]:
        session = checked_session(body.session)
        try:
            info = server.sessions.fork(checked_snapshot(name), session)
        except NotFoundError as error:
            raise HTTPException(404, error.message) from error
        if body.seed is not None:
            server.sessions.set_seed(session, body.seed)
        for stage in server.stages:  # a fork starts afresh, as after a reset: no old stubs
            stage.reset(session)
        return {"session": session, "snapshot": described(info)}

    @api.get("/_twin/snapshots", summary="Every snapshot, by name")
    def listed() -> list[dict[str, Any]]:
        return [described(info) for info in server.store.snapshots()]

    @api.get("/_twin/snapshots/{name}", summary="One snapshot")
    def one(name: str) -> dict[str, Any]:
        info = server.store.snapshot_info(checked_snapshot(name))
        if info is None:
            raise HTTPException(404, f"no snapshot named {name!r}")
        return described(info)

    @api.delete("/_twin/snapshots/{name}", summary="Delete a snapshot (its forks stay)")
    def delete(name: str) -> dict[str, Any]:
        if not server.store.delete_snapshot(checked_snapshot(name)):
            raise HTTPException(404, f"no snapshot named {name!r}")
        return {"snapshot": name, "status": "deleted"}

    return api


def checked_snapshot(name: str) -> str:
    if not SESSION_NAME.match(name):
        raise HTTPException(422, "a snapshot name is 1-128 of A-Z a-z 0-9 . _ ~ -")
    return name


def described(info: SnapshotInfo) -> dict[str, Any]:
    return dataclasses.asdict(info)
