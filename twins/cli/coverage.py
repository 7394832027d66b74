"""`dtu coverage`: which operations of a spec its twin serves, and how (like moto's
implementation coverage)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from twins.coverage import html_page, markdown, twin_coverage
from twins.errors import DtuError
from twins.server import resolve_sources
from twins.twin import Twin


class Format(StrEnum):
    md = "md"
    html = "html"
    json = "json"


def coverage(
    spec: Annotated[
        str,
        typer.Argument(
            help="A spec file, NAME=SPEC, or the name of a shipped twin (e.g. bookshop).",
            metavar="SPEC_OR_NAME",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        Format,
        typer.Option("--format", "-f", help="Markdown, a self-contained HTML page, or JSON."),
    ] = Format.md,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
) -> None:
    """Print, per operation of SPEC, whether its twin answers it from the vendor pack ("pack"),
    with inferred stateful CRUD ("crud"), with schema-generated data only ("generated"), or not
    at all ("unsupported", with the problem's JSON pointer)."""
    try:
        sources = resolve_sources([spec])
        if len(sources) != 1:
            raise DtuError(f"{spec} holds {len(sources)} specs: name one file")
        [(name, path)] = sources.items()
        found = twin_coverage(Twin.load(name, path))
    except DtuError as error:
        typer.echo(f"dtu coverage: {error}", err=True)
        raise typer.Exit(2) from error
    if output_format is Format.json:
        text = json.dumps(found.as_json(), indent=2) + "\n"
    elif output_format is Format.html:
        text = html_page(found)
    else:
        text = markdown(found)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    counts = ", ".join(f"{level} {n}" for level, n in found.counts().items())
    typer.echo(f"{output}: {len(found.operations)} operations ({counts})")
