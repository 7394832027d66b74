"""Security schemes of 3.x documents."""

from __future__ import annotations

from twins.errors import Problem
from twins.spec.security import security_schemes


def test_each_scheme_type_is_read() -> None:
    document = {
        "components": {
            "securitySchemes": {
                "key": {"type": "apiKey", "name": "api_key", "in": "query"},
                "bearer": {"type": "http", "scheme": "Bearer"},
                "oauth": {"type": "oauth2", "flows": {"implicit": {"scopes": {}}}},
                "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://x"},
                "shared": {"$ref": "#/components/securitySchemes/key"},
            }
        }
    }
    schemes = security_schemes(document, [])
    assert (schemes["key"].location, schemes["key"].parameter_name) == ("query", "api_key")
    assert schemes["bearer"].scheme == "bearer"
    assert schemes["oauth"].flows == {"implicit": {"scopes": {}}}
    assert schemes["oidc"].type == "openIdConnect"
    assert schemes["shared"].parameter_name == "api_key"


def test_an_unusable_scheme_is_left_out_with_a_warning_naming_it() -> None:
    document = {"components": {"securitySchemes": {"odd": {"type": "apiKey", "in": "body"}}}}
    problems: list[Problem] = []
    assert security_schemes(document, problems) == {}
    assert [p.pointer for p in problems] == ["/components/securitySchemes/odd"]
