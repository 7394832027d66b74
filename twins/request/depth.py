"""How deep a decoded JSON value nests: the guard behind the `body-depth` rule."""

from __future__ import annotations

from typing import Any


def too_deep(text: bytes | str, value: Any, max_depth: int) -> bool:
    """Whether `value`, parsed from the JSON `text`, nests deeper than `max_depth`."""
    # A JSON value cannot be deeper than its number of brackets: only bracket-heavy texts pay
    # for the walk.
    if isinstance(text, bytes):
        brackets = text.count(b"[") + text.count(b"{")
    else:
        brackets = text.count("[") + text.count("{")
    return brackets > max_depth and _walk_too_deep(value, max_depth)


def _walk_too_deep(value: Any, max_depth: int) -> bool:
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
