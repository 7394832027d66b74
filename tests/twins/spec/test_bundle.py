"""Refs to other files of the spec's folder are inlined; anything beyond it is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from twins.spec import Spec, load_spec
from twins.spec.bundle import has_external_refs


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DTU_CACHE_DIR", str(tmp_path / "cache"))


def write(path: Path, content: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(content))
    return path


def spec_with_response_schema(folder: Path, schema: object, **extra: object) -> Spec:
    media = {"application/json": {"schema": schema}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/pets": {"get": {"responses": {"200": {"description": "", "content": media}}}}},
        **extra,
    }
    return load_spec(write(folder / "api" / "openapi.yaml", document))


def response_schema(spec: Spec) -> object:
    return spec.operations[0].responses["200"].content["application/json"].schema


def test_a_schema_in_another_file_is_copied_into_components_schemas(tmp_path: Path) -> None:
    write(tmp_path / "api" / "schemas" / "pet.yaml", {"Pet": {"type": "string", "nullable": True}})
    spec = spec_with_response_schema(tmp_path, {"$ref": "./schemas/pet.yaml#/Pet"})
    assert response_schema(spec) == {"$ref": "#/components/schemas/Pet"}
    assert spec.document["components"]["schemas"]["Pet"] == {"type": ["string", "null"]}
    assert spec.problems == []


def test_a_whole_file_ref_is_named_after_the_file(tmp_path: Path) -> None:
    write(tmp_path / "api" / "common.yaml", {"type": "integer"})
    spec = spec_with_response_schema(tmp_path, {"$ref": "common.yaml"})
    assert response_schema(spec) == {"$ref": "#/components/schemas/common"}


def test_refs_inside_a_referenced_file_are_relative_to_that_file(tmp_path: Path) -> None:
    write(tmp_path / "api" / "schemas" / "owner.yaml", {"type": "string"})
    write(
        tmp_path / "api" / "schemas" / "pet.yaml",
        {
            "Pet": {
                "properties": {
                    "owner": {"$ref": "owner.yaml"},
                    "friend": {"$ref": "#/Pet"},
                    "tag": {"$ref": "#/Tag"},
                }
            },
            "Tag": {"type": "string"},
        },
    )
    spec = spec_with_response_schema(tmp_path, {"$ref": "schemas/pet.yaml#/Pet"})
    schemas = spec.document["components"]["schemas"]
    assert schemas["Pet"]["properties"] == {
        "owner": {"$ref": "#/components/schemas/owner"},
        "friend": {"$ref": "#/components/schemas/Pet"},
        "tag": {"$ref": "#/components/schemas/Tag"},
    }
    assert spec.problems == []


def test_a_name_already_taken_gets_a_suffix(tmp_path: Path) -> None:
    write(tmp_path / "api" / "pet.yaml", {"Pet": {"type": "integer"}})
    components = {"schemas": {"Pet": {"type": "string"}}}
    spec = spec_with_response_schema(tmp_path, {"$ref": "pet.yaml#/Pet"}, components=components)
    assert response_schema(spec) == {"$ref": "#/components/schemas/Pet_2"}
    assert spec.document["components"]["schemas"]["Pet"] == {"type": "string"}


def test_parameters_and_responses_go_to_their_own_sections(tmp_path: Path) -> None:
    write(
        tmp_path / "api" / "common.yaml",
        {
            "Limit": {"name": "limit", "in": "query", "schema": {"$ref": "#/Count"}},
            "Count": {"type": "integer"},
            "NotFound": {"description": "gone"},
        },
    )
    operation = {
        "parameters": [{"$ref": "common.yaml#/Limit"}],
        "responses": {"404": {"$ref": "common.yaml#/NotFound"}},
    }
    document = {"openapi": "3.0.0", "info": {}, "paths": {"/a": {"get": operation}}}
    spec = load_spec(write(tmp_path / "api" / "openapi.yaml", document))
    components = spec.document["components"]
    assert components["parameters"]["Limit"]["schema"] == {"$ref": "#/components/schemas/Count"}
    assert components["responses"]["NotFound"] == {"description": "gone"}
    [parameter] = spec.operations[0].parameters
    assert parameter.name == "limit"


def test_a_path_item_in_another_file_is_inlined(tmp_path: Path) -> None:
    write(
        tmp_path / "api" / "paths" / "pets.yaml",
        {"get": {"responses": {"200": {"description": ""}}}},
    )
    document = {"openapi": "3.0.0", "info": {}, "paths": {"/pets": {"$ref": "paths/pets.yaml"}}}
    spec = load_spec(write(tmp_path / "api" / "openapi.yaml", document))
    assert [op.label for op in spec.operations] == ["GET /pets"]


def test_files_referring_to_each_other_do_not_loop(tmp_path: Path) -> None:
    write(tmp_path / "api" / "a.yaml", {"properties": {"b": {"$ref": "b.yaml"}}})
    write(tmp_path / "api" / "b.yaml", {"properties": {"a": {"$ref": "a.yaml"}}})
    spec = spec_with_response_schema(tmp_path, {"$ref": "a.yaml"})
    schemas = spec.document["components"]["schemas"]
    assert schemas["a"]["properties"]["b"] == {"$ref": "#/components/schemas/b"}
    assert schemas["b"]["properties"]["a"] == {"$ref": "#/components/schemas/a"}


def test_swagger_2_external_schemas_land_in_components_too(tmp_path: Path) -> None:
    write(tmp_path / "api" / "pet.yaml", {"type": "object", "x-nullable": True})
    response = {"200": {"description": "", "schema": {"$ref": "pet.yaml"}}}
    document = {"swagger": "2.0", "info": {}, "paths": {"/a": {"get": {"responses": response}}}}
    spec = load_spec(write(tmp_path / "api" / "swagger.yaml", document))
    assert spec.document["components"]["schemas"]["pet"] == {"type": ["object", "null"]}
    assert response_schema(spec) == {"$ref": "#/components/schemas/pet"}


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("../outside.yaml", "leaves the spec's folder"),
        ("https://example.com/pet.yaml", "URL"),
        ("file:///etc/passwd", "URL"),
        ("/etc/passwd", "absolute path"),
        ("missing.yaml", "cannot read"),
        ("pet.yaml#/Nope", "points at nothing"),
    ],
)
def test_a_ref_that_cannot_or_must_not_be_read_is_a_warning_naming_its_pointer(
    tmp_path: Path, ref: str, reason: str
) -> None:
    write(tmp_path / "outside.yaml", {"type": "string"})
    write(tmp_path / "api" / "pet.yaml", {"type": "string"})
    spec = spec_with_response_schema(tmp_path, {"$ref": ref})
    assert response_schema(spec) == {}
    [problem] = spec.problems
    assert problem.pointer == "/paths/~1pets/get/responses/200/content/application~1json/schema"
    assert reason in problem.message


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "secret.yaml", {"type": "string"})
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "link.yaml").symlink_to(tmp_path / "secret.yaml")
    spec = spec_with_response_schema(tmp_path, {"$ref": "link.yaml"})
    assert "leaves the spec's folder" in spec.problems[0].message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'"$ref": "#/components/schemas/A"', False),
        (b"$ref: '#/a'", False),
        (b"$ref: >-\n    #/components/schemas/A", False),
        (b'"$ref": "pet.json"', True),
        (b"$ref: './pet.yaml#/Pet'", True),
        (b"$ref: pet.yaml", True),
    ],
)
def test_external_refs_are_spotted_in_raw_bytes(raw: bytes, expected: bool) -> None:
    assert has_external_refs(raw) is expected
