"""What to run schemathesis on: one Target per spec, with its bounds and its known exclusions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twins.spec import load_spec


@dataclass(frozen=True)
class Exclusion:
    """A check switched off for some operations, because the spec makes it unsatisfiable."""

    check: str
    operations: str  # regex over labels such as "POST /v1/customers"
    why: str

    def as_config(self) -> dict[str, Any]:
        return {"include-name-regex": self.operations, "checks": {self.check: {"enabled": False}}}


@dataclass(frozen=True)
class Bounds:
    """How much of a spec one run covers; big vendor specs get a curated subset."""

    max_examples: int = 10
    stateful_steps: int = 6
    operations: str | None = None  # regex over labels; None is every operation
    exclusions: tuple[Exclusion, ...] = ()


@dataclass(frozen=True)
class Target:
    name: str
    spec: Path
    bounds: Bounds
    security_schemes: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, name: str, spec: Path, bounds: Bounds) -> Target:
        schemes = load_spec(spec, name=name).security_schemes
        return cls(name, spec, bounds, {k: (s.type, s.scheme) for k, s in schemes.items()})

    @property
    def max_examples(self) -> int:
        return self.bounds.max_examples

    @property
    def stateful_steps(self) -> int:
        return self.bounds.stateful_steps

    @property
    def exclusions(self) -> tuple[Exclusion, ...]:
        return self.bounds.exclusions

    def filters(self) -> list[str]:
        regex = self.bounds.operations
        return [] if regex is None else ["--include-name-regex", regex]


def twin_name(spec: Path) -> str:
    """A twin name from a file name: `v3.0-petstore.yaml` -> `v3_0-petstore`."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", spec.stem)
