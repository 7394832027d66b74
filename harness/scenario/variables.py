"""Drawing a scenario's variables for a trial: the same seed always gives the same values.

Each variable draws from its own generator, seeded from (trial seed, variable name), so adding
a variable never changes the values of the others."""

from __future__ import annotations

import hashlib
import random
from typing import Any

from harness.scenario.model import Variable
from harness.scenario.template import TemplateError


def derived_seed(seed: int, name: str) -> int:
    digest = hashlib.sha256(f"{seed}:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def draw(variables: tuple[Variable, ...], seed: int) -> dict[str, Any]:
    return {
        variable.name: _draw_one(variable, derived_seed(seed, variable.name))
        for variable in variables
    }


def _draw_one(variable: Variable, seed: int) -> Any:
    if variable.faker is not None:
        return _fake(variable.faker, seed)
    chooser = random.Random(seed)  # noqa: S311 - test data, not secrets; seeded for replay
    if variable.int_range is not None:
        return chooser.randint(*variable.int_range)
    assert variable.choice is not None  # the loader allows exactly one source
    return chooser.choice(variable.choice)


def _fake(provider: str, seed: int) -> Any:
    from faker import Faker  # imported on use: it is slow to import, and `dtu serve` loads this CLI

    fake = Faker()
    fake.seed_instance(seed)
    if provider.startswith("_"):
        raise TemplateError(f"faker provider {provider!r} is not public")
    try:
        method = getattr(fake, provider)
    except AttributeError as error:
        raise TemplateError(f"faker has no provider {provider!r}") from error
    if not callable(method):
        raise TemplateError(f"faker's {provider!r} is not a provider")
    value = method()
    return value if isinstance(value, str | int | float | bool) else str(value)
