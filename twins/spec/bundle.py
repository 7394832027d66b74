"""Inline `$ref`s to other files of the spec's folder, so that every `$ref` becomes local.

`$ref: './schemas/pet.yaml#/Pet'` at a schema position copies `Pet` into `components/schemas/Pet`
(`definitions/Pet` in 2.0) and becomes `#/components/schemas/Pet`; a parameter, response, ...
goes to its own components section, and a path item is inlined where it is used. Refs inside the
copied content are relative to the file they came from, so they are followed the same way.

Only files inside the root spec's folder are read: URLs, absolute paths and `..` escapes are
refused with a Problem naming the `$ref`'s pointer, and the `$ref` is left for the later passes
to treat as dangling. There is no network access, ever.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from twins.errors import Problem, SpecError
from twins.spec import refs
from twins.spec.source import load_file, to_plain_json
from twins.spec.structure import Kind, walk
from twins.spec.subschemas import iter_subschemas

MAX_FILES = 1000
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._\-]")
_SECTIONS_3 = {
    "schema": ("components", "schemas"),
    "parameter": ("components", "parameters"),
    "response": ("components", "responses"),
    "request_body": ("components", "requestBodies"),
    "header": ("components", "headers"),
    "example": ("components", "examples"),
    "link": ("components", "links"),
    "callback": ("components", "callbacks"),
    "security_scheme": ("components", "securitySchemes"),
}
_SECTIONS_2 = {
    "schema": ("definitions",),
    "parameter": ("parameters",),
    "response": ("responses",),
}
# Quick test on the raw bytes: a `$ref` whose value does not start with `#`.
# Possessive quantifiers, so that skipping a quote or a `>-` cannot fake a match.
_EXTERNAL_REF = re.compile(rb"""\$ref["']?+\s*:\s*(?:[>|][-+]?\s*)?+["']?+(?![#\s])""")


def has_external_refs(raw: bytes) -> bool:
    """Whether a file's bytes may hold a non-local `$ref` (false positives only cost time)."""
    return _EXTERNAL_REF.search(raw) is not None


def bundle(
    document: dict[str, Any], root_file: Path, *, swagger2: bool, problems: list[Problem]
) -> None:
    """Rewrite, in place, every `$ref` to a file beside `root_file` into a local one."""
    _Bundler(document, root_file, swagger2, problems).run()


class _Bundler:
    def __init__(
        self, document: dict[str, Any], root_file: Path, swagger2: bool, problems: list[Problem]
    ) -> None:
        self.document = document
        self.root_file = root_file.resolve()
        self.root_dir = self.root_file.parent
        self.swagger2 = swagger2
        self.sections = _SECTIONS_2 if swagger2 else _SECTIONS_3
        self.problems = problems
        self.files: dict[Path, Any] = {self.root_file: document}
        self.placed: dict[tuple[Path, str], str] = {}
        self.queue: list[tuple[Kind, dict[str, Any], Path, tuple[str, ...]]] = []

    def run(self) -> None:
        self.queue.append(("document", self.document, self.root_file, ()))
        while self.queue:
            kind, node, file, at = self.queue.pop()
            for found_kind, found, tokens in walk(node, kind, at, swagger2=self.swagger2):
                if found_kind == "schema":
                    self._visit_schema(found, file, tokens)
                elif "$ref" in found:
                    self._rewrite(found, found_kind, file, tokens)

    def _visit_schema(self, schema: dict[str, Any], file: Path, at: tuple[str, ...]) -> None:
        stack = [(schema, at)]
        while stack:
            node, tokens = stack.pop()
            if "$ref" in node:
                self._rewrite(node, "schema", file, tokens)
            for keyword, name, child in iter_subschemas(node):
                child_at = (*tokens, keyword) if name is None else (*tokens, keyword, name)
                stack.append((child, child_at))

    def _rewrite(self, node: dict[str, Any], kind: Kind, file: Path, at: tuple[str, ...]) -> None:
        ref = node["$ref"]
        if not isinstance(ref, str) or (ref.startswith("#") and file == self.root_file):
            return
        target = self._target(ref, file, at)
        if target is None:
            return
        if target[0] == self.root_file:
            node["$ref"] = refs.to_ref(target[1])
            return
        local = self.placed.get(target)
        if local is not None:
            node["$ref"] = local
            return
        content = self._content(target, at)
        if content is None:
            return
        section = self.sections.get(kind)
        if section is None:
            self._inline(node, content, kind, target[0], at)
            return
        name = self._free_name(section, target)
        local = refs.to_ref(refs.encode((*section, name)))
        self.placed[target] = local
        self._section(section)[name] = content
        node["$ref"] = local
        if isinstance(content, dict):
            self.queue.append((kind, content, target[0], (*section, name)))

    def _inline(
        self, node: dict[str, Any], content: Any, kind: Kind, file: Path, at: tuple[str, ...]
    ) -> None:
        if not isinstance(content, dict):
            self._refuse(at, f"$ref {node['$ref']!r} does not point at an object")
            return
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        node.clear()
        node.update(content)
        node.update(siblings)
        self.queue.append((kind, node, file, at))

    def _target(self, ref: str, file: Path, at: tuple[str, ...]) -> tuple[Path, str] | None:
        location, _, fragment = ref.partition("#")
        if _URI_SCHEME.match(location) or location.startswith("//"):
            self._refuse(at, f"$ref {ref!r} is a URL or absolute path: not fetched")
            return None
        location = unquote(location)
        if location.startswith(("/", "\\")):
            self._refuse(at, f"$ref {ref!r} is an absolute path: not read")
            return None
        target = (file.parent / location).resolve() if location else file
        if not target.is_relative_to(self.root_dir):
            self._refuse(at, f"$ref {ref!r} leaves the spec's folder: not read")
            return None
        return target, refs.ref_pointer("#" + fragment)

    def _content(self, target: tuple[Path, str], at: tuple[str, ...]) -> Any | None:
        file, pointer = target
        if file not in self.files:
            if len(self.files) > MAX_FILES:
                self._refuse(at, f"more than {MAX_FILES} files referenced")
                return None
            try:
                self.files[file] = load_file(file)[0]
            except SpecError as error:
                self._refuse(at, f"$ref file unusable: {error.message}")
                return None
        try:
            found = refs.resolve(self.files[file], pointer)
        except LookupError:
            self._refuse(at, f"$ref points at nothing: {file.name}#{pointer}")
            return None
        # A copy per placement: files are shared, and later passes edit schemas in place.
        return to_plain_json(found, origin=str(file))

    def _free_name(self, section: tuple[str, ...], target: tuple[Path, str]) -> str:
        file, pointer = target
        tokens = refs.decode(pointer) if pointer.startswith("/") else []
        base = _UNSAFE_NAME.sub("_", tokens[-1] if tokens else file.stem) or "ref"
        existing = self._section(section)
        name, counter = base, 1
        while name in existing:
            counter += 1
            name = f"{base}_{counter}"
        return name

    def _section(self, section: tuple[str, ...]) -> dict[str, Any]:
        node = self.document
        for key in section:
            child = node.get(key)
            if not isinstance(child, dict):
                child = node[key] = {}
            node = child
        return node

    def _refuse(self, at: tuple[str, ...], message: str) -> None:
        self.problems.append(Problem(refs.encode(at), message))
