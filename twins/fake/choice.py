"""Picking a branch of `oneOf` / `anyOf`: mostly at random, rarely null, cheaply when deep."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from twins.fake.run import Run

NULL_CHANCE = 0.1  # how often a nullable value is null, when it need not be

# How much a branch costs to draw, roughly: null < scalar < array < object < more composition.
_NULL, _SCALAR, _ARRAY, _OBJECT, _COMPOSED, _IMPOSSIBLE = range(6)
OBJECT_COST = _OBJECT


def cost(branch: Any, resolve: Callable[[str], Any], follow: bool = True) -> int:
    """A rough cost of drawing from `branch`, following at most one `$ref`."""
    if branch is False:
        return _IMPOSSIBLE
    if not isinstance(branch, dict):
        return _SCALAR
    ref = branch.get("$ref")
    if isinstance(ref, str):
        return cost(resolve(ref), resolve, follow=False) if follow else _OBJECT
    if branch.get("enum") == [None] or branch.get("const", ...) is None:
        return _NULL
    declared = branch.get("type")
    types = (
        [declared] if isinstance(declared, str) else declared if isinstance(declared, list) else []
    )
    if types == ["null"]:
        return _NULL
    if "enum" in branch or "const" in branch:
        return _SCALAR
    if any(k in branch for k in ("allOf", "oneOf", "anyOf")):
        return _COMPOSED
    if "object" in types or "properties" in branch:
        return _OBJECT
    if "array" in types or "items" in branch:
        return _ARRAY
    return _SCALAR


@dataclass(frozen=True, slots=True)
class Choice:
    """One `oneOf` or `anyOf` and what each of its branches costs."""

    kind: str
    branches: tuple[Any, ...]
    costs: tuple[int, ...]
    references: frozenset[int] = frozenset()  # string branches that are ids of an object one
    nulls: tuple[int, ...] = field(init=False)
    others: tuple[int, ...] = field(init=False)
    cheapest: int = field(init=False)

    def __post_init__(self) -> None:
        # Frozen dataclass: derived fields are set through object.__setattr__ once.
        nulls = tuple(i for i, c in enumerate(self.costs) if c == _NULL)
        others = tuple(i for i, c in enumerate(self.costs) if c != _NULL)
        object.__setattr__(self, "nulls", nulls)
        object.__setattr__(self, "others", others)
        object.__setattr__(self, "cheapest", self.costs.index(min(self.costs)))

    def pick(self, run: Run, depth: int, null_chance: float) -> int:
        """The branch to draw from; past the depth limit, the cheapest (null, if it may be)."""
        if depth <= 0 or run.nodes <= 0:
            return self.cheapest
        if self.nulls and (not self.others or run.rng.random() < null_chance):
            return self.nulls[0]
        return run.rng.choice(self.others)
