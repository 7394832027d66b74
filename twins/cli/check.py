"""`dtu check`: what the twin of a spec will do, per operation, and what is wrong with it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from twins.errors import DtuError
from twins.twin import Twin

VERBS = {
    "create": "created",
    "read": "read",
    "list": "listed",
    "update": "updated",
    "replace": "replaced",
    "delete": "deleted",
    "action": "action",
    "singleton": "singleton",
    "generated": "generated",
}


def check(
    spec: Annotated[Path, typer.Argument(help="The OpenAPI document to check.")],
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every operation.")] = True,
) -> None:
    """Load SPEC and print what its twin does per operation and every problem with its JSON
    pointer. Exit 1 when the spec cannot be served at all."""
    try:
        twin = Twin.load(spec.stem, spec)
    except DtuError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    skipped = {p.pointer for p in twin.spec.problems if p.severity == "error"}
    typer.echo(
        f"{spec}: {twin.spec.title} {twin.spec.version} (OpenAPI {twin.spec.source_version})"
    )
    typer.echo(
        f"base path: {twin.spec.base_path or '/'}; {len(twin.spec.operations)} operations; "
        f"{len(twin.model.resources)} resources"
    )
    counts: Counter[str] = Counter()
    for operation in twin.spec.operations:
        behaviour = twin.model.behaviour(operation)
        kind = VERBS[behaviour.kind]
        counts[kind] += 1
        if verbose:
            where = f" {behaviour.resource.name}" if behaviour.resource else ""
            extra = f" ({behaviour.action})" if behaviour.action else ""
            typer.echo(f"  {kind:<10}{where:<24}{extra} {operation.label}")
    counts["unsupported"] = len(skipped)
    typer.echo("summary: " + ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()) if n))
    for problem in twin.spec.problems:
        typer.echo(f"  {problem}")
    if not twin.spec.operations:
        typer.echo("error: no operation can be served", err=True)
        raise typer.Exit(1)
