"""`dtu coverage` prints, per operation, how a twin serves it: Markdown, HTML or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import OWN_SPECS
from twins.cli import app

runner = CliRunner()


def test_a_shipped_twin_by_name_prints_a_markdown_table() -> None:
    result = runner.invoke(app, ["coverage", "bookshop"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# bookshop: implementation coverage")
    assert "| `POST /orders/{orderId}/cancel` | crud | action cancel on orders |" in result.output
    assert "| `GET /stats` | generated | generated |" in result.output


def test_json_names_the_level_of_every_operation() -> None:
    result = runner.invoke(app, ["coverage", str(OWN_SPECS / "bookshop.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["counts"] == {"pack": 0, "crud": 15, "generated": 1, "unsupported": 0}
    assert {op["label"]: op["level"] for op in found["operations"]}["GET /stats"] == "generated"


def test_a_page_written_to_a_file_is_html_and_the_command_says_where(tmp_path: Path) -> None:
    target = tmp_path / "bookshop.html"
    result = runner.invoke(
        app,
        ["coverage", "shop=" + str(OWN_SPECS / "bookshop.yaml"), "-f", "html", "-o", str(target)],
    )
    assert result.exit_code == 0, result.output
    assert f"{target}: 16 operations (pack 0, crud 15, generated 1, unsupported 0)" in result.output
    assert target.read_text().startswith("<!doctype html>")
    assert "shop: implementation coverage" in target.read_text()


def test_an_unsupported_operation_is_listed_with_its_pointer(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n"
        "  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/Gone'}]\n"
        "      responses: {'200': {description: ok}}\n"
        "  /b:\n    get:\n      responses: {'200': {description: ok}}\n"
    )
    result = runner.invoke(app, ["coverage", str(spec)])
    assert result.exit_code == 0, result.output
    assert "| `GET /a` | unsupported |" in result.output
    assert "(at /paths/~1a/get/parameters/0)" in result.output


def test_a_missing_spec_or_a_folder_of_several_exits_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["coverage", str(tmp_path / "none.yaml")])
    assert missing.exit_code == 2 and "no such spec" in missing.output
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text((OWN_SPECS / "bookshop.yaml").read_text())
    several = runner.invoke(app, ["coverage", str(tmp_path)])
    assert several.exit_code == 2 and "holds 2 specs" in several.output
