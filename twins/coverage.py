"""Implementation coverage of a twin: what it does with each operation of its spec.

    pack         the vendor pack answers it with its own behaviour
    crud         stateful, inferred from paths and schemas (create, read, list, update, replace,
                 delete, action, singleton)
    generated    answered with data generated from the response schema; nothing is stored
    unsupported  not served: the spec's operation could not be used (`dtu check` says why)

Rendered as JSON, Markdown (for `docs/coverage/`) and a self-contained HTML page (the control
plane's `/_twin/twins/{name}/coverage`). Output depends only on the spec and the pack, never on
where the spec was loaded from, so committed pages can be compared with fresh ones.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from twins.spec import refs
from twins.spec.model import HTTP_METHODS
from twins.twin import Twin

Level = Literal["pack", "crud", "generated", "unsupported"]
LEVELS: tuple[Level, ...] = ("pack", "crud", "generated", "unsupported")
MEANING: dict[Level, str] = {
    "pack": "answered by the vendor pack's own behaviour",
    "crud": "stateful, inferred from the spec's paths and schemas",
    "generated": "answered with data generated from the response schema; nothing is stored",
    "unsupported": "not served: the spec's operation could not be used",
}
_CRUD = frozenset({"create", "read", "list", "update", "replace", "delete", "action", "singleton"})


@dataclass(frozen=True, slots=True)
class OperationCoverage:
    method: str
    path: str  # the spec's template, without the base path
    level: Level
    behaviour: str | None = None  # "create", "action", ...; None when unsupported
    resource: str | None = None
    action: str | None = None  # the verb of an action: "cancel"
    operation_id: str | None = None
    reason: str = ""  # why an operation is unsupported: the problems, with their pointers

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def does(self) -> str:
        """What the twin does, in a few words: "list authors", "action cancel on orders"."""
        if self.level == "unsupported":
            return self.reason
        if self.action:
            return f"action {self.action} on {self.resource}"
        what = self.behaviour or ""
        return f"{what} {self.resource}" if self.resource else what


@dataclass(frozen=True, slots=True)
class TwinCoverage:
    twin: str
    title: str
    version: str
    openapi: str
    base_path: str
    pack: str
    operations: list[OperationCoverage]
    spec_problems: list[str]  # errors not tied to one operation

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(LEVELS, 0)
        for operation in self.operations:
            counts[operation.level] += 1
        return counts

    def as_json(self) -> dict[str, Any]:
        operations = [{"label": op.label, **asdict(op), "does": op.does} for op in self.operations]
        return {
            "twin": self.twin,
            "title": self.title,
            "version": self.version,
            "openapi": self.openapi,
            "base_path": self.base_path,
            "pack": self.pack,
            "counts": self.counts(),
            "levels": MEANING,
            "operations": operations,
            "spec_problems": self.spec_problems,
        }


def twin_coverage(twin: Twin) -> TwinCoverage:
    found = [_served(twin, operation) for operation in twin.spec.operations]
    served = {op.label for op in found}
    skipped, spec_problems = _skipped(twin, served)
    order = {method.upper(): i for i, method in enumerate(HTTP_METHODS)}
    found.extend(skipped)
    found.sort(key=lambda op: (op.path, order.get(op.method, len(order)), op.method))
    spec = twin.spec
    return TwinCoverage(
        twin.name,
        spec.title,
        spec.version,
        spec.source_version,
        spec.base_path,
        twin.pack.name,
        found,
        spec_problems,
    )


def _served(twin: Twin, operation: Any) -> OperationCoverage:
    behaviour = twin.model.behaviour(operation)
    level: Level
    if twin.pack.handler(operation) is not None:
        level = "pack"
    elif behaviour.kind in _CRUD:
        level = "crud"
    else:
        level = "generated"
    return OperationCoverage(
        operation.method,
        operation.path,
        level,
        behaviour.kind,
        behaviour.resource.name if behaviour.resource else None,
        behaviour.action,
        operation.operation_id,
    )


def _skipped(twin: Twin, served: set[str]) -> tuple[list[OperationCoverage], list[str]]:
    """Operations dropped with an error problem, and errors that name no operation."""
    reasons: dict[tuple[str, str], list[str]] = {}
    elsewhere: list[str] = []
    paths = twin.spec.document.get("paths")
    for problem in twin.spec.problems:
        if problem.severity != "error":
            continue
        described = f"{problem.message} (at {problem.pointer or '/'})"
        try:
            tokens = refs.decode(problem.pointer)
        except ValueError:
            tokens = []
        if len(tokens) < 2 or tokens[0] != "paths":
            elsewhere.append(described)
            continue
        path = tokens[1]
        if len(tokens) >= 3 and tokens[2] in HTTP_METHODS:
            methods = [tokens[2]]
        else:  # the whole path item: every method it declares
            item = paths.get(path) if isinstance(paths, Mapping) else None
            methods = [m for m in HTTP_METHODS if isinstance(item, Mapping) and m in item]
        for method in methods or ["*"]:
            if f"{method.upper()} {path}" not in served:
                reasons.setdefault((method.upper(), path), []).append(described)
    skipped = [
        OperationCoverage(method, path, "unsupported", reason="; ".join(why))
        for (method, path), why in reasons.items()
    ]
    return skipped, elsewhere


# -- Markdown -------------------------------------------------------------------------------


def markdown(coverage: TwinCoverage) -> str:
    counts = coverage.counts()
    lines = [
        f"# {coverage.twin}: implementation coverage",
        "",
        f"{coverage.title} {coverage.version} (OpenAPI {coverage.openapi}); base path "
        f"`{coverage.base_path or '/'}`; pack: {coverage.pack}; "
        f"{len(coverage.operations)} operations.",
        "",
        "| coverage | operations | meaning |",
        "|---|---:|---|",
        *(f"| {level} | {counts[level]} | {MEANING[level]} |" for level in LEVELS),
        "",
        "| operation | coverage | what the twin does |",
        "|---|---|---|",
        *(f"| `{_cell(op.label)}` | {op.level} | {_cell(op.does)} |" for op in coverage.operations),
    ]
    if coverage.spec_problems:
        lines += ["", "Problems of the spec that name no operation:", ""]
        lines += [f"- {_cell(problem)}" for problem in coverage.spec_problems]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def docs(sources: Mapping[str, Path]) -> dict[str, str]:
    """`docs/coverage/`: a page per twin and an index (README.md), by file name."""
    pages: dict[str, str] = {}
    rows = []
    for name in sorted(sources):
        coverage = twin_coverage(Twin.load(name, sources[name]))
        pages[f"{name}.md"] = markdown(coverage)
        counts = coverage.counts()
        cells = " | ".join(str(counts[level]) for level in LEVELS)
        rows.append(f"| [{name}]({name}.md) | {len(coverage.operations)} | {cells} |")
    pages["README.md"] = (
        "\n".join(
            [
                "# Implementation coverage of the shipped twins",
                "",
                "Generated by `scripts/coverage-docs` (do not edit by hand); "
                "`dtu coverage NAME` prints the same for any spec.",
                "",
                "| twin | operations | " + " | ".join(LEVELS) + " |",
                "|---|---:|" + "---:|" * len(LEVELS),
                *rows,
                "",
                *(f"- **{level}**: {MEANING[level]}" for level in LEVELS),
            ]
        )
        + "\n"
    )
    return pages


# -- HTML -----------------------------------------------------------------------------------

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;
color:#1d2329}
h1{font-size:1.5rem;margin-bottom:.2rem}.meta{color:#58616b;margin-top:0}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
th{background:#f5f6f8}.n{text-align:right}code{font-size:.9em}
.bar{display:flex;height:.8rem;border-radius:.4rem;overflow:hidden;background:#eef0f2}
.lv{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-size:.85em;color:#fff}
.pack{background:#6f42c1}.crud{background:#1f883d}.generated{background:#9a6700}
.unsupported{background:#cf222e}
"""


