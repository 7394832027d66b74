from __future__ import annotations

import twins.request


def test_the_public_api_is_exactly_what_is_documented() -> None:
    assert sorted(twins.request.__all__) == [
        "Coercer",
        "CoercerCompiler",
        "DEFAULT_LIMITS",
        "DocumentSchemas",
        "Limits",
        "MISFIT",
        "ParsedRequest",
        "RawRequest",
        "RequestValidator",
        "Resolve",
        "SchemaValidator",
        "UploadedFile",
        "coerce",
        "compile_schema",
        "parse_form",
        "parse_query",
    ]
    assert all(hasattr(twins.request, name) for name in twins.request.__all__)
