"""Rate limits: quotas per twin (for every session) and per session (replacing the twin's).

See `twins.ratelimit` for how quotas count and which apply."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any, Literal

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from twins.app import TwinServer
from twins.control import common
from twins.control.common import checked_session
from twins.ratelimit import MAX_QUOTAS, Quota, RateLimitStage
from twins.twin import Twin

MAX_WINDOW_SECONDS = 366 * 24 * 3600.0
# The resource header carries the resource (default: the operation glob); uvicorn drops a
# reply whose header holds a control character.
_NO_CONTROL_CHARACTERS = r"^[^\x00-\x08\x0a-\x1f\x7f]*$"


class QuotaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    operation: str = Field(
        default="*",
        min_length=1,
        max_length=500,
        pattern=_NO_CONTROL_CHARACTERS,
        description='Glob on operation labels, e.g. "POST /v1/*".',
    )
    limit: int = Field(ge=0, le=10**9, description="Requests allowed per window (0: none).")
    window: float = Field(gt=0, le=MAX_WINDOW_SECONDS, description="Seconds of session clock.")
    per: Literal["credential", "session", "operation"] = Field(
        default="credential",
        description="Count per credential, for the whole session, or per operation label.",
    )
    resource: str | None = Field(
        default=None,
        max_length=100,
        pattern=_NO_CONTROL_CHARACTERS,
        description="What the resource header names (if sent).",
    )

    def quota(self, twin: str = "*") -> Quota:
        return Quota(self.limit, self.window, self.operation, self.per, twin, self.resource)


class SessionQuotaIn(QuotaIn):
    twin: str = Field(default="*", min_length=1, max_length=200, description="Glob on twins.")


class TwinLimitsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quotas: list[QuotaIn] = Field(max_length=MAX_QUOTAS)


class SessionLimitsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quotas: list[SessionQuotaIn] = Field(max_length=MAX_QUOTAS)


def limit_stage(server: TwinServer) -> RateLimitStage:
    found = next((s for s in server.stages if isinstance(s, RateLimitStage)), None)
    if found is None:
        raise HTTPException(404, "this server runs without rate limits")
    return found


def router_for(server: TwinServer) -> APIRouter:
    api = APIRouter(tags=["rate limits"])
    twin_path = "/_twin/twins/{name}/limits"
    session_path = "/_twin/sessions/{session}/limits"

    def twin_limits(twin: Twin) -> dict[str, Any]:
        quotas, source = limit_stage(server).limits.twin_quotas(twin)
        return {
            "twin": twin.name,
            "source": source,
            "quotas": [q.describe() for q in quotas],
            "headers": dict(twin.pack.rate_limit_headers),
        }

    def session_limits(session: str) -> dict[str, Any]:
        limits = limit_stage(server).limits
        own = limits.session_quotas(session)
        return {
            "session": session,
            "quotas": None if own is None else [q.describe() for q in own],
            "applying": {
                name: [q.describe() for q in limits.applying(session, twin)]
                for name, twin in server.twins.items()
            },
            "usage": limits.usage(session, server.sessions.now(session)),
        }

    @api.get(twin_path, summary="A twin's quotas (for sessions without their own)")
    def get_twin(name: str) -> dict[str, Any]:
        return twin_limits(common.twin_named(server, name))

    @api.put(twin_path, summary="Replace a twin's quotas (the pack's defaults included)")
    def put_twin(name: str, body: TwinLimitsIn) -> dict[str, Any]:
        twin = common.twin_named(server, name)
        limit_stage(server).limits.set_twin(name, [q.quota() for q in body.quotas])
        return twin_limits(twin)

    @api.delete(twin_path, summary="Give a twin its pack's default quotas back")
    def delete_twin(name: str) -> dict[str, Any]:
        twin = common.twin_named(server, name)
        limit_stage(server).limits.clear_twin(name)
        return twin_limits(twin)

    @api.get(session_path, summary="A session's quotas, those applying per twin, and usage")
    def get_session(session: str) -> dict[str, Any]:
        return session_limits(checked_session(session))

    @api.put(session_path, summary="Replace every twin's quotas in one session")
    def put_session(session: str, body: SessionLimitsIn) -> dict[str, Any]:
        checked_session(session)
        for index, given in enumerate(body.quotas):
            if not any(fnmatchcase(name, given.twin) for name in server.twins):
                raise HTTPException(
                    422,
                    f"quota {index}: twin {given.twin!r} matches no twin; twins: "
                    f"{sorted(server.twins)}",
                )
        limit_stage(server).limits.set_session(session, [q.quota(q.twin) for q in body.quotas])
        return session_limits(session)

    @api.delete(session_path, summary="Drop a session's quotas and the windows it has open")
    def delete_session(session: str) -> dict[str, Any]:
        limit_stage(server).limits.reset(checked_session(session))
        return session_limits(session)

    return api
