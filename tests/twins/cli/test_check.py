"""`dtu check` says what a twin will do per operation and names every problem's pointer."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import OWN_SPECS, shared_spec
from twins.cli import app

runner = CliRunner()


def test_check_lists_each_operation_with_what_the_twin_does() -> None:
    result = runner.invoke(app, ["check", str(OWN_SPECS / "bookshop.yaml")])
    assert result.exit_code == 0, result.output
    assert "created    authors" in result.output
    assert (
        "action     orders                  (cancel) POST /orders/{orderId}/cancel" in result.output
    )
    assert "generated" in result.output and "GET /stats" in result.output


def test_check_names_the_json_pointer_of_a_broken_operation(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n"
        "  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        "          content:\n            application/json:\n"
        "              schema: {$ref: '#/components/schemas/Missing'}\n"
    )
    result = runner.invoke(app, ["check", str(spec)])
    assert "/paths/~1a/get/responses/200/content/application~1json/schema" in result.output


def test_check_exits_1_when_the_spec_cannot_be_served(tmp_path: Path) -> None:
    spec = tmp_path / "nothing.yaml"
    spec.write_text("just: a mapping\n")
    result = runner.invoke(app, ["check", str(spec)])
    assert result.exit_code == 1
    assert "openapi" in result.output.lower()


def test_check_reads_a_large_vendor_spec() -> None:
    result = runner.invoke(app, ["check", str(shared_spec("github/api.github.com.json"))])
    assert result.exit_code == 0
    assert "1223 operations" in result.output
