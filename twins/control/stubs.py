"""Stubs on the control plane: queue or pin answers per session, twin and operation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from twins.app import TwinServer
from twins.control import common
from twins.control.common import checked_session
from twins.errors import NotFoundError
from twins.stubs import MAX_DELAY, MAX_HEADERS, MAX_QUEUE, StubRejected, StubResponse, StubStage

OPERATION = (
    'An operation label ("POST /v1/customers/{customer}"; parameter names do not matter) or a '
    'glob on labels ("GET /v1/*": * any run, ? one character).'
)


class Stub(BaseModel):
    status: int = Field(ge=100, le=599, description="The HTTP status to answer with.")
    body: Any = Field(
        default=None,
        description="JSON value; a string for a non-JSON media type; null or absent: no body.",
    )
    media_type: str | None = Field(
        default=None,
        description="Default: the media type the operation declares (JSON first).",
        max_length=200,
    )
    headers: dict[str, str] = Field(
        default_factory=dict, description="Extra reply headers.", max_length=MAX_HEADERS
    )
    delay: float = Field(
        default=0.0, ge=0, le=MAX_DELAY, description="Seconds to wait before answering."
    )

    def response(self) -> StubResponse:
        return StubResponse(
            self.status, self.body, self.media_type, tuple(self.headers.items()), self.delay
        )


class QueueRequest(BaseModel):
    operation: str = Field(min_length=1, max_length=1000, description=OPERATION)
    responses: list[Stub] = Field(
        min_length=1, max_length=MAX_QUEUE, description="Answers to give once each, in order."
    )
    force: bool = Field(default=False, description="Skip the checks against the spec.")


class PinRequest(BaseModel):
    operation: str = Field(min_length=1, max_length=1000, description=OPERATION)
    response: Stub = Field(description="The answer to give every time, until removed.")
    force: bool = Field(default=False, description="Skip the checks against the spec.")


def router_for(server: TwinServer) -> APIRouter:
    api = APIRouter(tags=["stubs"])
    base = "/_twin/sessions/{session}/twins/{name}/stubs"

    def stage() -> StubStage:
        found = next((s for s in server.stages if isinstance(s, StubStage)), None)
        if found is None:
            raise HTTPException(404, "this server was built without the stub stage")
        return found

    @api.post(base, summary="Queue answers for an operation (each used once)", status_code=201)
    def queue(session: str, name: str, body: QueueRequest) -> dict[str, Any]:
        twin = common.twin_named(server, name)
        responses = [stub.response() for stub in body.responses]
        with _refusals():
            return stage().queue(
                twin, checked_session(session), body.operation, responses, force=body.force
            )

    @api.put(base, summary="Pin an answer for an operation (used every time until removed)")
    def pin(session: str, name: str, body: PinRequest) -> dict[str, Any]:
        twin = common.twin_named(server, name)
        with _refusals():
            return stage().pin(
                twin,
                checked_session(session),
                body.operation,
                body.response.response(),
                force=body.force,
            )

    @api.get(base, summary="The stubs waiting in a session, per operation")
    def listed(session: str, name: str) -> list[dict[str, Any]]:
        twin = common.twin_named(server, name)
        return stage().listed(checked_session(session), twin.name)

    @api.delete(base, summary="Remove an operation's stubs (or every stub of the twin)")
    def remove(
        session: str,
        name: str,
        operation: str | None = Query(
            default=None, max_length=1000, description=OPERATION + " Absent: every operation."
        ),
        part: Literal["queued", "pinned"] | None = Query(
            default=None, description="Only the queue, or only the pinned answer."
        ),
    ) -> dict[str, Any]:
        twin = common.twin_named(server, name)
        with _refusals():
            removed = stage().remove(twin, checked_session(session), operation, part)
        if operation is not None and removed == 0:
            raise HTTPException(404, f"no stubs for {operation!r} in session {session!r}")
        return {"session": session, "twin": twin.name, "removed": removed}

    return api


@contextmanager
def _refusals() -> Iterator[None]:
    """StubRejected -> 422 naming every failing field; an unknown operation -> 404."""
    try:
        yield
    except StubRejected as error:
        detail = {"message": str(error), "problems": [p.describe() for p in error.problems]}
        raise HTTPException(422, detail) from error
    except NotFoundError as error:
        raise HTTPException(404, error.message) from error
