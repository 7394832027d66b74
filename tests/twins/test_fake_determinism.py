"""Replays: the same schema, name and seed give the same JSON bytes, in any process."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from typing import Any

import orjson

from tests.conftest import PROJECT_ROOT
from twins.fake import DataFaker, Rng

COMPONENTS: dict[str, Any] = {
    "customer": {
        "type": "object",
        "required": ["id", "email", "created", "address", "tags"],
        "properties": {
            "id": {"type": "string", "pattern": "^cus_[a-zA-Z0-9]{14}$"},
            "email": {"type": ["string", "null"], "format": "email"},
            "created": {"type": "integer"},
            "updated_at": {"type": "string", "format": "date-time"},
            "balance": {"type": "number", "multipleOf": 0.01},
            "address": {"$ref": "#/components/schemas/address"},
            "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
            "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
            "source": {
                "oneOf": [
                    {"type": "string", "format": "uuid"},
                    {"$ref": "#/components/schemas/address"},
                ]
            },
            "referrer": {"anyOf": [{"$ref": "#/components/schemas/customer"}, {"type": "null"}]},
        },
    },
    "address": {
        "type": "object",
        "properties": {k: {"type": "string"} for k in ("line1", "city", "postal_code", "country")},
    },
}

# Runs in a fresh interpreter: other hash seed, other time zone, another moment.
SCRIPT = """
import hashlib, json, sys
import orjson
from twins.fake import DataFaker, Rng
components = json.loads(sys.stdin.read())
resolve = lambda ref: components[ref.rsplit("/", 1)[-1]]
faker = DataFaker()
values = [
    faker.generate({"$ref": "#/components/schemas/customer"}, Rng.derive(seed, "customer"),
                   name="customer", resolve=resolve)
    for seed in range(30)
]
print(hashlib.sha256(orjson.dumps(values)).hexdigest())
"""


def _resolve(ref: str) -> Any:
    return COMPONENTS[ref.rsplit("/", 1)[-1]]


def _customers(faker: DataFaker) -> list[Any]:
    return [
        faker.generate(
            {"$ref": "#/components/schemas/customer"},
            Rng.derive(seed, "customer"),
            name="customer",
            resolve=_resolve,
        )
        for seed in range(30)
    ]


def test_same_seed_gives_the_same_bytes_in_the_same_process() -> None:
    assert orjson.dumps(_customers(DataFaker())) == orjson.dumps(_customers(DataFaker()))


def test_same_seed_gives_the_same_bytes_in_another_process() -> None:
    env = {**os.environ, "PYTHONHASHSEED": "4242", "TZ": "Pacific/Kiritimati"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        input=orjson.dumps(COMPONENTS).decode(),
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        timeout=60,
    )
    expected = hashlib.sha256(orjson.dumps(_customers(DataFaker()))).hexdigest()
    assert result.stdout.strip() == expected


def test_a_warm_cache_draws_what_a_cold_one_does() -> None:
    warm = DataFaker()
    warm.generate({"type": "array", "items": COMPONENTS["customer"]}, Rng(1), resolve=_resolve)
    assert _customers(warm) == _customers(DataFaker())


def test_the_global_random_module_does_not_leak_in() -> None:
    random.seed(1)
    first = _customers(DataFaker())
    random.seed(2)
    assert _customers(DataFaker()) == first


def test_different_seeds_give_different_values() -> None:
    values = _customers(DataFaker())
    assert len({orjson.dumps(v) for v in values}) == len(values)
