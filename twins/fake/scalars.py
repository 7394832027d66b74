"""Plans for strings, numbers and booleans: realistic by field name and format, within bounds."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from twins.fake import values as v
from twins.fake.formats import FORMATS, URL_FORMATS
from twins.fake.merge import ALSO
from twins.fake.names import STRING_MAKERS, kind_of
from twins.fake.numbers import integer_maker, number_maker
from twins.fake.pools import Pools
from twins.fake.regex import compile_pattern, string_for_pattern
from twins.fake.rng import Rng
from twins.fake.run import Gen, Run

_FORMAT_RETRIES = 4


def count(value: Any, default: int) -> int:
    """A non-negative count keyword (`minLength`, `maxItems`...), or `default` when unusable."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return default
    return int(value)


def optional_count(value: Any) -> int | None:
    return None if value is None else count(value, 10**9)


def realistic_maker(fmt: str | None, kind: str | None) -> v.Maker | None:
    """The maker a format or a field name calls for; a telling name refines a URL format."""
    if fmt in URL_FORMATS and kind in ("url", "image_url"):
        return STRING_MAKERS[kind or ""]
    if fmt in FORMATS:
        return FORMATS[fmt or ""]
    return STRING_MAKERS.get(kind or "")


def fit(text: str, min_length: int, max_length: int | None, rng: Rng, pools: Pools) -> str:
    """`text` padded with sentences or cut, so that its length is within the bounds."""
    while len(text) < min_length:
        text = f"{text} {rng.choice(pools.sentences)}" if text else rng.choice(pools.sentences)
    if max_length is not None and len(text) > max_length:
        text = text[:max_length]
        if len(text.rstrip()) >= min_length:
            text = text.rstrip()
    return text


def string_gen(schema: Mapping[str, Any], name: str, pools: Pools) -> Gen:
    """A plan for a string: its pattern, else its format, else what its name suggests."""
    min_length = count(schema.get("minLength"), 0)
    max_length = optional_count(schema.get("maxLength"))
    fmt = schema.get("format") if isinstance(schema.get("format"), str) else None
    realistic = realistic_maker(fmt, kind_of(name) if name else None)
    pattern = schema.get("pattern")
    also = [p.get("pattern") for p in schema.get(ALSO) or () if isinstance(p, dict)]
    more = [p for p in also if isinstance(p, str)]
    if isinstance(pattern, str) and more:
        return _patterns_gen([pattern, *more], min_length, max_length)
    if isinstance(pattern, str):
        matching = _pattern_gen(pattern, realistic, min_length, max_length, pools)
        return _with_scheme(matching, pattern, max_length) if fmt in URL_FORMATS else matching
    maker = realistic or v.word
    retries = _FORMAT_RETRIES if fmt in FORMATS else 0

    def gen(run: Run, depth: int) -> str:
        text = maker(run.rng, pools)
        for _ in range(retries):
            if min_length <= len(text) and (max_length is None or len(text) <= max_length):
                return text
            text = maker(run.rng, pools)
        return fit(text, min_length, max_length, run.rng, pools)

    return gen


def _pattern_gen(
    pattern: str, realistic: v.Maker | None, min_length: int, max_length: int | None, pools: Pools
) -> Gen:
    compiled = compile_pattern(pattern)
    fallback = realistic or v.word

    def fits(text: str) -> bool:
        return min_length <= len(text) and (max_length is None or len(text) <= max_length)

    def gen(run: Run, depth: int) -> str:
        rng = run.rng
        # A realistic value that happens to match beats a random one: "usd" for ^[a-z]{3}$.
        if realistic is not None and compiled is not None:
            text = realistic(rng, pools)
            if fits(text) and compiled.regex.search(text):
                return text
        if compiled is not None:
            found = string_for_pattern(pattern, rng, min_length=min_length, max_length=max_length)
            if found is not None:
                return found
        return fit(fallback(rng, pools), min_length, max_length, rng, pools)

    return gen


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _with_scheme(gen: Gen, pattern: str, max_length: int | None) -> Gen:
    """A URI pattern's match made absolute ("/x" -> "https://example.com/x") where it allows."""
    compiled = compile_pattern(pattern)

    def absolute(run: Run, depth: int) -> str:
        text: str = gen(run, depth)
        if compiled is None or _SCHEME.match(text):
            return text
        joined = "https://example.com" + ("" if text.startswith("/") else "/") + text
        fits = max_length is None or len(joined) <= max_length
        return joined if fits and compiled.regex.search(joined) else text

    return absolute


def _patterns_gen(patterns: list[str], min_length: int, max_length: int | None) -> Gen:
    """Several patterns at once (from `allOf`): join strings for each until one meets all."""
    compiled = [compile_pattern(p) for p in patterns]
    checks = [c.regex for c in compiled if c is not None]

    def gen(run: Run, depth: int) -> str:
        text = ""
        for _ in range(_FORMAT_RETRIES * 2):
            pieces = [string_for_pattern(p, run.rng) or "" for p in patterns]
            for text in (pieces[0], "".join(pieces), "".join(reversed(pieces))):
                length_ok = min_length <= len(text) and (
                    max_length is None or len(text) <= max_length
                )
                if length_ok and all(c.search(text) for c in checks):
                    return text
        return text

    return gen


def integer_gen(schema: Mapping[str, Any], name: str) -> Gen:
    maker = integer_maker(schema, kind_of(name) if name else None)
    return lambda run, depth: maker(run.rng)


def number_gen(schema: Mapping[str, Any], name: str) -> Gen:
    maker = number_maker(schema, kind_of(name) if name else None)
    return lambda run, depth: maker(run.rng)


def boolean_gen() -> Gen:
    return lambda run, depth: run.rng.random() < 0.5
