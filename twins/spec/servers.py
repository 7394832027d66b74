"""Where a spec is served: the base path every operation path sits under, and the host names.

Only the document's top-level `servers` count (2.0 `host`/`basePath` have become those); the
first server decides the base path. Server variables take their defaults.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

_VARIABLE = re.compile(r"\{([^{}]*)\}")


def base_path_and_hosts(document: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    urls = [_expand(server) for server in _servers(document)]
    base_path = _path_of(urls[0]) if urls else ""
    hosts: dict[str, None] = {}
    for url in urls:
        host = _host_of(url)
        if host:
            hosts[host] = None
    return base_path, tuple(hosts)


def _servers(document: dict[str, Any]) -> list[dict[str, Any]]:
    servers = document.get("servers")
    if not isinstance(servers, list):
        return []
    return [s for s in servers if isinstance(s, dict) and isinstance(s.get("url"), str)]


def _expand(server: dict[str, Any]) -> str:
    variables = server.get("variables")
    variables = variables if isinstance(variables, dict) else {}

    def default(match: re.Match[str]) -> str:
        variable = variables.get(match.group(1))
        value = variable.get("default") if isinstance(variable, dict) else None
        return str(value) if value is not None else ""

    return _VARIABLE.sub(default, str(server["url"]).strip())


def _path_of(url: str) -> str:
    if "://" in url or url.startswith("//"):
        path = urlsplit(url).path
    else:
        path = url.split("?", 1)[0].split("#", 1)[0]
        path = path[1:] if path.startswith(".") else path
    path = path.rstrip("/")
    return "" if not path else path if path.startswith("/") else "/" + path


def _host_of(url: str) -> str | None:
    if "://" not in url and not url.startswith("//"):
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def server_origins(document: dict[str, Any]) -> tuple[str, ...]:
    """`scheme://host[:port]` of every absolute server URL: where the vendor's own links point
    (a twin rewrites them to itself, since SDKs follow them)."""
    origins: dict[str, None] = {}
    for server in _servers(document):
        url = _expand(server)
        if "://" not in url:
            continue
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        if parts.scheme and parts.netloc:
            origins[f"{parts.scheme}://{parts.netloc}"] = None
    return tuple(origins)
