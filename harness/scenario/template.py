"""`{vars.x}`, `{twins.stripe.url}` and `{port}` in scenario and app strings.

A string that is exactly one placeholder takes the value's own type (so `{vars.quantity}` in a
JSON body stays an integer); inside longer text a value is written as text. `{{` and `}}` are
literal braces. Only dotted names are placeholders, so JSON-looking text passes through."""

from __future__ import annotations

import re
from typing import Any

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)*)\}")


class TemplateError(ValueError):
    """A placeholder naming nothing the trial knows."""


def render(value: Any, context: dict[str, Any]) -> Any:
    """`value` with placeholders filled in, recursively through lists and mappings."""
    if isinstance(value, str):
        return _render_text(value, context)
    if isinstance(value, list | tuple):
        return [render(item, context) for item in value]
    if isinstance(value, dict):
        return {key: render(item, context) for key, item in value.items()}
    return value


def render_text(value: str, context: dict[str, Any]) -> str:
    rendered = _render_text(value, context)
    return rendered if isinstance(rendered, str) else _as_text(rendered)


def _render_text(text: str, context: dict[str, Any]) -> Any:
    whole = PLACEHOLDER.fullmatch(text)
    if whole and whole.group(1):
        return lookup(whole.group(1), context)

    def fill(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return match.group(0)[0]
        return _as_text(lookup(match.group(1), context))

    return PLACEHOLDER.sub(fill, text)


def lookup(name: str, context: dict[str, Any]) -> Any:
    current: Any = context
    for part in name.split("."):
        if not isinstance(current, dict) or part not in current:
            known = sorted(current) if isinstance(current, dict) else []
            raise TemplateError(f"{{{name}}}: nothing named {part!r} here; known: {known}")
        current = current[part]
    return current


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
