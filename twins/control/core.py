"""The core of the control plane: twins, sessions, seeding, state export, journal. (A
session's clock is steered in `twins.control.webhooks`, beside the jobs that wait on it.)"""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from twins.app import TwinServer
from twins.behaviour.crud import item_key
from twins.behaviour.records import new_key
from twins.control import common
from twins.control.common import checked_session
from twins.fake import Rng
from twins.spec.resources import Resource
from twins.twin import Twin

MAX_SEQ = 2**63 - 1  # journal seqs are 64-bit: a larger one is no seq, not a 500


class SeedRequest(BaseModel):
    seed: int = Field(
        ge=-(2**63),
        le=2**63 - 1,
        description="The seed every random choice of this session derives from (64-bit).",
    )


class ResourcesRequest(BaseModel):
    resource: str = Field(
        description="Resource name (`customers`) or collection path (`/v1/customers`)."
    )
    records: list[dict[str, Any]] = Field(description="Records to store, in the resource's schema.")
    parent: dict[str, str] = Field(
        default_factory=dict,
        description="Path parameters of the collection path for nested resources, e.g. "
        '{"owner": "octocat", "repo": "hello"}.',
    )


def router_for(server: TwinServer) -> APIRouter:
    api = APIRouter(tags=["twins and sessions"])

    def twin_named(name: str) -> Twin:
        return common.twin_named(server, name)

    @api.get("/_twin/health", summary="Liveness")
    def health() -> dict[str, Any]:
        return {"status": "ok", "twins": len(server.twins)}

    @api.get("/_twin/twins", summary="List twins")
    def list_twins(request: Request) -> list[dict[str, Any]]:
        origin = str(request.base_url).rstrip("/")
        return [twin.summary(origin) for twin in server.twins.values()]

    @api.get("/_twin/twins/{name}", summary="One twin: operations and what each does")
    def twin_detail(name: str, request: Request) -> dict[str, Any]:
        twin = twin_named(name)
        detail = twin.summary(str(request.base_url).rstrip("/"))
        detail["operations"] = [
            {
                "label": op.label,
                "operation_id": op.operation_id,
                "behaviour": twin.model.behaviour(op).kind,
                "resource": resource.name
                if (resource := twin.model.behaviour(op).resource)
                else None,
            }
            for op in twin.spec.operations
        ]
        detail["problems"] = [
            {"pointer": p.pointer, "message": p.message, "severity": p.severity}
            for p in twin.spec.problems
        ]
        return detail

    @api.get("/_twin/sessions", summary="Sessions that hold state")
    def sessions() -> list[str]:
        return server.store.sessions()

    @api.post("/_twin/sessions/{session}/reset", summary="Drop a session's state")
    def reset(session: str) -> dict[str, str]:
        server.sessions.reset(checked_session(session))
        for stage in server.stages:
            stage.reset(session)
        return {"session": session, "status": "reset"}

    @api.put("/_twin/sessions/{session}/seed", summary="Set a session's seed (and reset it)")
    def set_seed(session: str, body: SeedRequest) -> dict[str, Any]:
        checked_session(session)
        server.sessions.reset(session)
        for stage in server.stages:
            stage.reset(session)
        server.sessions.set_seed(session, body.seed)
        return {"session": session, "seed": body.seed}

    @api.get("/_twin/sessions/{session}/seed", summary="A session's seed")
    def get_seed(session: str) -> dict[str, Any]:
        return {"session": session, "seed": server.sessions.seed(checked_session(session))}

    @api.post(
        "/_twin/sessions/{session}/twins/{name}/resources",
        summary="Seed records into a session",
        status_code=201,
    )
    def seed_resources(session: str, name: str, body: ResourcesRequest) -> dict[str, Any]:
        twin = twin_named(name)
        resource = _resource_named(twin, body.resource)
        stored = []
        for index, record in enumerate(body.records):
            stored.append(
                _seed_one(
                    server, twin, checked_session(session), resource, record, body.parent, index
                )
            )
        return {"resource": resource.name, "stored": stored}

    @api.get("/_twin/sessions/{session}/state", summary="Export a session's state")
    def export(session: str) -> dict[str, Any]:
        return server.store.export_session(checked_session(session))

    @api.get("/_twin/sessions/{session}/journal", summary="Requests and responses the twins saw")
    def journal(
        session: str,
        twin: str | None = Query(default=None, description="Only this twin."),
        operation: str | None = Query(
            default=None, description='Operation label or glob, e.g. "POST /v1/*".'
        ),
        limit: int = Query(default=100, ge=1, le=10_000),
        since: int | None = Query(
            default=None, ge=0, le=MAX_SEQ, description="Only entries after this seq."
        ),
    ) -> JSONResponse:
        entries = server.store.journal(
            checked_session(session), twin=twin, operation=operation, limit=limit, since_seq=since
        )
        return JSONResponse([dataclasses.asdict(entry) for entry in entries])

    return api


def _resource_named(twin: Twin, wanted: str) -> Resource:
    for resource in twin.model.resources:
        if wanted in (resource.name, resource.collection_path):
            return resource
    names = sorted({r.name for r in twin.model.resources})
    raise HTTPException(404, f"twin {twin.name!r} has no resource {wanted!r}; it has {names}")


def _seed_one(
    server: TwinServer,
    twin: Twin,
    session: str,
    resource: Resource,
    record: dict[str, Any],
    parent: dict[str, str],
    index: int,
) -> Any:
    tools = twin.tools
    missing = [name for name in resource.parent_params if name not in parent]
    if missing:
        raise HTTPException(422, f"records of {resource.name} live under a parent: give {missing}")
    seed = server.sessions.seed(session)
    full = dict(record)
    key_schema = tools.properties(resource.schema).get(resource.key_field)
    if resource.key_field not in full:
        parent_key = resource.parent_key(parent)
        number = server.store.next_value(
            session, twin.name, f"{resource.collection_path}|{parent_key}"
        )
        full[resource.key_field] = new_key(
            tools, key_schema, Rng.derive(seed, "seed", index), number
        )
    if resource.schema is not None and not tools.is_valid(resource.schema, full):
        generated = tools.generate(resource.schema, Rng.derive(seed, twin.name, "seeded", index))
        if isinstance(generated, dict):
            full = {**generated, **full}
        if not tools.is_valid(resource.schema, full):
            errors = [v.describe() for v in tools.violations(resource.schema, full)]
            raise HTTPException(422, {"record": index, "errors": errors[:10]})
    key = full[resource.key_field]
    server.store.put(
        session,
        twin.name,
        resource.collection_path,
        item_key(resource, parent, key),
        resource.parent_key(parent),
        full,
    )
    return key
