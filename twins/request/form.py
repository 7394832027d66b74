"""URL-encoded pairs (query strings, form bodies) and Stripe's bracketed nesting of their keys.

`metadata[key]=v` -> {"metadata": {"key": "v"}}; `items[0][price]=p` -> {"items": [{"price": "p"}]};
`expand[]=a&expand[]=b` -> {"expand": ["a", "b"]}; a plain key sent twice -> a list of both.
Indices that run 0..n-1 make a list; sparse ones (`items[7]`) stay a dict keyed "7" so that no
client can make us allocate a huge list; coercion turns that into a list if the schema says so.
The rules for `[]` follow Rack's, which Stripe and most bracket-speaking servers share, down to
refusing a field sent in two shapes: `created[gt]=1&created[]=2` is a "type" violation of
`created`, as Stripe answers it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote_plus

from twins.errors import Violation
from twins.request.violations import bounded, dotted, failure

Container = dict[str, Any] | list[Any]


class FormError(ValueError):
    """A key that cannot be read: nested too deep, clashing with an earlier key, or repeated.

    `key` names the field: the key as sent, or the dotted field that clashes (`created` for
    `created[gt]=1&created[]=2`).
    """

    def __init__(self, key: str, rule: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.rule = rule
        self.message = message


def parse_pairs(data: bytes) -> list[tuple[str, str]]:
    """The decoded `key=value` pairs of a query string or form body, in order."""
    if not data:
        return []
    pairs = []
    for part in data.decode("utf-8", "replace").split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        if "%" in part or "+" in part:
            key, value = unquote_plus(key, errors="replace"), unquote_plus(value, errors="replace")
        pairs.append((key, value))
    return pairs


def parse_query(query_string: bytes) -> dict[str, list[str]]:
    """Every query parameter with all its values, as sent."""
    found: dict[str, list[str]] = {}
    for key, value in parse_pairs(query_string):
        values = found.get(key)
        if values is None:
            found[key] = [value]
        else:
            values.append(value)
    return found


def parse_form(body: bytes, max_depth: int = 64) -> dict[str, Any]:
    """A form body with its bracketed keys nested; raises `ValidationFailed` for a bad key."""
    try:
        return nest(parse_pairs(body), max_depth)
    except FormError as error:
        raise failure([Violation("body", error.key, error.rule, error.message)]) from None


def nest(pairs: Iterable[tuple[str, str]], max_depth: int = 64) -> dict[str, Any]:
    """Nest `key[a][b]=v` pairs into dicts and lists; raises `FormError` for a bad key."""
    root: dict[str, Any] = {}
    # Dicts that received an index key, by (parent, key): made lists at the end if dense.
    indexed: dict[tuple[int, str], tuple[int, dict[str, Any], str]] = {}
    for key, value in pairs:
        path = _path(key) if "[" in key else None
        if not path:
            if key in root:
                _set(root, (key,), value, key)
            else:
                root[key] = value
            continue
        if len(path) > max_depth:
            raise FormError(key, "body-depth", f"nested deeper than {max_depth} levels")
        node: Container = root
        for depth in range(len(path) - 1):
            segment, following = path[depth], path[depth + 1]
            if following and type(node) is dict:  # the common step: a dict into a dict
                child = node.get(segment)
                if child is None:
                    child = node[segment] = {}
                elif type(child) is not dict:
                    raise _clash(key, path, depth, child)
                if following.isdigit():
                    indexed[(id(node), segment)] = (depth, node, segment)
                node = child
            else:
                node = _child(node, path, depth, key)
        _set(node, path, value, key)
    if indexed:  # deepest first, so that a list of lists is built from lists
        for _, parent, segment in sorted(indexed.values(), key=lambda entry: -entry[0]):
            parent[segment] = _dense_list(parent[segment])
    return root


def split_key(key: str) -> tuple[str, ...] | None:
    """`a[b][]` -> ("a", "b", ""); None for a key without (well-formed) brackets."""
    start = key.find("[")
    if start <= 0 or key[-1] != "]":
        return None
    inner = key[start + 1 : -1]
    segments = inner.split("][")
    if inner.count("[") >= len(segments) or inner.count("]") >= len(segments):
        return None  # a stray bracket inside a segment: `a[b]c[d]`
    return (key[:start], *segments)


_paths: dict[str, tuple[str, ...]] = {}
_MAX_PATHS = 4096  # field names repeat from request to request; made-up ones stop being kept


def _path(key: str) -> tuple[str, ...]:
    path = _paths.get(key)
    if path is None:
        path = split_key(key) or ()
        if len(_paths) < _MAX_PATHS:
            _paths[key] = path
    return path


def _child(node: Container, path: tuple[str, ...], depth: int, key: str) -> Container:
    segment, rest = path[depth], path[depth + 1 :]
    if isinstance(node, list):
        # `items[][price]=p&items[][price]=q`: a key already present starts the next element.
        last = node[-1] if node else None
        if rest[0] != "" and isinstance(last, dict) and not _has_path(last, rest):
            return last
        fresh: Container = [] if rest[0] == "" else {}
        node.append(fresh)
        return fresh
    existing = node.get(segment)
    if existing is None:
        existing = node[segment] = [] if rest[0] == "" else {}
    elif not isinstance(existing, list if rest[0] == "" else dict):
        raise _clash(key, path, depth, existing)
    return existing


def _set(node: Container, path: tuple[str, ...], value: str, key: str) -> None:
    if isinstance(node, list):
        node.append(value)
        return
    existing = node.get(path[-1])
    if existing is None:
        node[path[-1]] = value
    elif isinstance(existing, str):
        node[path[-1]] = [existing, value]
    elif isinstance(existing, list):
        existing.append(value)
    else:
        raise _clash(key, path, len(path) - 1, existing)


def _clash(key: str, path: tuple[str, ...], depth: int, earlier: Any) -> FormError:
    """`created[]` after `created[gt]`: `created` cannot be a list and an object at once."""
    name = dotted(path[: depth + 1])  # as `Violation.field` names it
    rest = path[depth + 1 :]
    if not rest:
        wants = f"{key!r} sends one value"
    elif rest[0] == "":
        wants = f"{key!r} appends to a list"
    else:
        wants = f"{key!r} sets a key of {name}"
    return FormError(name, "type", bounded(f"{wants}, but {name} is {_shape(earlier)}"))


def _shape(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    return "a list" if isinstance(value, list) else "a single value"


def _has_path(node: dict[str, Any], path: tuple[str, ...]) -> bool:
    current: Any = node
    for segment in path:
        if segment == "" or not isinstance(current, dict) or segment not in current:
            return False
        current = current[segment]
    return True


def _dense_list(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    count = len(node)
    if all(str(index) in node for index in range(count)):
        return [node[str(index)] for index in range(count)]
    return node
