"""A twin's implementation coverage on the control plane: an HTML page and its JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from twins.app import TwinServer
from twins.control import common
from twins.coverage import html_page, twin_coverage


def router_for(server: TwinServer) -> APIRouter:
    api = APIRouter(tags=["coverage"])

    @api.get(
        "/_twin/twins/{name}/coverage",
        summary="Which operations a twin serves, and how (HTML page)",
        response_class=HTMLResponse,
    )
    def page(name: str) -> HTMLResponse:
        return HTMLResponse(html_page(twin_coverage(common.twin_named(server, name))))

    @api.get(
        "/_twin/twins/{name}/coverage.json",
        summary="Which operations a twin serves, and how (JSON)",
    )
    def as_json(name: str) -> dict[str, Any]:
        return twin_coverage(common.twin_named(server, name)).as_json()

    return api
