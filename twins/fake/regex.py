"""Strings that match a JSON Schema `pattern`, drawn by walking the pattern's tree.

Without length bounds, unbounded repeats draw a few items each. With bounds, the walk aims at a
target length: each sequence shares the target among its parts within their possible widths.
JSON Schema patterns use search semantics (they are not anchored), so a string still too short
can be padded where no anchor forbids it. Every result is checked with `re.search` and the
bounds before it is returned.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

from twins.fake.pattern_tree import INFINITE, Node, parse, translate_ecma, width
from twins.fake.rng import ALPHANUMERIC, Rng

_STRETCHES = (3, 6, 1, 10, 2, 16, 4, 32)
_TARGET_SLACK = (0, 4, 12, 1)


class _Walk:
    __slots__ = ("rng", "stretch", "widths", "groups", "out")

    def __init__(self, rng: Rng, stretch: int, widths: dict[int, tuple[int, int]]) -> None:
        self.rng = rng
        self.stretch = stretch
        self.widths = widths
        self.groups: dict[int, str] = {}
        self.out: list[str] = []

    def free(self, node: Node) -> None:
        """Draw `node` with a few items per unbounded repeat."""
        kind = node[0]
        if kind == "lit":
            self.out.append(node[1])
        elif kind == "set":
            self.out.append(node[1].draw(self.rng))
        elif kind == "seq":
            for child in node[1]:
                self.free(child)
        elif kind == "rep":
            top = node[1] + self.stretch if node[2] < 0 else node[2]
            for _ in range(self.rng.randint(node[1], max(node[1], top))):
                self.free(node[3])
        elif kind == "alt":
            self.free(self.rng.choice(node[1]))
        elif kind == "group":
            self._group(node[1], lambda: self.free(node[2]))
        elif kind == "ref":
            self.out.append(self.groups.get(node[1], ""))
        elif kind == "cond":
            self.free(node[2] if node[1] in self.groups else node[3])

    def sized(self, node: Node, target: int) -> None:
        """Draw `node` aiming at exactly `target` characters."""
        kind = node[0]
        if kind == "seq":
            for child, share in zip(node[1], self._split(target, node[1]), strict=True):
                self.sized(child, share)
        elif kind == "rep":
            self._sized_repeat(node[1], node[2], node[3], target)
        elif kind == "alt":
            fitting = [b for b in node[1] if self._fits(b, target)]
            self.sized(self.rng.choice(fitting or node[1]), target)
        elif kind == "group":
            self._group(node[1], lambda: self.sized(node[2], target))
        else:
            self.free(node)

    def _fits(self, node: Node, target: int) -> bool:
        low, high = width(node, self.widths)
        return low <= target <= high

    def _sized_repeat(self, low: int, high: int, child: Node, target: int) -> None:
        child_low, child_high = width(child, self.widths)
        top = INFINITE if high < 0 else high
        fewest = max(low, -(-target // child_high)) if child_high else low
        most = min(top, target // child_low) if child_low else min(top, fewest + self.stretch)
        count = min(top, self.rng.randint(fewest, max(fewest, min(most, fewest + 2))))
        copies = (child,) * count
        for share in self._split(target, copies):
            self.sized(child, share)

    def _split(self, total: int, children: tuple[Node, ...]) -> list[int]:
        """Shares of `total`, each within its child's width, spread at random."""
        bounds = [width(child, self.widths) for child in children]
        shares = [low for low, _ in bounds]
        extra = total - sum(shares)
        order = [i for i, (low, high) in enumerate(bounds) if high > low]
        self.rng.shuffle(order)
        for position, index in enumerate(order):
            room = min(bounds[index][1] - shares[index], max(extra, 0))
            give = room if position == len(order) - 1 else self.rng.randint(0, room)
            shares[index] += give
            extra -= give
        for index in order:  # what random shares left over goes to whoever has room
            give = min(bounds[index][1] - shares[index], max(extra, 0))
            shares[index] += give
            extra -= give
        return shares

    def _group(self, number: int | None, draw: Callable[[], None]) -> None:
        start = len(self.out)
        draw()
        if number is not None:
            self.groups[number] = "".join(self.out[start:])


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """A pattern ready to draw strings from, and the regex that checks them."""

    tree: Node
    regex: re.Pattern[str]
    widths: dict[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def width(self) -> tuple[int, int]:
        return width(self.tree, self.widths)

    def draw(self, rng: Rng, stretch: int) -> str:
        walk = _Walk(rng, stretch, self.widths)
        walk.free(self.tree)
        return "".join(walk.out)

    def draw_sized(self, rng: Rng, target: int) -> str:
        walk = _Walk(rng, 3, self.widths)
        walk.sized(self.tree, target)
        return "".join(walk.out)


@functools.lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> CompiledPattern | None:
    """The pattern parsed for drawing, or None when Python cannot read it even translated."""
    for source in (pattern, translate_ecma(pattern)):
        try:
            # Python warns about syntax it may read differently one day ("[[", "&&"): we only
            # need today's reading, and tests run with warnings as errors.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return CompiledPattern(parse(source), re.compile(source))
        except (re.error, RecursionError, OverflowError, TypeError, ValueError):
            continue
    return None


def _fits(text: str, min_length: int, max_length: int | None) -> bool:
    return len(text) >= min_length and (max_length is None or len(text) <= max_length)


def _padded(text: str, min_length: int, rng: Rng) -> tuple[str, ...]:
    # Search semantics: the match survives filler on a side that no anchor pins down.
    filler = rng.token(min_length - len(text), ALPHANUMERIC)
    return (text + filler, filler + text)


def _target(compiled: CompiledPattern, rng: Rng, low: int, high: int | None, attempt: int) -> int:
    """A length to aim at: within the bounds and what the pattern can match, short if free."""
    shortest, longest = compiled.width
    start = max(low, shortest)
    stop = min(high if high is not None else INFINITE, longest)
    if start > stop:  # the match alone cannot meet the bounds: aim short and pad
        return max(shortest, min(stop, low))
    return rng.randint(start, min(stop, start + _TARGET_SLACK[attempt % len(_TARGET_SLACK)]))


def _draw(compiled: CompiledPattern, rng: Rng, low: int, high: int | None, attempt: int) -> str:
    if low > 0 or high is not None:
        return compiled.draw_sized(rng, _target(compiled, rng, low, high, attempt))
    return compiled.draw(rng, _STRETCHES[attempt % len(_STRETCHES)])


def string_for_pattern(
    pattern: str,
    rng: Rng,
    *,
    min_length: int = 0,
    max_length: int | None = None,
    attempts: int = 16,
) -> str | None:
    """A string that `re.search(pattern, ...)` finds and whose length is within the bounds.

    Returns None when no such string turned up within `attempts` draws.
    """
    compiled = compile_pattern(pattern)
    if compiled is None:
        return None
    for attempt in range(attempts):
        text = _draw(compiled, rng, min_length, max_length, attempt)
        candidates: tuple[str, ...] = (text,)
        if len(text) < min_length:
            candidates = _padded(text, min_length, rng)
        for candidate in candidates:
            if _fits(candidate, min_length, max_length) and compiled.regex.search(candidate):
                return candidate
    return None
