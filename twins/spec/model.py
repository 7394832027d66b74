"""The parsed form of an OpenAPI document that the rest of dtu works with.

Whatever version a document is written in (2.0, 3.0, 3.1), loading normalises it into an
OpenAPI 3.1-shaped dict whose schemas are JSON Schema 2020-12, with every `$ref` local
(`#/components/...`). The dataclasses below are read from that normalised dict; schemas inside
them stay dicts that may contain `$ref`s into `Spec.document`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from twins.errors import Problem

Schema = dict[str, Any]
# Where a Swagger 2.0 operation's `produces` is kept in the normalised document: 3.x ties a
# media type to a response's content, 2.0 gives every response of the operation one, bodiless
# ones included (see `Operation.produces`).
PRODUCES = "x-dtu-produces"
ParameterLocation = Literal["path", "query", "header", "cookie"]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    location: ParameterLocation
    required: bool
    schema: Schema
    style: str
    explode: bool
    pointer: str
    content_type: str | None = None  # set when the parameter uses `content` instead of `schema`


@dataclass(frozen=True, slots=True)
class MediaType:
    media_type: str  # e.g. "application/json", "application/x-www-form-urlencoded"
    schema: Schema
    examples: tuple[Any, ...] = ()
    # Encoding Objects of a form body, by property name: {"metadata": {"style": "deepObject"}}
    encoding: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RequestBody:
    required: bool
    content: dict[str, MediaType]
    pointer: str


@dataclass(frozen=True, slots=True)
class Header:
    name: str
    required: bool
    schema: Schema


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "4XX", "default"
    description: str
    content: dict[str, MediaType]
    headers: dict[str, Header]
    pointer: str

    def json_media(self) -> MediaType | None:
        """The JSON representation of this response, if it has one."""
        for media_type, media in self.content.items():
            if is_json_media_type(media_type):
                return media
        return None


@dataclass(slots=True)
class Operation:
    method: str  # upper case: "GET"
    path: str  # the spec's template, without the server's base path: "/v1/customers/{customer}"
    operation_id: str | None
    summary: str
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: dict[str, Response]
    security: tuple[dict[str, tuple[str, ...]], ...]  # alternatives; () means no auth needed
    pointer: str  # "/paths/~1v1~1customers/post"
    deprecated: bool = False
    tags: tuple[str, ...] = ()
    # Swagger 2.0 `produces`: the media types even a bodiless reply is labelled with (a 2.0
    # client, and schemathesis, read a response's type from there); empty for 3.x documents.
    produces: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def success_response(self) -> Response | None:
        """The lowest declared 2xx response (or 2XX, then default)."""
        codes = sorted(code for code in self.responses if code.isdigit() and code.startswith("2"))
        if codes:
            return self.responses[codes[0]]
        return self.responses.get("2XX") or self.responses.get("default")

    def response_for(self, status: int) -> Response | None:
        """The response declared for a status: exact code, then range (4XX), then default."""
        exact = self.responses.get(str(status))
        if exact is not None:
            return exact
        ranged = self.responses.get(f"{str(status)[0]}XX")
        if ranged is not None:
            return ranged
        return self.responses.get("default")


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    name: str
    type: str  # "apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"
    location: str | None = None  # for apiKey: "header", "query", "cookie"
    parameter_name: str | None = None  # for apiKey: the header/query/cookie name
    scheme: str | None = None  # for http: "basic", "bearer", ...
    flows: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Spec:
    title: str
    version: str
    source_version: str  # the document's own "2.0", "3.0.3", "3.1.0"
    base_path: str  # path part of the first server URL (or 2.0 basePath), "" or "/v1"
    hosts: tuple[str, ...]  # host names of the server URLs, for routing by Host header
    operations: list[Operation]
    security_schemes: dict[str, SecurityScheme]
    document: dict[str, Any]  # the normalised document; `$ref`s in schemas point into it
    problems: list[Problem] = field(default_factory=list)
    source: str = ""  # where it was loaded from


def is_json_media_type(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return (
        base == "application/json" or base.endswith("+json") or base == "*/*" or base == "text/json"
    )
