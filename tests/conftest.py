"""Shared fixtures: where the real vendor specs live, and skipping when they are absent."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_SPECS = PROJECT_ROOT.parent / "shared" / "specs"
OWN_SPECS = PROJECT_ROOT / "openapi"


def shared_spec(relative: str) -> Path:
    """Path of a real vendor spec under ../shared/specs; skips the test when it is absent."""
    path = SHARED_SPECS / relative
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/specs is not beside the project)")
    return path


def all_shared_specs() -> list[Path]:
    if not SHARED_SPECS.exists():
        return []
    return sorted(
        p
        for p in SHARED_SPECS.rglob("*")
        if p.suffix in {".json", ".yaml", ".yml"} and "fixtures" not in p.name
    )
