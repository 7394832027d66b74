"""`load_spec`: what refuses to load at all, and what the result carries."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from twins.errors import SpecError
from twins.spec import load_spec, loader


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DTU_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize(
    ("document", "pointer", "message"),
    [
        ([1, 2], "", "mapping, not a list"),
        ({"info": {}}, "", "no `openapi` or `swagger` field"),
        ({"openapi": "4.0.0"}, "/openapi", "'4.0.0' is not supported"),
        ({"openapi": "2.0"}, "/openapi", "not supported"),
        ({"swagger": "1.2"}, "/swagger", "'1.2' is not supported"),
    ],
)
def test_a_document_that_cannot_be_served_raises_a_spec_error(
    document: Any, pointer: str, message: str
) -> None:
    with pytest.raises(SpecError, match=message) as raised:
        load_spec(document)
    assert raised.value.pointer == pointer


def test_an_unparsable_file_raises_a_spec_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("openapi: 3.0.0\npaths:\n  /a: [\n")
    with pytest.raises(SpecError, match=r"broken.yaml: line \d+, column \d+"):
        load_spec(path)


def test_an_empty_file_is_not_an_openapi_document(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("")
    with pytest.raises(SpecError, match="mapping, not nothing"):
        load_spec(path)


def test_the_callers_dict_is_not_modified() -> None:
    document = {
        "openapi": "3.0.0",
        "info": {"title": "Pets", "version": "2"},
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "",
                            "content": {
                                "application/json": {"schema": {"type": "string", "nullable": True}}
                            },
                        }
                    }
                }
            }
        },
    }
    before = copy.deepcopy(document)
    load_spec(document)
    assert document == before


def test_the_result_carries_title_versions_and_source(tmp_path: Path) -> None:
    path = tmp_path / "pets.json"
    path.write_text('{"openapi": "3.0.2", "info": {"title": "Pets", "version": "2"}, "paths": {}}')
    spec = load_spec(path)
    assert (spec.title, spec.version, spec.source_version) == ("Pets", "2", "3.0.2")
    assert spec.source == str(path)
    assert spec.document["openapi"] == "3.1.0"
    assert load_spec(path, name="pets").source == "pets"


def test_a_dict_is_labelled_by_its_name() -> None:
    spec = load_spec({"openapi": "3.1.0", "info": {}}, name="inline")
    assert spec.source == "inline"


def test_a_yaml_number_version_is_accepted() -> None:
    assert load_spec({"openapi": 3.0, "info": {}}).source_version == "3.0"


def test_openapi_3_2_is_read_as_3_1_with_a_warning() -> None:
    spec = load_spec({"openapi": "3.2.0", "info": {}})
    assert [p.pointer for p in spec.problems] == ["/openapi"]


def test_the_normalised_cache_key_covers_every_module_the_loader_runs() -> None:
    # The key hashes twins/spec/*.py: code anywhere else could change a cached document unseen.
    folder = Path(loader.__file__).parent
    modules = [m for name, m in sys.modules.items() if name.startswith("twins.spec.")]
    assert {Path(str(m.__file__)).parent for m in modules} == {folder}
    assert "twins.spec.formats" in sys.modules


def test_a_cached_document_is_read_back_with_its_integer_bounds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "pets.json"
    limit = {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "uint64"}}
    operation = {"parameters": [limit], "responses": {"200": {"description": ""}}}
    path.write_bytes(
        orjson.dumps({"openapi": "3.0.3", "info": {}, "paths": {"/pets": {"get": operation}}})
    )
    assert load_spec(path).operations[0].parameters[0].schema["maximum"] == 2**64 - 1

    def not_again(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("normalised again instead of read from the cache")

    monkeypatch.setattr(loader, "normalise_schemas", not_again)
    assert load_spec(path).operations[0].parameters[0].schema["maximum"] == 2**64 - 1
