"""Which hosts a twin may send webhooks to, so that it cannot be turned against other hosts.

A twin posts to URLs its clients choose (subscriptions, `callbackUrl` fields), so without a
limit anyone who can call a twin could make it send requests anywhere its network reaches.
Targets are checked by the host the URL names, without resolving it: an address must lie in an
allowed network, a name must be allowed by name. Loopback only, unless told otherwise.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from twins.errors import ConfigError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK = ("127.0.0.0/8", "::1", "localhost")
ANY_HOST = "*"
MAX_URL_LENGTH = 2048


@dataclass(frozen=True)
class AllowList:
    networks: tuple[Network, ...]
    names: frozenset[str]  # exact host names, lower case
    suffixes: tuple[str, ...]  # ".example.test" for an entry "*.example.test"
    anything: bool = False

    @classmethod
    def of(cls, entries: Iterable[str]) -> AllowList:
        """Hosts (`localhost`), wildcard domains (`*.internal.test`), addresses (`10.0.0.7`,
        `::1`) and networks (`10.0.0.0/8`); `*` allows every host. Raises ConfigError."""
        networks: list[Network] = []
        names: set[str] = set()
        suffixes: list[str] = []
        anything = False
        for raw in entries:
            entry = raw.strip().lower()
            if not entry:
                continue
            if entry == ANY_HOST:
                anything = True
            elif entry.startswith("*."):
                suffixes.append("." + _checked_name(entry[2:], raw))
            elif (network := _network(entry)) is not None:
                networks.append(network)
            else:
                names.add(_checked_name(entry, raw))
        return cls(tuple(networks), frozenset(names), tuple(suffixes), anything)

    @classmethod
    def parse(cls, text: str | None, *, loopback: bool = True) -> AllowList:
        """A comma-separated list (the `--webhook-allow` option), added to loopback."""
        extra = (text or "").split(",")
        return cls.of([*(LOOPBACK if loopback else ()), *extra])

    def refusal(self, url: str) -> str | None:
        """Why a webhook may not go to `url`, or None when it may."""
        if len(url) > MAX_URL_LENGTH:
            return f"the URL has {len(url)} characters; the limit is {MAX_URL_LENGTH}"
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in url):
            # urlsplit drops tabs and line breaks where the sender may not: both must read
            # the same host, and no request can carry such a URL anyway.
            return f"{url!r} holds control characters"
        try:
            parts = urlsplit(url)
            host = parts.hostname
            parts.port  # noqa: B018  (raises ValueError for a port out of range)
        except ValueError as error:
            return f"{url!r} is not a usable URL: {error}"
        if parts.scheme not in ("http", "https"):
            return f"{url!r} is not an http(s) URL"
        if not host:
            return f"{url!r} names no host"
        if self.allows(host):
            return None
        return f"host {host!r} is not on the webhook allow-list ({self.describe()})"

    def allows(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        if self.anything:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return host in self.names or any(host.endswith(s) for s in self.suffixes)
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
        return any(address in network for network in self.networks)

    def describe(self) -> str:
        if self.anything:
            return "any host"
        shown = [str(n) for n in self.networks] + sorted(self.names)
        shown += ["*" + s for s in self.suffixes]
        return ", ".join(shown) or "nothing"


def _network(entry: str) -> Network | None:
    try:
        return ipaddress.ip_network(entry.strip("[]"), strict=False)
    except ValueError:
        return None


def _checked_name(name: str, raw: str) -> str:
    labels = name.rstrip(".").split(".")
    if not name or len(name) > 253 or not all(_is_label(label) for label in labels):
        raise ConfigError(
            f"webhook allow-list entry {raw!r} is neither a host name, an address, a network "
            "(10.0.0.0/8) nor a wildcard domain (*.example.test)"
        )
    return name.rstrip(".")


def _is_label(label: str) -> bool:
    return (
        0 < len(label) <= 63
        and label.replace("-", "").replace("_", "").isalnum()
        and label.isascii()
        and not label.startswith("-")
    )
