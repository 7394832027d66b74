"""Load OpenAPI 2.0 / 3.0 / 3.1 documents into `Spec`s: operations plus a normalised document.

load_spec(path_or_dict) -> Spec
schema_validator(spec, schema) -> a jsonschema_rs validator whose `#/components/...` refs
                                  resolve inside `spec.document`
"""

from twins.spec.loader import load_spec
from twins.spec.model import (
    Header,
    MediaType,
    Operation,
    Parameter,
    RequestBody,
    Response,
    SecurityScheme,
    Spec,
)
from twins.spec.validation import SPEC_URI, schema_validator, spec_registry

__all__ = [
    "SPEC_URI",
    "Header",
    "MediaType",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "SecurityScheme",
    "Spec",
    "load_spec",
    "schema_validator",
    "spec_registry",
]
