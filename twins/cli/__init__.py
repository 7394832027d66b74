"""The `dtu` command line: one module per command group."""

from __future__ import annotations

import typer

from harness import cli as harness_cli
from twins.cli import check, coverage, serve

app = typer.Typer(
    name="dtu",
    help="Digital twin universe: stateful twins of third-party APIs, from their OpenAPI specs.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("serve")(serve.serve)
app.command("check")(check.check)
app.command("coverage")(coverage.coverage)
app.command("trial")(harness_cli.trial)
app.command("replay")(harness_cli.replay)


def main() -> None:
    app()
