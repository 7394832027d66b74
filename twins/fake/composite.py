"""`oneOf` / `anyOf`: pick branches, merge them with what stands beside them, and draw.

For `oneOf` the value must match no other branch. When it does, the other branch is tried next
(it is the wider one: a catch-all `{"type": "object"}` branch is only ever valid drawn from
itself), and an object that matched another branch only through optional properties that the
other branch requires is first trimmed of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from twins.fake.choice import NULL_CHANCE, Choice
from twins.fake.merge import merge
from twins.fake.run import HARD_FLOOR, Gen, Run

if TYPE_CHECKING:
    from twins.fake.compiler import Compiler

_ONE_OF_ATTEMPTS = 12


def _required_in(parts: list[dict[str, Any]]) -> frozenset[str]:
    names = (name for part in parts for name in part.get("required") or ())
    return frozenset(name for name in names if isinstance(name, str))


@dataclass(frozen=True, slots=True)
class Variant:
    """The plan for one combination of branches, and the properties it requires."""

    gen: Gen
    nested: bool  # the branches chose again: the plan holds `oneOf`/`anyOf` of its own
    required: frozenset[str]


class Composite:
    """A schema with `oneOf`/`anyOf`: pick branches, then draw from their merge with the rest."""

    def __init__(
        self, compiler: Compiler, parts: list[dict[str, Any]], choices: list[Choice], name: str
    ) -> None:
        self._compiler = compiler
        self._parts = parts
        self._choices = choices
        self._name = name
        self._variants: dict[tuple[int, ...], Variant] = {}
        self._required: dict[int, frozenset[str]] = {}
        self._exclusive = [c for c in choices if c.kind == "oneOf" and len(c.branches) > 1]
        widest = max((len(c.branches) for c in self._exclusive), default=1)
        self._attempts = min(max(widest, 4), _ONE_OF_ATTEMPTS) if self._exclusive else 1

    def gen(self, run: Run, depth: int) -> Any:
        if depth < HARD_FLOOR:
            return None
        picks = [c.pick(run, depth, NULL_CHANCE) for c in self._choices]
        tried: set[tuple[int, ...]] = set()
        value = None
        for _ in range(self._attempts):
            tried.add(tuple(picks))
            variant = self._variant(tuple(picks))
            # A branch that chooses again without drawing a container must still move down.
            value = variant.gen(run, depth - 1 if variant.nested else depth)
            clash = self._clash(picks, value) if self._exclusive else None
            if clash is None:
                break
            trimmed = self._trimmed(value, picks, clash, variant.required)
            if trimmed is not None:
                return trimmed
            self._next_picks(picks, clash, tried)
        return value

    def _trimmed(
        self, value: Any, picks: list[int], clash: tuple[int, int], own: frozenset[str]
    ) -> dict[str, Any] | None:
        """`value` without the optional properties that made it match the other branch too."""
        if not isinstance(value, dict):
            return None
        position, other = clash
        extra = self._required_by(self._choices[position].branches[other]) - own
        if not extra.intersection(value):
            return None
        trimmed = {k: v for k, v in value.items() if k not in extra}
        return trimmed if self._clash(picks, trimmed) is None else None

    def _required_by(self, branch: Any) -> frozenset[str]:
        found = self._required.get(id(branch))
        if found is None:
            parts: list[dict[str, Any]] = []
            self._compiler.flatten(branch, parts, [])
            found = _required_in(parts)
            self._required[id(branch)] = found
        return found

    def _next_picks(
        self, picks: list[int], clash: tuple[int, int], tried: set[tuple[int, ...]]
    ) -> None:
        """After a value matched another `oneOf` branch too, try that (wider) branch next."""
        position, other = clash
        picks[position] = other
        size = len(self._choices[position].branches)
        while tuple(picks) in tried and len(tried) < size:
            picks[position] = (picks[position] + 1) % size

    def _variant(self, picks: tuple[int, ...]) -> Variant:
        found = self._variants.get(picks)
        if found is None:
            parts = list(self._parts)
            nested: list[Choice] = []
            for choice, pick in zip(self._choices, picks, strict=True):
                self._compiler.flatten(choice.branches[pick], parts, nested)
            if not nested and len(parts) == 1:
                schema = parts[0]
            else:
                schema = merge(parts)
                if nested:
                    schema["allOf"] = [{c.kind: list(c.branches)} for c in nested]
            referring = any(p in c.references for c, p in zip(self._choices, picks, strict=True))
            plan = self._compiler.plan(schema, f"{self._name}_id" if referring else self._name)
            found = Variant(plan, bool(nested), _required_in(parts))
            self._variants[picks] = found
        return found

    def _clash(self, picks: list[int], value: Any) -> tuple[int, int] | None:
        """The first `oneOf` branch, other than the one drawn from, that `value` also matches."""
        matches = self._compiler.checker.matches
        for position, (choice, pick) in enumerate(zip(self._choices, picks, strict=True)):
            if choice.kind != "oneOf":
                continue
            for index, branch in enumerate(choice.branches):
                if index != pick and matches(branch, value) is True:
                    return position, index
        return None
