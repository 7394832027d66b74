"""What one schemathesis run covers: a Target is a spec with its Bounds and its Exclusions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twins.spec import load_spec
from twins.spec.model import Operation


@dataclass(frozen=True)
class Exclusion:
    """A check switched off for some operations, because the spec (or schemathesis' reading
    of it) makes the check unsatisfiable there. `why` is the argument, for the report."""

    check: str
    operations: tuple[str, ...]  # labels, "POST /v1/customers"
    why: str

    def as_config(self) -> dict[str, Any]:
        return {"include-name": list(self.operations), "checks": {self.check: {"enabled": False}}}


@dataclass(frozen=True)
class Bounds:
    """How much of a spec one run covers: big vendor specs get a curated subset."""

    max_examples: int = 3
    stateful_steps: int = 6
    operations: str | None = None  # regex over labels; None is every operation
    exclusions: tuple[Exclusion, ...] = ()
    allow_extra_parameters: bool = True  # schemathesis' own switch for "unexpected property" cases


@dataclass(frozen=True)
class Target:
    name: str
    spec: Path
    bounds: Bounds
    base_path: str = ""  # the path of the spec's server URL, which the twin keeps
    security_schemes: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    exclusions: tuple[Exclusion, ...] = ()
    operations: int = 0  # how many operations the filter selects

    @classmethod
    def of(cls, name: str, spec_path: Path, bounds: Bounds) -> Target:
        spec = load_spec(spec_path, name=name)
        selected = [op for op in spec.operations if _selected(op, bounds.operations)]
        if bounds.operations is not None and not selected:
            raise ValueError(f"{spec_path}: no operation matches {bounds.operations!r}")
        labels = {op.label for op in selected}
        for exclusion in bounds.exclusions:
            if not labels.issuperset(exclusion.operations):
                raise ValueError(f"{spec_path}: {exclusion} names an operation not selected")
        silent = unsatisfiable_status_codes(selected)
        return cls(
            name,
            spec_path,
            bounds,
            spec.base_path,
            {key: (scheme.type, scheme.scheme) for key, scheme in spec.security_schemes.items()},
            bounds.exclusions + ((silent,) if silent.operations else ()),
            len(selected),
        )

    def filters(self) -> list[str]:
        regex = self.bounds.operations
        return [] if regex is None else ["--include-name-regex", regex]


def unsatisfiable_status_codes(operations: list[Operation]) -> Exclusion:
    """`status_code_conformance` where an operation documents no client error at all."""
    return Exclusion(
        "status_code_conformance",
        tuple(op.label for op in operations if not documents_client_errors(op)),
        "the operation documents no 4xx, 4XX or default response, yet negative_data_rejection "
        "demands a 4xx for invalid input (and use_after_free a 404): every rejection the other "
        "checks require is an undocumented status",
    )


def documents_client_errors(operation: Operation) -> bool:
    return any(code == "default" or code.upper().startswith("4") for code in operation.responses)


def _selected(operation: Operation, regex: str | None) -> bool:
    return regex is None or re.search(regex, operation.label) is not None


def twin_name(spec: Path) -> str:
    """A twin name from a file name: `v3.0-petstore.yaml` -> `v3_0-petstore`."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", spec.stem)
