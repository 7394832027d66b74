"""The schema pass: every schema of a document, once, made 2020-12 and checked for dangling refs.

Each node is converted (2.0/3.0 only), repaired, and given the bounds its integer `format`
implies (every version: JSON Schema checks formats of strings only).

It starts from every schema position the document's structure declares (components, parameters,
media types, headers, ...) and follows `$ref`s, so schemas kept in odd places (a 3.0 document's
top-level `definitions`, a response's schema referenced from another path) are reached too.
The walk is iterative (no recursion limit on deep schemas) and visits each object once, so
circular `$ref`s cost nothing.

Refs are checked after every node is converted, because converting `nullable` may move a
node's composition keywords under `anyOf`. A dangling schema `$ref` is removed, which leaves
`{}` (anything goes), and reported as a warning: the operation is still served.
"""

from __future__ import annotations

from typing import Any

from twins.errors import Problem
from twins.spec import refs
from twins.spec.formats import bound_integer_format
from twins.spec.schema30 import convert_node, repair_node
from twins.spec.structure import walk
from twins.spec.subschemas import iter_subschemas

# Where a node is, as a linked list (parent, token): cheap to make for every node, and only
# turned into a pointer string when there is a problem to report.
Where = tuple[Any, str] | None


def normalise_schemas(document: dict[str, Any], *, convert: bool, problems: list[Problem]) -> None:
    """Convert (when `convert`: 2.0/3.0 documents) and repair every schema, in place."""
    _SchemaPass(document, convert, problems).run()


class _SchemaPass:
    def __init__(self, document: dict[str, Any], convert: bool, problems: list[Problem]) -> None:
        self.document = document
        self.convert = convert
        self.problems = problems
        self.seen: set[int] = set()
        self.ref_sites: list[tuple[dict[str, Any], Where]] = []
        self.anchors: set[str] = set()
        self.targets: dict[str, Any] = {}

    def run(self) -> None:
        stack: list[tuple[Any, Where]] = [
            (node, _where(tokens)) for kind, node, tokens in walk(self.document) if kind == "schema"
        ]
        while stack:
            node, where = stack.pop()
            if type(node) is not dict or id(node) in self.seen:
                continue
            self.seen.add(id(node))
            self._visit(node, where, stack)
        self._check_refs()

    def _visit(self, node: dict[str, Any], where: Where, stack: list[tuple[Any, Where]]) -> None:
        if self.convert:
            convert_node(node)
        notes = repair_node(node)
        for note in notes:
            self.problems.append(Problem(_pointer(where), note))
        bound_integer_format(node)
        if "$ref" in node:
            self.ref_sites.append((node, where))
            target = self._target(node["$ref"])
            if target is not None:
                stack.append((target, _where(refs.decode(refs.ref_pointer(node["$ref"])))))
        anchor = node.get("$anchor")
        if isinstance(anchor, str):
            self.anchors.add(anchor)
        for keyword, name, child in iter_subschemas(node):
            child_where: Where = (where, keyword) if name is None else ((where, keyword), name)
            stack.append((child, child_where))

    def _target(self, ref: Any) -> Any | None:
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return None
        if ref not in self.targets:
            try:
                self.targets[ref] = refs.resolve(self.document, refs.ref_pointer(ref))
            except LookupError:
                self.targets[ref] = None
        return self.targets[ref]

    def _check_refs(self) -> None:
        reported = {problem.pointer for problem in self.problems}
        self.targets.clear()
        for node, where in self.ref_sites:
            ref = node.get("$ref")
            problem = self._ref_problem(ref)
            if problem is None:
                continue
            del node["$ref"]
            pointer = _pointer(where)
            if pointer not in reported:
                reported.add(pointer)
                self.problems.append(Problem(pointer, f"$ref {ref!r} {problem}; allowing anything"))

    def _ref_problem(self, ref: Any) -> str | None:
        if not isinstance(ref, str):
            return "is not a string"
        if ref in ("#", ""):
            return "points at the whole document"
        if ref.startswith("#/"):
            target = self._target(ref)
            return None if isinstance(target, dict | bool) else "points at no schema"
        if ref.startswith("#"):
            return None if refs.ref_pointer(ref) in self.anchors else "names no $anchor"
        return "is not local to the document"


def _where(tokens: Any) -> Where:
    where: Where = None
    for token in tokens:
        where = (where, token)
    return where


def _pointer(where: Where) -> str:
    tokens: list[str] = []
    while where is not None:
        where, token = where
        tokens.append(token)
    return refs.encode(reversed(tokens))
