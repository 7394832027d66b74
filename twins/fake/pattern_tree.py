"""A regular expression as a small tree of nodes to draw strings from.

The standard library's own parser reads the pattern (after ECMA-262 syntax that Python lacks is
rewritten); its output becomes plain tuples, with consecutive literals joined. Anchors, word
boundaries and lookarounds consume nothing and are left out: the final `re.search` judges them.
"""

from __future__ import annotations

import bisect
import importlib
import re
import string
from dataclasses import dataclass
from typing import Any

from twins.fake.rng import ALPHANUMERIC, Rng

# `re._parser` has no type stubs; it is the parser `re.compile` itself uses (sre_parse warns).
_sre: Any = importlib.import_module("re._parser")

_PRINTABLE = string.ascii_letters + string.digits + string.punctuation + " "
_CATEGORIES = {
    "CATEGORY_DIGIT": string.digits,
    "CATEGORY_NOT_DIGIT": string.ascii_letters + "-_.",
    "CATEGORY_WORD": string.ascii_letters + string.digits + "_",
    "CATEGORY_NOT_WORD": "-.:/ ",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": ALPHANUMERIC,
}


@dataclass(frozen=True, slots=True)
class CharSet:
    """Code point ranges to draw one character from, weighted by their size."""

    starts: tuple[int, ...]
    cumulative: tuple[int, ...]

    def draw(self, rng: Rng) -> str:
        point = rng.randint(0, self.cumulative[-1] - 1)
        index = bisect.bisect_right(self.cumulative, point)
        before = self.cumulative[index - 1] if index else 0
        return chr(self.starts[index] + point - before)


# Nodes of the tree: ("lit", text) | ("set", CharSet) | ("seq", nodes) | ("alt", seqs)
# | ("group", number, node) | ("rep", low, high or -1, node) | ("ref", number)
# | ("cond", number, yes, no)
Node = tuple[Any, ...]


def _charset_of(ranges: list[tuple[int, int]]) -> CharSet:
    starts: list[int] = []
    cumulative: list[int] = []
    total = 0
    for low, high in ranges:
        total += high - low + 1
        starts.append(low)
        cumulative.append(total)
    return CharSet(tuple(starts), tuple(cumulative))


def _chars_as_set(chars: str) -> CharSet:
    return _charset_of([(ord(c), ord(c)) for c in chars])


def _clip_to_readable(low: int, high: int) -> tuple[int, int]:
    # Prefer printable ASCII where a range covers it, and never draw a lone surrogate.
    if low <= 0x7E and high >= 0x21:
        return max(low, 0x21), min(high, 0x7E)
    if low <= 0xDFFF and high >= 0xD800:
        return (low, 0xD7FF) if low < 0xD800 else (0xE000, max(high, 0xE000))
    return low, high


def _matches_item(op: str, av: Any, char: str) -> bool:
    code = ord(char)
    if op == "LITERAL":
        return bool(code == av)
    if op == "RANGE":
        return bool(av[0] <= code <= av[1])
    if op == "CATEGORY":
        return re.fullmatch(_CATEGORY_REGEX[str(av)], char) is not None
    return False


_CATEGORY_REGEX = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
}


def _class_node(items: list[tuple[Any, Any]]) -> Node:
    named = [(op.name, av) for op, av in items]
    if named and named[0][0] == "NEGATE":
        rest = named[1:]
        allowed = [c for c in _PRINTABLE if not any(_matches_item(o, a, c) for o, a in rest)]
        readable = [c for c in allowed if c.isalnum()] or allowed or ["\u00e9"]
        return ("set", _chars_as_set("".join(readable)))
    ranges: list[tuple[int, int]] = []
    for op, av in named:
        if op == "LITERAL":
            ranges.append((av, av))
        elif op == "RANGE":
            ranges.append(_clip_to_readable(av[0], av[1]))
        elif op == "CATEGORY":
            ranges.extend((ord(c), ord(c)) for c in _CATEGORIES.get(str(av), "a"))
    return ("set", _charset_of(ranges or [(ord("a"), ord("a"))]))


