"""The curated public API of `twins.spec`."""

from __future__ import annotations

import twins.spec


def test_the_public_names_are_pinned() -> None:
    assert sorted(twins.spec.__all__) == [
        "Header",
        "MediaType",
        "Operation",
        "Parameter",
        "RequestBody",
        "Response",
        "SPEC_URI",
        "SecurityScheme",
        "Spec",
        "load_spec",
        "schema_validator",
        "spec_registry",
    ]
    for name in twins.spec.__all__:
        assert hasattr(twins.spec, name)
