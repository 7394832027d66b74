"""Reading one parameter's wire value out of its location, by OpenAPI `style` and `explode`.

A reader is compiled per parameter and returns strings, lists of strings or dicts of strings
(or `MISSING`); typing them is coercion's job. A query reader raises `FormError` for what no
typing can mend: a key that cannot be nested, or a single-valued parameter sent twice (Google
and Stripe refuse `?limit=5&limit=6` rather than pick one). Label and matrix styles are best
effort.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, Literal
from urllib.parse import unquote

from twins.request.form import FormError, nest

Shape = Literal["scalar", "array", "object"]
QueryReader = Callable[[dict[str, list[str]]], Any]
TextReader = Callable[[str], Any]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()
_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def query_reader(
    name: str, style: str, explode: bool, shape: Shape, properties: Sequence[str]
) -> QueryReader:
    """A reader of one query parameter out of the parsed query (`dict[name, values]`)."""
    if style == "deepObject":
        return _deep_object(name)
    delimiter = _DELIMITERS.get(style, ",")
    if shape == "array":
        return _exploded_array(name) if explode else _delimited_array(name, delimiter)
    if shape == "object":
        return _exploded_object(properties) if explode else _delimited_object(name, delimiter)
    return _single(name)


def text_reader(style: str, explode: bool, shape: Shape, name: str) -> TextReader:
    """A reader of one path, header or cookie value (one string) into its parts."""
    if style == "label":
        return _label(explode, shape)
    if style == "matrix":
        return _matrix(name, explode, shape)
    if shape == "array":
        return _split_array(",")
    if shape == "object":
        return _split_object(",", explode)
    return _identity


def parse_cookies(header: str) -> dict[str, str]:
    """`a=1; b="2"` -> {"a": "1", "b": "2"}; the last of a repeated name wins."""
    cookies: dict[str, str] = {}
    for part in header.split(";"):
        name, found, value = part.partition("=")
        if not found:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        cookies[name.strip()] = unquote(value) if "%" in value else value
    return cookies


def _single(name: str) -> QueryReader:
    def read(query: dict[str, list[str]]) -> Any:
        values = query.get(name)
        return _only(name, values) if values else MISSING

    return read


def _only(name: str, values: list[str]) -> str:
    if len(values) > 1:
        raise FormError(name, "type", f"given {len(values)} values, takes one")
    return values[0]


def _exploded_array(name: str) -> QueryReader:
    bracketed = name + "[]"  # PHP-style clients send `ids[]=1&ids[]=2`

    def read(query: dict[str, list[str]]) -> Any:
        values = query.get(name) or query.get(bracketed)
        return list(values) if values else MISSING

    return read


def _delimited_array(name: str, delimiter: str) -> QueryReader:
    def read(query: dict[str, list[str]]) -> Any:
        values = query.get(name)
        if not values:
            return MISSING
        return [item for value in values if value for item in value.split(delimiter)]

    return read


def _exploded_object(properties: Sequence[str]) -> QueryReader:
    def read(query: dict[str, list[str]]) -> Any:
        found = {key: query[key][-1] for key in properties if key in query}
        return found or MISSING

    return read


def _delimited_object(name: str, delimiter: str) -> QueryReader:
    def read(query: dict[str, list[str]]) -> Any:
        values = query.get(name)
        return _pairs(_only(name, values).split(delimiter)) if values else MISSING

    return read


def _deep_object(name: str) -> QueryReader:
    prefix = name + "["

    def read(query: dict[str, list[str]]) -> Any:
        pairs = [
            (key, value)
            for key, values in query.items()
            if key == name or key.startswith(prefix)
            for value in values
        ]
        return nest(pairs).get(name, MISSING) if pairs else MISSING

    return read


def _identity(value: str) -> Any:
    return value


def _split_array(delimiter: str) -> TextReader:
    def read(value: str) -> Any:
        return value.split(delimiter) if value else []

    return read


def _split_object(delimiter: str, explode: bool) -> TextReader:
    def read(value: str) -> Any:
        parts = value.split(delimiter) if value else []
        return _assignments(parts) if explode else _pairs(parts)

    return read


def _label(explode: bool, shape: Shape) -> TextReader:
    # `.blue`, `.blue.black` (explode) or `.blue,black`; objects `.R=1.G=2` or `.R,1,G,2`.
    inner = _split_object("." if explode else ",", explode) if shape == "object" else None
    delimiter = "." if explode else ","

    def read(value: str) -> Any:
        value = value.removeprefix(".")
        if shape == "array":
            return value.split(delimiter) if value else []
        return inner(value) if inner else value

    return read


def _matrix(name: str, explode: bool, shape: Shape) -> TextReader:
    # `;id=5`; arrays `;id=3;id=4` (explode) or `;id=3,4`; objects `;R=1;G=2` or `;id=R,1,G,2`.
    head = name + "="

    def read(value: str) -> Any:
        segments = [segment for segment in value.split(";") if segment]
        if shape == "object" and explode:
            return _assignments(segments)
        values = [segment.removeprefix(head) for segment in segments]
        if shape == "array":
            return values if explode else [i for v in values for i in v.split(",") if v]
        if shape == "object":
            return _pairs(values[0].split(",")) if values else {}
        return values[-1] if values else ""

    return read


def _pairs(parts: list[str]) -> dict[str, str]:
    """["R", "1", "G", "2"] -> {"R": "1", "G": "2"}."""
    return {parts[i]: parts[i + 1] if i + 1 < len(parts) else "" for i in range(0, len(parts), 2)}


def _assignments(parts: Iterable[str]) -> dict[str, str]:
    """["R=1", "G=2"] -> {"R": "1", "G": "2"}."""
    found = {}
    for part in parts:
        key, _, value = part.partition("=")
        found[key] = value
    return found
