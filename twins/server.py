"""Assembling a server: which specs to serve under which names, on which store."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import cast

from twins import webhooks
from twins.app import ASGIApp, TwinServer
from twins.auth.stage import AuthStage
from twins.errors import ConfigError
from twins.exchange import Stage
from twins.faults import FaultStage
from twins.idempotency import IdempotencyStage
from twins.ratelimit import RateLimitStage
from twins.replies import ReplyCache, WatchedStore
from twins.sessions import Sessions
from twins.state import Store, open_store
from twins.stubs import StubStage
from twins.twin import Twin

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_SEED = 0


def builtin_specs_dir() -> Path:
    """The specs shipped with dtu (the repository's `openapi/`, installed as package data)."""
    return Path(__file__).resolve().parent / "openapi"


def _specs_in(folder: Path) -> dict[str, Path]:
    return {
        path.stem: path
        for path in sorted(folder.iterdir())
        if path.suffix in SPEC_SUFFIXES and path.is_file()
    }


def resolve_sources(arguments: list[str]) -> dict[str, Path]:
    """`NAME=SPEC`, a spec file, a folder of specs, or the name of a shipped twin."""
    if not arguments:
        arguments = [str(builtin_specs_dir())]
    sources: dict[str, Path] = {}
    builtin = _specs_in(builtin_specs_dir()) if builtin_specs_dir().is_dir() else {}
    for argument in arguments:
        name, sep, location = argument.partition("=")
        if not sep:
            name, location = "", argument
        path = Path(location).expanduser()
        if path.is_dir():
            if name:
                raise ConfigError(f"{argument}: NAME=SPEC needs a file, {location} is a folder")
            sources.update(_specs_in(path))
        elif path.is_file():
            sources[name or path.stem] = path
        elif not sep and location in builtin:
            sources[location] = builtin[location]
        else:
            known = ", ".join(sorted(builtin)) or "none"
            raise ConfigError(f"{location}: no such spec file or folder (shipped twins: {known})")
    for name in sources:
        if not name or "/" in name or name.startswith("_"):
            raise ConfigError(f"{name!r} cannot name a twin: use letters, digits, - and _")
    return sources


def build_server(
    sources: dict[str, Path],
    db: str = "memory",
    seed: int = DEFAULT_SEED,
    *,
    shared_state: bool | None = None,
    webhook_allow: str | None = None,
) -> TwinServer:
    """`shared_state`: other processes write to the same store (replicas on PostgreSQL, several
    workers on one SQLite file), so no read may be answered from cache. Default: only for
    PostgreSQL. `webhook_allow`: hosts webhooks may go to besides loopback, comma-separated."""
    allow = webhooks.AllowList.parse(webhook_allow)  # a mistake is told before specs load
    twins = {name: Twin.load(name, path) for name, path in sources.items()}
    if shared_state is None:
        shared_state = db.startswith(("postgresql:", "postgres:"))
    replies = ReplyCache(enabled=not shared_state)
    store = cast(Store, WatchedStore(open_store(db), replies))
    sessions = Sessions(store, seed)
    # Order matters: who you are, then whether you may, then what the network does to you,
    # then answers that bypass behaviour.
    stages: list[Stage] = [
        AuthStage(sessions, exclusive=not shared_state),
        RateLimitStage(sessions, twins),
        FaultStage(sessions),
        StubStage(),
        IdempotencyStage(),
    ]
    server = TwinServer(twins, sessions, replies, stages)
    server.control_factory = _control_plane
    webhooks.install(server, allow)
    return server


GC_YOUNG_THRESHOLD = 50_000


def settle_heap() -> None:
    """Call once the twins are loaded, before serving. A loaded spec is millions of objects
    that live as long as the process: frozen, the collector stops rescanning them; and a
    higher young-generation threshold lets a request's short-lived objects die by reference
    counting instead of paying for a collection every 700 allocations (~15% of a POST)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 20)


def _control_plane(server: TwinServer) -> ASGIApp:
    # Imported on first use: FastAPI and its models cost ~0.4 s of every start, and many runs
    # never touch the control plane.
    from twins.control import build_control

    return build_control(server)


def app_from_environment() -> TwinServer:
    """For `uvicorn twins.server:app_from_environment --factory` with several workers."""
    arguments = [a for a in os.environ.get("DTU_SPECS", "").split(os.pathsep) if a]
    workers = int(os.environ.get("WEB_CONCURRENCY", "1") or "1")
    server = build_server(
        resolve_sources(arguments),
        db=os.environ.get("DTU_DB", "dtu.sqlite"),
        seed=int(os.environ.get("DTU_SEED", str(DEFAULT_SEED))),
        shared_state=True if workers > 1 else None,
        webhook_allow=os.environ.get("DTU_WEBHOOK_ALLOW"),
    )
    settle_heap()
    return server
