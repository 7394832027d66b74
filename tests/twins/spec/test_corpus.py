"""Every real vendor spec in ../shared/specs loads, and every body and response schema compiles.

Each spec is loaded once per test session (the Stripe YAML is parsed cold into a temporary
cache: ~3 s). Compiling is what takes the time (Stripe's expandable objects pull in hundreds
of schemas each), so each distinct schema is compiled once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import SHARED_SPECS, all_shared_specs
from twins.spec import Operation, Spec, load_spec, schema_validator
from twins.spec import refs as pointers
from twins.spec.subschemas import iter_subschemas

SPECS = all_shared_specs()
# Documents that truly declare no operations (3.1 allows webhooks only).
NO_OPERATIONS = {"v3.1-webhook-example.yaml"}


class _LoadedOnce(dict[Path, Spec]):
    def __missing__(self, path: Path) -> Spec:
        self[path] = load_spec(path)
        return self[path]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[Path, Spec]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DTU_CACHE_DIR", str(tmp_path_factory.mktemp("dtu-cache")))
        yield _LoadedOnce()


def spec_id(path: Path) -> str:
    return str(path.relative_to(SHARED_SPECS))


corpus = pytest.mark.parametrize("path", SPECS, ids=[spec_id(p) for p in SPECS])


@corpus
def test_the_spec_loads_with_operations_and_no_skipped_ones(
    loaded: dict[Path, Spec], path: Path
) -> None:
    spec = loaded[path]
    if path.name in NO_OPERATIONS:
        assert spec.operations == []
    else:
        assert spec.operations
    assert [p for p in spec.problems if p.severity == "error"] == []


@corpus
def test_every_schema_ref_of_every_operation_resolves_in_the_document(
    loaded: dict[Path, Spec], path: Path
) -> None:
    spec = loaded[path]
    roots = [schema for operation in spec.operations for schema in operation_schemas(operation)]
    reachable = _refs_reachable(spec.document, roots)
    assert [ref for ref in reachable if not _resolves(spec.document, ref)] == []


@corpus
def test_every_body_and_response_schema_compiles(loaded: dict[Path, Spec], path: Path) -> None:
    spec = loaded[path]
    distinct: dict[bytes, tuple[str, dict[str, Any]]] = {}
    for operation in spec.operations:
        for schema in body_and_response_schemas(operation):
            key = orjson.dumps(schema, option=orjson.OPT_SORT_KEYS)
            distinct.setdefault(key, (operation.label, schema))
    failures = []
    for label, schema in distinct.values():
        try:
            schema_validator(spec, schema)
        except ValueError as error:  # jsonschema_rs.ValidationError is a ValueError
            failures.append((label, str(error)[:200]))
    assert failures == []


def body_and_response_schemas(operation: Operation) -> Iterator[dict[str, Any]]:
    if operation.request_body is not None:
        yield from (media.schema for media in operation.request_body.content.values())
    for response in operation.responses.values():
        yield from (media.schema for media in response.content.values())


def operation_schemas(operation: Operation) -> list[dict[str, Any]]:
    schemas = list(body_and_response_schemas(operation))
    schemas += [parameter.schema for parameter in operation.parameters]
    for response in operation.responses.values():
        schemas += [header.schema for header in response.headers.values()]
    return schemas


def _refs_reachable(document: dict[str, Any], roots: list[dict[str, Any]]) -> Iterator[str]:
    stack, seen = list(roots), set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
            if _resolves(document, ref):
                target = pointers.resolve(document, pointers.ref_pointer(ref))
                if isinstance(target, dict):
                    stack.append(target)
        stack.extend(child for _, _, child in iter_subschemas(node))


def _resolves(document: dict[str, Any], ref: str) -> bool:
    if not ref.startswith("#/"):
        return False
    try:
        pointers.resolve(document, pointers.ref_pointer(ref))
    except LookupError:
        return False
    return True
