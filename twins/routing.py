"""Match a request path to one operation of a twin.

Paths are compiled once into a segment trie. Literal segments win over templated ones, and the
search backtracks, so `/a/b/{y}` and `/a/{x}/c` can live side by side. A template whose last
segment is a bare parameter may swallow several segments (GitHub's `contents/{path}`), but only
when nothing else matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from twins.errors import MethodNotAllowed, NotFoundError
from twins.spec.model import Operation

_PARAM = re.compile(r"\{([^{}]+)\}")


@dataclass(slots=True)
class _Template:
    """A path segment with parameters in it, such as `{id}` or `{name}.json`."""

    names: tuple[str, ...]
    pattern: re.Pattern[str] | None  # None for a bare `{name}` segment


@dataclass(slots=True)
class _Node:
    literals: dict[str, _Node] = field(default_factory=dict)
    templates: list[tuple[_Template, _Node]] = field(default_factory=list)
    operations: dict[str, Operation] = field(default_factory=dict)
    greedy: dict[str, tuple[str, Operation]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Match:
    operation: Operation
    path_params: dict[str, str]


def split_path(path: str) -> list[str]:
    """Raw path -> percent-decoded segments; `%2F` inside a segment stays inside it."""
    return [unquote(segment) for segment in path.strip("/").split("/")] if path.strip("/") else []


def _compile_segment(segment: str) -> _Template | None:
    names = tuple(_PARAM.findall(segment))
    if not names:
        return None
    if segment == "{" + names[0] + "}" and len(names) == 1:
        return _Template(names, None)
    pattern = ""
    last = 0
    for found in _PARAM.finditer(segment):
        pattern += re.escape(segment[last : found.start()]) + "(.+?)"
        last = found.end()
    pattern += re.escape(segment[last:])
    return _Template(names, re.compile(f"^{pattern}$"))


class Router:
    """Finds the operation for (method, path) among one twin's operations."""

    def __init__(self, operations: list[Operation]) -> None:
        self._root = _Node()
        for operation in operations:
            self._add(operation.method, operation.path, operation)

    def add_alias(self, method: str, path: str, operation: Operation) -> None:
        """Route `method path` to an operation the spec declares elsewhere (what a vendor
        accepts beyond its spec); declared routes keep precedence."""
        self._add(method.upper(), path, operation)

    def _add(self, method: str, path: str, operation: Operation) -> None:
        node = self._root
        segments = path.strip("/").split("/") if path.strip("/") else []
        for segment in segments:
            template = _compile_segment(segment)
            if template is None:
                node = node.literals.setdefault(segment, _Node())
                continue
            for existing, child in node.templates:
                if existing.names == template.names and existing.pattern == template.pattern:
                    node = child
                    break
            else:
                child = _Node()
                node.templates.append((template, child))
                # Templates with literal parts (`{name}.json`) are more specific than bare ones.
                node.templates.sort(key=lambda item: item[0].pattern is None)
                node = child
        node.operations.setdefault(method, operation)
        if segments and (last := _compile_segment(segments[-1])) and last.pattern is None:
            parent = self._parent_of(segments)
            parent.greedy.setdefault(method, (last.names[0], operation))

    def _parent_of(self, segments: list[str]) -> _Node:
        node = self._root
        for segment in segments[:-1]:
            template = _compile_segment(segment)
            if template is None:
                node = node.literals[segment]
            else:
                node = next(
                    c
                    for t, c in node.templates
                    if t.names == template.names and t.pattern == template.pattern
                )
        return node

    def match(self, method: str, path: str) -> Match:
        """The operation for this request, or NotFoundError / MethodNotAllowed."""
        segments = split_path(path)
        params: dict[str, str] = {}
        node = self._walk(self._root, segments, 0, params)
        if node is not None:
            operation = node.operations.get(method)
            if operation is None and method == "HEAD":
                operation = node.operations.get("GET")
            if operation is not None:
                return Match(operation, params)
            raise MethodNotAllowed(
                f"{method} is not allowed on {path}", allowed=sorted(node.operations)
            )
        greedy = self._greedy(method, segments)
        if greedy is not None:
            return greedy
        raise NotFoundError(f"no operation matches {method} {path}")

    def _walk(
        self, node: _Node, segments: list[str], index: int, params: dict[str, str]
    ) -> _Node | None:
        if index == len(segments):
            return node if node.operations else None
        segment = segments[index]
        child = node.literals.get(segment)
        if child is not None:
            found = self._walk(child, segments, index + 1, params)
            if found is not None:
                return found
        if not segment:
            return None
        for template, child in node.templates:
            bound = _bind(template, segment)
            if bound is None:
                continue
            found = self._walk(child, segments, index + 1, params)
            if found is not None:
                params.update(bound)
                return found
        return None

    def _greedy(self, method: str, segments: list[str]) -> Match | None:
        """Retry letting a trailing bare parameter take the rest of the path."""
        for cut in range(len(segments) - 1, 0, -1):
            params: dict[str, str] = {}
            node = self._walk_prefix(segments[:cut], params)
            if node is None or method not in node.greedy:
                continue
            name, operation = node.greedy[method]
            params[name] = "/".join(segments[cut:])
            return Match(operation, params)
        return None

    def _walk_prefix(self, segments: list[str], params: dict[str, str]) -> _Node | None:
        node = self._root
        for segment in segments:
            child = node.literals.get(segment)
            if child is None:
                for template, candidate in node.templates:
                    bound = _bind(template, segment)
                    if bound is not None:
                        params.update(bound)
                        child = candidate
                        break
            if child is None:
                return None
            node = child
        return node


def _bind(template: _Template, segment: str) -> dict[str, str] | None:
    if template.pattern is None:
        return {template.names[0]: segment}
    found = template.pattern.match(segment)
    if found is None:
        return None
    return dict(zip(template.names, found.groups(), strict=True))
