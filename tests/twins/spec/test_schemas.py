"""Reading schemas: refs followed, allOf merged, nullable wrappers seen through."""

from __future__ import annotations

from typing import Any

from twins.spec.schemas import array_items, deref, object_view, properties_of, types_of

DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "Named": {"type": "object", "required": ["name"], "properties": {"name": {}}},
            "Pet": {
                "allOf": [
                    {"$ref": "#/components/schemas/Named"},
                    {"required": ["id"], "properties": {"id": {"type": "integer"}}},
                ]
            },
            "MaybePet": {"anyOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "null"}]},
            "Pets": {"type": ["array", "null"], "items": {"$ref": "#/components/schemas/Pet"}},
            "Loop": {"allOf": [{"$ref": "#/components/schemas/Loop"}]},
        }
    }
}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_deref_follows_refs_and_reads_a_dangling_one_as_anything() -> None:
    assert deref(DOCUMENT, ref("Named"))["type"] == "object"
    assert deref(DOCUMENT, ref("Nope")) == {}


def test_types_of_reads_a_type_list_or_infers_from_keywords() -> None:
    assert types_of({"type": ["string", "null"]}) == {"string", "null"}
    assert types_of({"properties": {}}) == {"object"}
    assert types_of({}) == set()


def test_object_view_merges_all_of_properties_and_required() -> None:
    view = object_view(DOCUMENT, ref("Pet"))
    assert set(view["properties"]) == {"name", "id"}
    assert set(view["required"]) == {"name", "id"}


def test_a_nullable_wrapper_is_seen_through() -> None:
    assert set(properties_of(DOCUMENT, ref("MaybePet"))) == {"name", "id"}


def test_array_items_of_a_nullable_array() -> None:
    assert array_items(DOCUMENT, ref("Pets")) == ref("Pet")
    assert array_items(DOCUMENT, ref("Pet")) is None


def test_a_self_referencing_all_of_does_not_loop() -> None:
    assert object_view(DOCUMENT, ref("Loop")) == {}