def html_page(coverage: TwinCoverage) -> str:
    """A self-contained page: inline style, no scripts, no outside resources."""
    e = html.escape
    counts = coverage.counts()
    total = max(len(coverage.operations), 1)
    bar = "".join(
        f'<span class="{level}" style="width:{100 * counts[level] / total:.2f}%" '
        f'title="{level}: {counts[level]}"></span>'
        for level in LEVELS
        if counts[level]
    )
    summary = "".join(
        f'<tr><td><span class="lv {level}">{level}</span></td><td class="n">{counts[level]}</td>'
        f"<td>{e(MEANING[level])}</td></tr>"
        for level in LEVELS
    )
    rows = "".join(
        f'<tr id="{e(_anchor(op.label))}"><td><code>{e(op.label)}</code></td>'
        f'<td><span class="lv {op.level}">{op.level}</span></td><td>{e(op.does)}</td>'
        f"<td>{e(op.operation_id or '')}</td></tr>"
        for op in coverage.operations
    )
    problems = "".join(f"<li>{e(problem)}</li>" for problem in coverage.spec_problems)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(coverage.twin)}: implementation coverage</title>"
        f"<style>{_STYLE}</style></head><body>"
        f"<h1>{e(coverage.twin)}: implementation coverage</h1>"
        f'<p class="meta">{e(coverage.title)} {e(coverage.version)} '
        f"(OpenAPI {e(coverage.openapi)}); base path <code>{e(coverage.base_path or '/')}"
        f"</code>; pack: {e(coverage.pack)}; {len(coverage.operations)} operations</p>"
        f'<div class="bar">{bar}</div>'
        '<table><tr><th>coverage</th><th class="n">operations</th><th>meaning</th></tr>'
        f"{summary}</table>"
        "<table><tr><th>operation</th><th>coverage</th><th>what the twin does</th>"
        f"<th>operationId</th></tr>{rows}</table>"
        + (f"<h2>Problems that name no operation</h2><ul>{problems}</ul>" if problems else "")
        + "</body></html>\n"
    )


def _anchor(label: str) -> str:
    return "op-" + "".join(c if c.isalnum() else "-" for c in label).strip("-")
