"""The control plane under `/_twin/`: a FastAPI app, so it documents itself at
`/_twin/openapi.json`. Each part of it is a router in its own module."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import orjson
from fastapi import FastAPI, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError

from twins.app import ASGIApp, TwinServer
from twins.control.body_limit import BodyLimit

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


def build_control(server: TwinServer) -> ASGIApp:
    api = FastAPI(
        title="dtu control plane",
        version="1",
        description="Inspect and steer twins and their sessions.",
        openapi_url="/_twin/openapi.json",
        docs_url="/_twin/docs",
        redoc_url=None,
    )
    api.add_exception_handler(RequestValidationError, _invalid_request)
    for part in PARTS:
        api.include_router(import_module(part).router_for(server))
    return BodyLimit(api)


async def _invalid_request(request: Request, error: Exception) -> Response:
    """422 with what FastAPI would say. Its own answer is encoded by `json.dumps(allow_nan=
    False)`, so a body holding NaN or Infinity (which Python's JSON reader takes) turned the
    422 into a 500; orjson writes them as null. Inputs too deep to encode are left out."""
    assert isinstance(error, RequestValidationError)  # the only kind it is registered for
    errors: list[dict[str, Any]] = jsonable_encoder(error.errors())
    try:
        payload = orjson.dumps({"detail": errors})
    except orjson.JSONEncodeError:
        bare = [{k: v for k, v in found.items() if k != "input"} for found in errors]
        payload = orjson.dumps({"detail": bare})
    return Response(payload, 422, media_type="application/json")
