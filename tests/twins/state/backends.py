"""The backends every store test runs on, and how to get an empty store of each."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.pg import fresh_schema

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("memory", id="memory"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@contextmanager
def backend_url(kind: str, request: pytest.FixtureRequest, directory: Path) -> Iterator[str]:
    """A URL of an empty store of `kind`."""
    if kind == "postgresql":
        with fresh_schema(request.getfixturevalue("postgres_url")) as url:
            yield url
    elif kind == "sqlite":
        yield str(directory / "state.sqlite")
    else:
        yield "memory"
