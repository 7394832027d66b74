"""Swagger 2.0 -> OpenAPI 3.x shape. Schemas are left to the schema pass (`x-nullable`, files).

The differences handled here: `definitions`/`parameters`/`responses` move under `components`;
`body` and `formData` parameters become a `requestBody` whose media types come from `consumes`;
a response's `schema` and `examples` become `content` per `produces` type (and `produces` itself
is kept, for bodiless responses, under `x-dtu-produces`); the parameter fields
that 3.x keeps in `schema` move there, with `collectionFormat` turned into `style`/`explode`;
`securityDefinitions`, `host`/`basePath`/`schemes` and every `#/definitions/...` `$ref` follow.
"""

from __future__ import annotations

from typing import Any

from twins.errors import Problem, SpecError
from twins.spec import refs
from twins.spec.model import HTTP_METHODS, PRODUCES

JSON = "application/json"
URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
_FORM_TYPES = (URLENCODED, MULTIPART)
# Fields of a 2.0 non-body parameter, header or items object that 3.x keeps in `schema`.
_SCHEMA_FIELDS = (
    "type", "format", "items", "default", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "enum", "multipleOf", "x-nullable",
)  # fmt: skip
_COLLECTION_STYLES = {
    "csv": ("form", False),
    "multi": ("form", True),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
    "tsv": ("form", False),  # no 3.x equivalent; parsed leniently as csv
}
_REF_PREFIXES = (
    ("#/definitions/", "#/components/schemas/"),
    ("#/parameters/", "#/components/parameters/"),
    ("#/responses/", "#/components/responses/"),
)
_OAUTH2_FLOWS = {
    "implicit": ("implicit", ("authorizationUrl",)),
    "password": ("password", ("tokenUrl",)),
    "application": ("clientCredentials", ("tokenUrl",)),
    "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl")),
}


