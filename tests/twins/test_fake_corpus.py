"""Every component schema of the real vendor specs gives values that validate against it."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from tests.conftest import all_shared_specs, shared_spec
from twins.fake import DataFaker, Mode, Rng

FAKER = DataFaker()
# Schemas no value can satisfy, by spec: what one of the errors they give says.
KNOWN_SPEC_BUGS = {
    "cpy.re_peertube.json": (
        'does not match "/^',  # a JavaScript regex literal, slashes and all
        "False schema does not allow",  # additionalProperties: false beside no properties
    ),
    "whatsapp.local.json": ('is not of type "integer"',),  # integers whose enum lists strings
    "listennotes.com.json": ("is valid under more than one",),  # a oneOf of four lookalikes
}


@functools.cache
def _document(path: Path) -> dict[str, Any]:
    from twins.spec import load_spec  # noqa: PLC0415 - only the corpus tests need the loader

    return load_spec(path).document


def _resolver(document: dict[str, Any]) -> Any:
    def resolve(ref: str) -> Any:
        node: Any = document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    return resolve


def _flagged(schema: Any, flag: str, resolve: Any, level: int = 0) -> bool:
    if not isinstance(schema, dict) or level > 3:
        return False
    ref = schema.get("$ref")
    members = [resolve(ref)] if isinstance(ref, str) else []
    members += schema.get("allOf") or []
    return schema.get(flag) is True or any(_flagged(m, flag, resolve, level + 1) for m in members)


def _without_skipped_required(node: Any, flag: str, resolve: Any) -> Any:
    """The schemas as a request (flag readOnly) or a response (writeOnly) reads `required`."""
    if isinstance(node, list):
        return [_without_skipped_required(item, flag, resolve) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _without_skipped_required(value, flag, resolve) for key, value in node.items()}
    properties = node.get("properties")
    if isinstance(properties, dict) and isinstance(node.get("required"), list):
        skipped = {k for k, v in properties.items() if _flagged(v, flag, resolve)}
        out["required"] = [name for name in node["required"] if name not in skipped]
    return out


def _invalid_components(path: Path, seed: int, mode: Mode = "response") -> dict[str, list[str]]:
    document = _document(path)
    names = list((document.get("components") or {}).get("schemas") or {})
    flag = "writeOnly" if mode == "response" else "readOnly"
    resolve = _resolver(document)
    # One validator for all components: shared refs compile once (seconds, not minutes).
    root = {
        "type": "object",
        "properties": {name: {"$ref": f"#/components/schemas/{name}"} for name in names},
        "components": _without_skipped_required(document.get("components"), flag, resolve),
    }
    validator = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
    values = {
        name: FAKER.generate(
            {"$ref": f"#/components/schemas/{name}"},
            Rng.derive(seed, path.name, name),
            name=name,
            resolve=resolve,
            mode=mode,
        )
        for name in names
    }
    errors: dict[str, list[str]] = {}
    for error in validator.iter_errors(values):
        errors.setdefault(str(error.instance_path[0]), []).append(error.message)
    known = KNOWN_SPEC_BUGS.get(path.name, ())
    return {
        name: [message[:300] for message in messages]
        for name, messages in errors.items()
        if not any(bug in message for bug in known for message in messages)
    }


@pytest.mark.parametrize(
    "relative", ["github/api.github.com.json", "stripe/spec3.yaml"], ids=["github", "stripe"]
)
def test_every_github_and_stripe_component_gives_valid_responses(relative: str) -> None:
    assert _invalid_components(shared_spec(relative), seed=0) == {}


@pytest.mark.parametrize("path", all_shared_specs(), ids=lambda p: p.name)
def test_every_component_of_every_shared_spec_gives_valid_requests(path: Path) -> None:
    assert _invalid_components(path, 7, mode="request") == {}
