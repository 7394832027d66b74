"""`dtu serve`: run twins over HTTP with uvicorn."""

from __future__ import annotations

import logging
import time
from typing import Annotated

import typer
import uvicorn

from twins.errors import DtuError
from twins.server import build_server, resolve_sources, settle_heap


def serve(
    specs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Spec files, folders of specs, NAME=SPEC pairs, or shipped twin names. "
            "Default: every spec in openapi/.",
            show_default=False,
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    db: Annotated[
        str,
        typer.Option(
            help="State: a SQLite file path, 'memory', or a postgresql:// URL.", envvar="DTU_DB"
        ),
    ] = "dtu.sqlite",
    seed: Annotated[int, typer.Option(help="Default seed of new sessions.", envvar="DTU_SEED")] = 0,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "warning",
    webhook_allow: Annotated[
        str | None,
        typer.Option(
            "--webhook-allow",
            help="Hosts webhooks may be sent to besides loopback, comma-separated: names "
            "(hooks.test), wildcard domains (*.internal.test), addresses or networks "
            "(10.0.0.0/8); '*' allows any host.",
            envvar="DTU_WEBHOOK_ALLOW",
            metavar="HOST[,HOST]",
        ),
    ] = None,
) -> None:
    """Serve twins: each at http://HOST:PORT/<name>/<the vendor's own path>."""
    started = time.perf_counter()
    try:
        server = build_server(
            resolve_sources(specs or []), db=db, seed=seed, webhook_allow=webhook_allow
        )
    except DtuError as error:
        typer.echo(f"dtu serve: {error}", err=True)
        raise typer.Exit(2) from error
    took = time.perf_counter() - started
    for twin in server.twins.values():
        problems = f", {len(twin.spec.problems)} problems (dtu check)" if twin.spec.problems else ""
        typer.echo(
            f"  {twin.name:<16} http://{host}:{port}/{twin.name}{twin.spec.base_path}"
            f"  {len(twin.spec.operations)} operations{problems}"
        )
    typer.echo(
        f"dtu: {len(server.twins)} twins loaded in {took:.2f}s; state in {db}; "
        f"control plane at http://{host}:{port}/_twin/twins"
    )
    logging.basicConfig(level=log_level.upper())
    settle_heap()
    uvicorn.run(server, host=host, port=port, log_level=log_level, access_log=False, lifespan="on")