def _convert(parsed: Any) -> Node:
    nodes: list[Node] = []
    for op, av in parsed:
        node = _convert_one(op.name, av)
        if node is None:
            continue
        if node[0] == "lit" and nodes and nodes[-1][0] == "lit":
            nodes[-1] = ("lit", nodes[-1][1] + node[1])
        else:
            nodes.append(node)
    return nodes[0] if len(nodes) == 1 else ("seq", tuple(nodes))


def _convert_one(op: str, av: Any) -> Node | None:
    if op == "LITERAL":
        return ("lit", chr(av))
    if op in ("NOT_LITERAL", "IN"):
        items = [(_NEGATE, None), (_LITERAL, av)] if op == "NOT_LITERAL" else av
        return _class_node(items)
    if op == "ANY":
        return ("set", _chars_as_set(ALPHANUMERIC))
    if op == "CATEGORY":
        return ("set", _chars_as_set(_CATEGORIES.get(str(av), "a")))
    if op == "BRANCH":
        return ("alt", tuple(_convert(branch) for branch in av[1]))
    if op == "SUBPATTERN":
        return ("group", av[0], _convert(av[3]))
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        high = -1 if av[1] == _sre.MAXREPEAT else av[1]
        return ("rep", av[0], high, _convert(av[2]))
    if op == "ATOMIC_GROUP":
        return _convert(av)
    if op == "GROUPREF":
        return ("ref", av)
    if op == "GROUPREF_EXISTS":
        no = _convert(av[2]) if av[2] is not None else ("seq", ())
        return ("cond", av[0], _convert(av[1]), no)
    # Anchors, word boundaries and lookarounds consume nothing; the final check judges them.
    return None


_NEGATE: Any = _sre.NEGATE
_LITERAL: Any = _sre.LITERAL


_UNICODE_CLASSES = {"L": "A-Za-z", "Lu": "A-Z", "Ll": "a-z", "N": "0-9", "Nd": "0-9"}
_ECMA_ESCAPE = re.compile(r"\\(?:([pP])\{(\w+)\}|k<(\w+)>)")


def _translate_escape(match: re.Match[str], in_class: bool) -> str:
    if match.group(3):
        return f"(?P={match.group(3)})"
    ranges = _UNICODE_CLASSES.get(match.group(2), "A-Za-z")
    if in_class:
        return ranges if match.group(1) == "p" else "0-9_"
    return f"[{ranges}]" if match.group(1) == "p" else f"[^{ranges}]"


def translate_ecma(pattern: str) -> str:
    """Rewrite the ECMA-262 syntax Python's `re` lacks: `(?<name>`, `\\k<name>`, `\\p{L}`."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        escape = _ECMA_ESCAPE.match(pattern, index) if char == "\\" else None
        if escape is not None:
            out.append(_translate_escape(escape, in_class))
            index = escape.end()
            continue
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if (
            not in_class
            and pattern.startswith("(?<", index)
            and pattern[index + 3 : index + 4] not in "=!"
        ):
            out.append("(?P<")
            index += 3
            continue
        in_class = (char == "[") or (in_class and char != "]")
        out.append(char)
        index += 1
    return "".join(out)


def parse(pattern: str) -> Node:
    """The tree of `pattern` as Python reads it; raises `re.error` when it cannot."""
    return _convert(_sre.parse(pattern))


INFINITE = 10**9


def width(node: Node, cache: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """The shortest and longest text `node` matches (INFINITE when unbounded); memoised."""
    found = cache.get(id(node))
    if found is None:
        found = _width(node, cache)
        cache[id(node)] = found
    return found


def _width(node: Node, cache: dict[int, tuple[int, int]]) -> tuple[int, int]:
    kind = node[0]
    if kind == "lit":
        return len(node[1]), len(node[1])
    if kind == "set":
        return 1, 1
    if kind == "seq":
        widths = [width(child, cache) for child in node[1]]
        return sum(w[0] for w in widths), min(INFINITE, sum(w[1] for w in widths))
    if kind == "alt" or kind == "cond":
        widths = [width(child, cache) for child in (node[1] if kind == "alt" else node[2:])]
        return min(w[0] for w in widths), max(w[1] for w in widths)
    if kind == "group":
        return width(node[2], cache)
    if kind == "rep":
        low, high = width(node[3], cache)
        top = INFINITE if node[2] < 0 else min(INFINITE, node[2] * high)
        return node[1] * low, top
    return 0, INFINITE  # a back-reference: as long as what its group matched
