"""Seeded data generation: the one source of randomness in dtu.

    Rng          a seeded stream; `Rng.derive(seed, "stripe", "POST /v1/customers", 17)`
    DataFaker    schema + Rng -> a valid, realistic JSON value (`generate`)
    string_for_pattern   a string matching a JSON Schema `pattern`

Every random choice goes through an `Rng`, so any run can be replayed from its seed; nothing
reads the clock or Python's `hash()`.
"""

from twins.fake.check import Resolver
from twins.fake.compiler import Mode
from twins.fake.datafaker import DEFAULT_DEPTH_LIMIT, DEFAULT_MAX_CONTAINERS, DataFaker
from twins.fake.pools import Pools, default_pools
from twins.fake.regex import string_for_pattern
from twins.fake.rng import Rng, stable_seed
from twins.fake.values import EPOCH

__all__ = [
    "DEFAULT_DEPTH_LIMIT",
    "DEFAULT_MAX_CONTAINERS",
    "EPOCH",
    "DataFaker",
    "Mode",
    "Pools",
    "Resolver",
    "Rng",
    "default_pools",
    "stable_seed",
    "string_for_pattern",
]
