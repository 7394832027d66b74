"""Which database a store URL names."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Literal

from twins.errors import ConfigError

_MEMORY = {"memory", ":memory:", "sqlite://", "sqlite:///:memory:"}
_POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
_BARE = {"postgresql", "postgres", "sqlite", "sqlite3"}
_HELP = "use 'memory', a file path, 'sqlite:///path' or 'postgresql://user@host/db'"


@dataclass(frozen=True, slots=True)
class Target:
    kind: Literal["memory", "sqlite", "postgresql"]
    location: str  # a file path, a libpq URL, or "" for memory

    def describe(self) -> str:
        """For messages: the location without a password."""
        return redact(self.location) or self.kind


def redact(url: str) -> str:
    return re.sub(r"://([^:/@]*):[^@]*@", r"://\1:***@", url)


def parse_url(url: str) -> Target:
    """`memory`; a path or `sqlite:///relative`, `sqlite:////absolute` (SQLAlchemy's form);
    `postgresql://...` (also `postgres://`, `postgresql+psycopg://`)."""
    text = url.strip()
    if not text:
        raise ConfigError(f"the store URL is empty: {_HELP}")
    if text in _MEMORY:
        return Target("memory", "")
    for scheme in _POSTGRES_SCHEMES:
        if text.startswith(scheme):
            return Target("postgresql", "postgresql://" + text[len(scheme) :])
    if text.startswith("sqlite:///"):
        path = text[len("sqlite:///") :]
        if not path:
            raise ConfigError(f"the store URL {redact(url)!r} names no file: {_HELP}")
        return Target("sqlite", os.path.expanduser(path))
    # A scheme's name alone is a mistake far more often than a file name.
    if "://" in text or text.rstrip(":").lower() in _BARE or text.startswith("sqlite:"):
        raise ConfigError(f"unsupported store URL {redact(url)!r}: {_HELP}")
    return Target("sqlite", os.path.expanduser(text))
