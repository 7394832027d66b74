"""Vendor packs, found by twin name or by the hosts a spec names.

Packs are imported only when a twin needs one, so a server of generic twins pays nothing.
"""

from __future__ import annotations

from importlib import import_module

from twins.catalog.pack import Pack, Routes, route_key
from twins.spec.model import Spec

__all__ = ["PACKS", "Pack", "Routes", "pack_for", "route_key"]

# name -> (module:class, the vendor's API hosts)
PACKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "slack": ("twins.catalog.slack:SlackPack", ("slack.com",)),
    "github": ("twins.catalog.github:GitHubPack", ("api.github.com",)),
    "stripe": ("twins.catalog.stripe:StripePack", ("api.stripe.com",)),
}


def pack_for(twin_name: str, spec: Spec) -> Pack:
    """The pack of the vendor a twin stands in for: by its name first, then by its hosts."""
    entry = PACKS.get(twin_name.lower())
    if entry is None:
        hosts = {host.lower() for host in spec.hosts}
        entry = next((e for e in PACKS.values() if hosts & set(e[1])), None)
    if entry is None:
        return Pack(twin_name, spec)
    module_name, _, class_name = entry[0].partition(":")
    pack_class: type[Pack] = getattr(import_module(module_name), class_name)
    return pack_class(twin_name, spec)
