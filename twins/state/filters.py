"""Equality filters on top-level body fields: pushed into SQL where the dialect can, else Python.

Both paths follow one rule, `json_equal`: values are equal as JSON values are. Numbers compare
by value (1 == 1.0), a boolean is never a number (true != 1), a string never equals a number
("1" != 1), null equals only null, and a missing field matches nothing, not even null.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from twins.state.dialect import Dialect


def json_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@dataclass(frozen=True, slots=True)
class FilterPlan:
    clauses: tuple[str, ...]
    params: tuple[Any, ...]
    residual: tuple[tuple[str, Any], ...]  # what SQL could not say, checked on decoded bodies

    def matches(self, body: Mapping[str, Any]) -> bool:
        return all(f in body and json_equal(body[f], v) for f, v in self.residual)


NO_FILTERS = FilterPlan((), (), ())


def plan_filters(dialect: Dialect, filters: Mapping[str, Any] | None) -> FilterPlan:
    if not filters:
        return NO_FILTERS
    clauses: list[str] = []
    params: list[Any] = []
    residual: list[tuple[str, Any]] = []
    for field, value in filters.items():
        clause = dialect.json_equals(field, value)
        if clause is None:
            residual.append((field, value))
        else:
            clauses.append(clause[0])
            params.extend(clause[1])
    return FilterPlan(tuple(clauses), tuple(params), tuple(residual))
