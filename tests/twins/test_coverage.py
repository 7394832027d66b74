"""Implementation coverage: pack, crud, generated or unsupported, per operation of a twin."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import PROJECT_ROOT
from twins.behaviour.call import Call, Reply
from twins.catalog import Pack, Routes
from twins.coverage import docs, html_page, markdown, twin_coverage
from twins.errors import Problem
from twins.server import builtin_specs_dir, resolve_sources
from twins.twin import Twin

SPEC = """
openapi: 3.0.3
info: {title: Widgets, version: '2'}
servers: [{url: 'https://api.widgets.test/v2'}]
paths:
  /widgets:
    get:
      operationId: listWidgets
      responses:
        '200': {$ref: '#/components/responses/Widgets'}
    post:
      responses:
        '201': {$ref: '#/components/responses/Widget'}
  /widgets/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get:
      responses:
        '200': {$ref: '#/components/responses/Widget'}
  /widgets/{id}/spin:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    post:
      responses:
        '200': {$ref: '#/components/responses/Widget'}
  /health:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
  /broken:
    get:
      parameters: [{$ref: '#/components/parameters/Missing'}]
      responses: {'200': {description: ok}}
  no-slash:
    get:
      responses: {'200': {description: ok}}
    delete:
      responses: {'204': {description: gone}}
components:
  responses:
    Widget:
      description: ok
      content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}
    Widgets:
      description: ok
      content:
        application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Widget'}}}
  schemas:
    Widget:
      type: object
      properties: {id: {type: string}, name: {type: string}}
"""


class WidgetPack(Pack):
    name = "widgets"
    routes: ClassVar[Routes] = Routes()


@WidgetPack.routes("POST /widgets/{widget}/spin")
def spin(call: Call) -> Reply:
    return Reply(200, {"id": call.path_params["id"], "spinning": True})


@pytest.fixture
def twin(tmp_path: Path) -> Twin:
    spec = tmp_path / "widgets.yaml"
    spec.write_text(SPEC)
    loaded = Twin.load("widgets", spec)
    loaded.pack = WidgetPack("widgets", loaded.spec)
    return loaded


def levels(twin: Twin) -> dict[str, str]:
    return {op.label: op.level for op in twin_coverage(twin).operations}


def test_each_operation_is_pack_crud_generated_or_unsupported(twin: Twin) -> None:
    assert levels(twin) == {
        "GET /broken": "unsupported",
        "GET /health": "generated",
        "GET /widgets": "crud",
        "POST /widgets": "crud",
        "GET /widgets/{id}": "crud",
        "POST /widgets/{id}/spin": "pack",
        "GET no-slash": "unsupported",
        "DELETE no-slash": "unsupported",
    }


def test_unsupported_operations_say_why_with_the_json_pointer(twin: Twin) -> None:
    by_label = {op.label: op for op in twin_coverage(twin).operations}
    assert "(at /paths/~1broken/get/parameters/0)" in by_label["GET /broken"].reason
    assert "does not start with '/'" in by_label["DELETE no-slash"].reason


def test_counts_add_up_to_every_operation_of_the_spec(twin: Twin) -> None:
    coverage = twin_coverage(twin)
    assert coverage.counts() == {"pack": 1, "crud": 3, "generated": 1, "unsupported": 3}
    assert coverage.as_json()["counts"] == coverage.counts()
    assert (coverage.pack, coverage.base_path) == ("widgets", "/v2")


def test_errors_that_name_no_operation_are_listed_apart(twin: Twin) -> None:
    twin.spec.problems.append(Problem("/components/securitySchemes/k", "no type", "error"))
    twin.spec.problems.append(Problem("/paths/~1health/get", "a mere warning"))
    coverage = twin_coverage(twin)
    assert coverage.spec_problems == ["no type (at /components/securitySchemes/k)"]
    assert levels(twin)["GET /health"] == "generated"
    assert "no type" in markdown(coverage)


def test_the_markdown_is_a_table_per_operation_that_says_what_the_twin_does(twin: Twin) -> None:
    page = markdown(twin_coverage(twin))
    assert "| `GET /widgets` | crud | list widgets |" in page
    assert "| `POST /widgets/{id}/spin` | pack | action spin on widgets |" in page
    assert "| unsupported | 3 |" in page


def test_the_html_page_stands_alone_and_escapes_what_the_spec_says(twin: Twin) -> None:
    twin.spec.title = "<Widgets & co>"
    page = html_page(twin_coverage(twin))
    assert page.startswith("<!doctype html>")
    assert "&lt;Widgets &amp; co&gt;" in page and "<Widgets" not in page
    assert "<script" not in page and "http" not in page.replace("https://api", "")
    assert page.count("<tr id=") == 8


def test_the_committed_coverage_docs_are_up_to_date() -> None:
    """Run scripts/coverage-docs when this fails: the twins (or their packs) changed."""
    folder = PROJECT_ROOT / "docs" / "coverage"
    fresh = docs(resolve_sources([str(builtin_specs_dir())]))
    committed = {page.name: page.read_text() for page in folder.glob("*.md")}
    hint = "docs/coverage is out of date: run scripts/coverage-docs"
    assert sorted(committed) == sorted(fresh), hint
    stale = [name for name, text in fresh.items() if committed[name] != text]
    assert stale == [], hint
