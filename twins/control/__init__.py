"""The control plane under `/_twin/`: a FastAPI app, so it documents itself at
`/_twin/openapi.json`. Each part of it is a router in its own module."""

from __future__ import annotations

from importlib import import_module

from fastapi import FastAPI

from twins.app import TwinServer

# modules with `router_for(server) -> APIRouter`, in the order their routes are tried
PARTS = (
    "twins.control.core",
    "twins.control.stubs",
    "twins.control.snapshots",
    "twins.control.coverage",
    "twins.control.faults",
    "twins.control.limits",
    "twins.control.webhooks",
    "twins.control.auth",
)


def build_control(server: TwinServer) -> FastAPI:
    api = FastAPI(
        title="dtu control plane",
        version="1",
        description="Inspect and steer twins and their sessions.",
        openapi_url="/_twin/openapi.json",
        docs_url="/_twin/docs",
        redoc_url=None,
    )
    for part in PARTS:
        api.include_router(import_module(part).router_for(server))
    return api