def convert(document: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """A new 3.x-shaped document for a 2.0 one (which is left untouched)."""
    converter = _Converter(document, problems)
    result: dict[str, Any] = {
        key: value
        for key, value in document.items()
        if key in ("info", "security", "tags", "externalDocs") or key.startswith("x-")
    }
    result["openapi"] = "3.1.0"
    servers = _servers(document)
    if servers:
        result["servers"] = servers
    result["components"] = converter.components()
    result["paths"] = converter.paths()
    _rewrite_refs(result)
    return result


class _Converter:
    def __init__(self, document: dict[str, Any], problems: list[Problem]) -> None:
        self.document = document
        self.problems = problems
        self.consumes = _media_list(document.get("consumes"))
        self.produces = _media_list(document.get("produces"))

    def components(self) -> dict[str, Any]:
        parameters = {
            name: _parameter(param)
            for name, param in _mapping(self.document.get("parameters")).items()
            if isinstance(param, dict) and param.get("in") not in ("body", "formData")
        }
        responses = {
            name: _response(response, self.produces)
            for name, response in _mapping(self.document.get("responses")).items()
        }
        schemes = {}
        for name, scheme in _mapping(self.document.get("securityDefinitions")).items():
            converted = self._security_scheme(scheme, f"/securityDefinitions/{refs.escape(name)}")
            if converted is not None:
                schemes[name] = converted
        sections = {
            "schemas": _mapping(self.document.get("definitions")),
            "parameters": parameters,
            "responses": responses,
            "securitySchemes": schemes,
        }
        return {name: section for name, section in sections.items() if section}

    def paths(self) -> dict[str, Any]:
        paths: dict[str, Any] = {}
        for path, item in _mapping(self.document.get("paths")).items():
            if not isinstance(item, dict) or path.startswith("x-") or "$ref" in item:
                paths[path] = item
                continue
            paths[path] = self._path_item(item)
        return paths

    def _path_item(self, item: dict[str, Any]) -> dict[str, Any]:
        shared = _list(item.get("parameters"))
        converted = {
            key: value for key, value in item.items() if key not in HTTP_METHODS + ("parameters",)
        }
        plain = [self._plain_parameter(p) for p in shared if not self._is_body_or_form(p)]
        if plain:
            converted["parameters"] = plain
        body_or_form = [p for p in shared if self._is_body_or_form(p)]
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                converted[method] = self._operation(operation, body_or_form)
            elif method in item:
                converted[method] = operation
        return converted

    def _operation(self, operation: dict[str, Any], shared: list[Any]) -> dict[str, Any]:
        consumes = _media_list(operation.get("consumes")) or self.consumes
        produces = _media_list(operation.get("produces")) or self.produces
        converted = {
            key: value
            for key, value in operation.items()
            if key not in ("parameters", "responses", "consumes", "produces", "schemes")
        }
        plain: list[Any] = []
        bodies: dict[tuple[str, str], dict[str, Any]] = {}
        for raw in [*shared, *_list(operation.get("parameters"))]:
            if self._is_body_or_form(raw):
                param = self._deref(raw)
                bodies[(str(param.get("name")), str(param.get("in")))] = param
            else:
                plain.append(self._plain_parameter(raw))
        if plain:
            converted["parameters"] = plain
        body = _request_body(list(bodies.values()), consumes)
        if body is not None:
            converted["requestBody"] = body
        converted["responses"] = {
            str(code): _response(response, produces) if not str(code).startswith("x-") else response
            for code, response in _mapping(operation.get("responses")).items()
        }
        if produces:
            converted[PRODUCES] = produces
        return converted

    def _plain_parameter(self, raw: Any) -> Any:
        if isinstance(raw, dict) and "$ref" not in raw:
            return _parameter(raw)
        return raw

    def _is_body_or_form(self, raw: Any) -> bool:
        return self._deref(raw).get("in") in ("body", "formData")

    def _deref(self, raw: Any) -> dict[str, Any]:
        try:
            found, _ = refs.deref(self.document, raw, at="")
        except SpecError:
            return {}  # left as a `$ref` for the operation builder to report
        return found if isinstance(found, dict) else {}

    def _security_scheme(self, scheme: Any, at: str) -> dict[str, Any] | None:
        if not isinstance(scheme, dict):
            return None
        kind = scheme.get("type")
        extras = {k: v for k, v in scheme.items() if k == "description" or k.startswith("x-")}
        if kind == "basic":
            return {**extras, "type": "http", "scheme": "basic"}
        if kind == "apiKey":
            return {**extras, "type": "apiKey", "name": scheme.get("name"), "in": scheme.get("in")}
        if kind == "oauth2" and scheme.get("flow") in _OAUTH2_FLOWS:
            flow_name, urls = _OAUTH2_FLOWS[scheme["flow"]]
            flow = {url: scheme.get(url, "") for url in urls}
            flow["scopes"] = _mapping(scheme.get("scopes"))
            return {**extras, "type": "oauth2", "flows": {flow_name: flow}}
        self.problems.append(Problem(at, f"unknown security scheme type/flow: {kind!r}"))
        return None


def _parameter(param: dict[str, Any]) -> dict[str, Any]:
    """A 2.0 non-body parameter in 3.x shape."""
    converted = {key: value for key, value in param.items() if key not in _SCHEMA_FIELDS}
    converted.pop("collectionFormat", None)
    if "x-example" in param:
        converted["example"] = param["x-example"]
    converted["schema"] = _schema_of(param)
    style = _collection_style(param, param.get("in"))
    if style is not None:
        converted["style"], converted["explode"] = style
    return converted


def _schema_of(fields: dict[str, Any]) -> dict[str, Any]:
    """The schema hidden in a 2.0 parameter, header or items object's own fields."""
    schema = {key: fields[key] for key in _SCHEMA_FIELDS if key in fields}
    if isinstance(schema.get("items"), dict):
        schema["items"] = _schema_of(schema["items"])
    return schema


def _collection_style(param: dict[str, Any], location: Any) -> tuple[str, bool] | None:
    if param.get("type") != "array" or location not in ("query", "formData", "cookie"):
        return None  # path and header arrays are csv in both versions
    return _COLLECTION_STYLES.get(str(param.get("collectionFormat", "csv")), ("form", False))


def _request_body(params: list[dict[str, Any]], consumes: list[str]) -> dict[str, Any] | None:
    body = next((p for p in params if p.get("in") == "body"), None)
    if body is not None:
        return _json_body(body, consumes)
    form = [p for p in params if p.get("in") == "formData"]
    return _form_body(form, consumes) if form else None


def _json_body(param: dict[str, Any], consumes: list[str]) -> dict[str, Any]:
    schema = param.get("schema", {})
    media = {media_type: {"schema": schema} for media_type in consumes or [JSON]}
    result = {"required": bool(param.get("required", False)), "content": media}
    if "description" in param:
        result["description"] = param["description"]
    return result


def _form_body(params: list[dict[str, Any]], consumes: list[str]) -> dict[str, Any]:
    has_file = any(p.get("type") == "file" for p in params)
    form_types = [t for t in consumes if t.split(";")[0].strip().lower() in _FORM_TYPES]
    if form_types:
        # Other consumes types (Slack lists JSON beside urlencoded) take the same fields.
        media_types = [*form_types, *(t for t in consumes if t not in form_types)]
    else:
        form_types = media_types = [MULTIPART if has_file else URLENCODED]
    properties: dict[str, Any] = {}
    encoding: dict[str, Any] = {}
    for param in params:
        name = str(param.get("name"))
        schema = _schema_of(param)
        if "description" in param:
            schema["description"] = param["description"]
        properties[name] = schema
        style = _collection_style(param, "formData")
        if style is not None:
            encoding[name] = {"style": style[0], "explode": style[1]}
    form: dict[str, Any] = {"type": "object", "properties": properties}
    required = [str(p.get("name")) for p in params if p.get("required") is True]
    if required:
        form["required"] = required
    content: dict[str, Any] = {}
    for media_type in media_types:
        content[media_type] = {"schema": form}
        if encoding and media_type in form_types:
            content[media_type]["encoding"] = encoding
    return {"required": bool(required), "content": content}


def _response(response: Any, produces: list[str]) -> Any:
    if not isinstance(response, dict) or "$ref" in response:
        return response
    converted: dict[str, Any] = {"description": response.get("description", "")}
    converted.update((k, v) for k, v in response.items() if k.startswith("x-"))
    content: dict[str, Any] = {}
    if "schema" in response:
        for media_type in produces or [JSON]:
            content[media_type] = {"schema": response["schema"]}
    for media_type, example in _mapping(response.get("examples")).items():
        media = content.setdefault(media_type, {"schema": response.get("schema", {})})
        media["example"] = example
    if content:
        converted["content"] = content
    headers = {
        name: _header(header)
        for name, header in _mapping(response.get("headers")).items()
        if isinstance(header, dict)
    }
    if headers:
        converted["headers"] = headers
    return converted


def _header(header: dict[str, Any]) -> dict[str, Any]:
    converted = {"schema": _schema_of(header)}
    if "description" in header:
        converted["description"] = header["description"]
    return converted


def _servers(document: dict[str, Any]) -> list[dict[str, str]]:
    host = document.get("host")
    base_path = document.get("basePath")
    base_path = base_path if isinstance(base_path, str) else ""
    if not isinstance(host, str) or not host:
        return [{"url": base_path}] if base_path else []
    schemes = [s for s in _list(document.get("schemes")) if isinstance(s, str)] or ["https"]
    return [{"url": f"{scheme}://{host}{base_path}"} for scheme in schemes]


def _rewrite_refs(document: Any) -> None:
    """Point every 2.0-style `$ref` at the matching components section, everywhere."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                for old, new in _REF_PREFIXES:
                    if ref.startswith(old):
                        node["$ref"] = new + ref[len(old) :]
                        break
            stack.extend(value for value in node.values() if isinstance(value, dict | list))
        elif isinstance(node, list):
            stack.extend(value for value in node if isinstance(value, dict | list))


def _media_list(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
