"""What one `generate` call carries down the plan: the stream and what is left of the budgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twins.fake.rng import Rng

# Below this depth even required properties stop: a schema whose every instance is infinite
# (a required property that refers back to its own object) still returns, if invalid.
HARD_FLOOR = -12


class Run:
    """The state of one generation: `nodes` counts down the containers still allowed in full."""

    __slots__ = ("rng", "nodes")

    def __init__(self, rng: Rng, nodes: int) -> None:
        self.rng = rng
        self.nodes = nodes


# A compiled plan: draws one value; `depth` is the nesting still allowed in full.
Gen = Callable[[Run, int], Any]
