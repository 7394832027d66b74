"""`DataFaker`: the entry point that turns a schema and a stream into a valid, realistic value."""

from __future__ import annotations

from typing import Any

from twins.fake.check import Resolver
from twins.fake.compiler import Compiler, Mode
from twins.fake.pools import Pools, default_pools
from twins.fake.rng import Rng
from twins.fake.run import Run

Schema = dict[str, Any]

DEFAULT_DEPTH_LIMIT = 5
DEFAULT_MAX_CONTAINERS = 400
_MAX_COMPILERS = 256


def no_refs(ref: str) -> Any:
    """The resolver used when none is given: every `$ref` means "anything"."""
    return {}


def _resolver_key(resolve: Resolver) -> tuple[int, int]:
    # `spec.resolve` makes a new bound method on each access: key by its object and function.
    owner = getattr(resolve, "__self__", None)
    function = getattr(resolve, "__func__", resolve)
    return id(owner), id(function)


class DataFaker:
    """Draws JSON values that validate against JSON Schema 2020-12, realistic by field name.

    Build one and keep it: compiled plans are cached per schema object, so a schema is only
    worked out on its first use (schemas must not be mutated after that). The same schema,
    name and stream seed give the same value in every process. Safe to share between threads.
    """

    def __init__(self, pools: Pools | None = None) -> None:
        self._pools = pools or default_pools()
        self._compilers: dict[tuple[tuple[int, int], str, bool], tuple[Resolver, Compiler]] = {}

    def generate(
        self,
        schema: Schema | bool,
        rng: Rng,
        *,
        name: str = "",
        resolve: Resolver | None = None,
        mode: Mode = "response",
        depth_limit: int = DEFAULT_DEPTH_LIMIT,
        prefer_examples: bool = False,
        max_containers: int = DEFAULT_MAX_CONTAINERS,
    ) -> Any:
        """A value valid against `schema`, drawn from `rng`.

        `name` is the field (or resource) the value is for: it makes `email` an address.
        `resolve` maps a local `$ref` ("#/components/schemas/X") to its schema. In "response"
        mode writeOnly properties are left out, in "request" mode readOnly ones. Objects and
        arrays nested deeper than `depth_limit`, or beyond the first `max_containers`, shrink to
        the least that is valid. With `prefer_examples`, the spec's valid examples are used.
        """
        compiler = self._compiler(resolve or no_refs, mode, prefer_examples)
        return compiler.plan(schema, name)(Run(rng, max_containers), depth_limit)

    def value_for_name(self, name: str, rng: Rng, type: str = "string") -> Any:
        """A realistic value of JSON `type` for a field called `name`: `created_at`, `email`."""
        return self.generate({"type": type}, rng, name=name)

    def _compiler(self, resolve: Resolver, mode: Mode, prefer_examples: bool) -> Compiler:
        key = (_resolver_key(resolve), mode, prefer_examples)
        entry = self._compilers.get(key)
        if entry is None:
            if len(self._compilers) >= _MAX_COMPILERS:
                self._compilers.clear()  # many short-lived resolvers: start afresh, stay bounded
            # The resolver is kept beside its compiler so that the ids in the key stay its own.
            entry = (resolve, Compiler(resolve, mode, prefer_examples, self._pools))
            self._compilers[key] = entry
        return entry[1]
