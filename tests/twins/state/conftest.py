"""Stores on every backend: each store test runs on SQLite (a file), memory and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg import running_postgres
from tests.twins.state.backends import BACKENDS, backend_url
from twins.state import Store, open_store


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with running_postgres() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with backend_url(request.param, request, tmp_path) as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as store:
        yield store


@pytest.fixture(scope="module", params=BACKENDS)
def shared_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """One store per backend for a whole module: for Hypothesis, whose examples cannot use
    function-scoped fixtures; tests keep apart by using fresh session names."""
    directory = tmp_path_factory.mktemp("shared")
    with backend_url(request.param, request, directory) as url, open_store(url) as store:
        yield store
