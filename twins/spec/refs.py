"""JSON pointers (RFC 6901) and local `$ref`s: encode, decode, resolve.

A `$ref` is a URI reference, so its fragment is percent-decoded before it is read as a pointer
(`#/paths/~1pets~1%7Bid%7D` names the path `/pets/{id}`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, unquote

from twins.errors import SpecError

# A chain of `$ref`s longer than this is treated as a cycle: no real document needs more.
MAX_REF_CHAIN = 64


def escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def encode(tokens: Iterable[str | int]) -> str:
    """`["paths", "/pets", "get"]` -> `"/paths/~1pets/get"`."""
    return "".join("/" + escape(token) for token in tokens)


def decode(pointer: str) -> list[str]:
    """`"/paths/~1pets/get"` -> `["paths", "/pets", "get"]`; raises ValueError if malformed."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"a JSON pointer starts with '/': {pointer!r}")
    return [unescape(token) for token in pointer[1:].split("/")]


def is_local(ref: str) -> bool:
    return ref.startswith("#")


def to_ref(pointer: str) -> str:
    """The local `$ref` naming `pointer`, percent-encoded where a URI needs it."""
    return "#" + quote(pointer, safe="/~!$&'()*+,;=:@-._")


def ref_pointer(ref: str) -> str:
    """The JSON pointer named by a local `$ref` (`"#/a%20b"` -> `"/a b"`)."""
    fragment = ref[1:] if ref.startswith("#") else ref
    return unquote(fragment) if "%" in fragment else fragment


def resolve(document: Any, pointer: str) -> Any:
    """The value at `pointer` inside `document`; raises LookupError when there is none."""
    try:
        tokens = decode(pointer)
    except ValueError as error:
        raise LookupError(str(error)) from None
    node = document
    for token in tokens:
        if isinstance(node, dict):
            if token not in node:
                raise LookupError(f"no {token!r} in {pointer!r}")
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise LookupError(f"cannot step into {token!r} in {pointer!r}")
    return node


def resolve_ref(document: Any, ref: object, *, at: str) -> Any:
    """The target of a local `$ref` found at pointer `at`; SpecError names `at` if it dangles."""
    if not isinstance(ref, str):
        raise SpecError(at, f"$ref must be a string, not {type(ref).__name__}")
    if not is_local(ref):
        raise SpecError(at, f"$ref {ref!r} is not local to the document")
    try:
        return resolve(document, ref_pointer(ref))
    except LookupError:
        raise SpecError(at, f"$ref {ref!r} points at nothing") from None


def deref(document: Any, node: Any, *, at: str) -> tuple[Any, str]:
    """Follow a chain of `$ref`s from `node` (found at `at`) to a value and its pointer."""
    pointer = at
    for _ in range(MAX_REF_CHAIN):
        if not (isinstance(node, dict) and "$ref" in node):
            return node, pointer
        ref = node["$ref"]
        node = resolve_ref(document, ref, at=pointer)
        pointer = ref_pointer(ref)
    raise SpecError(at, "$ref chain does not end (circular?)")
