"""Request bodies: which declared media type a Content-Type picks, and decoding each kind."""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from enum import Enum
from typing import Any

import orjson

from twins.request.depth import too_deep
from twins.request.form import FormError, nest, parse_pairs
from twins.request.model import UploadedFile
from twins.request.multipart import MultipartError, parse_multipart


class BodyKind(Enum):
    JSON = "json"
    FORM = "form"
    MULTIPART = "multipart"
    OTHER = "other"  # text/plain, octet-stream, XML...: kept as text or bytes


class BodyError(ValueError):
    """A body that cannot be decoded: becomes a violation at `body.<field>` breaking `rule`."""

    def __init__(self, rule: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.field = field


def base_media_type(content_type: str) -> str:
    """`Application/JSON; charset=utf-8` -> `application/json`."""
    return content_type.split(";", 1)[0].strip().lower()


def kind_of(media_type: str) -> BodyKind:
    base = base_media_type(media_type)
    if base in ("application/json", "text/json") or base.endswith("+json"):
        return BodyKind.JSON
    if base == "application/x-www-form-urlencoded":
        return BodyKind.FORM
    if base.startswith("multipart/"):
        return BodyKind.MULTIPART
    return BodyKind.OTHER


def match_media_type(content_type: str, declared: Iterable[str]) -> str | None:
    """The declared media type (as spelled in the spec) that serves a request's Content-Type."""
    by_base = {base_media_type(media_type): media_type for media_type in declared}
    base = base_media_type(content_type)
    major = base.partition("/")[0]
    for candidate in (base, f"{major}/*", "*/*"):
        if candidate in by_base:
            return by_base[candidate]
    if base.endswith("+json"):  # application/merge-patch+json is still JSON
        return by_base.get("application/json")
    return None


def decode_json(body: bytes, max_depth: int) -> Any:
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        if error.msg == "depth limit exceeded":
            raise BodyError("body-depth", f"nested deeper than {max_depth} levels") from None
        raise BodyError("json", f"invalid JSON: {error}") from None
    if too_deep(body, value, max_depth):
        raise BodyError("body-depth", f"nested deeper than {max_depth} levels")
    return value


def decode_form(body: bytes, max_depth: int) -> dict[str, Any]:
    try:
        return nest(parse_pairs(body), max_depth)
    except FormError as error:
        raise BodyError(error.rule, error.message, error.key) from None


def decode_multipart(
    body: bytes, content_type: str, max_depth: int
) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    try:
        fields, files = parse_multipart(body, content_type)
        return nest(fields, max_depth), {upload.field: upload for upload in files}
    except MultipartError as error:
        raise BodyError("multipart", f"invalid multipart body: {error}") from None
    except FormError as error:
        raise BodyError(error.rule, error.message, error.key) from None


def decode_text(body: bytes, content_type: str) -> str:
    charset = "utf-8"
    for option in content_type.split(";")[1:]:
        name, _, value = option.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"') or charset
    try:
        return codecs.decode(body, charset)
    except LookupError:
        raise BodyError("encoding", f"unknown charset {charset!r}") from None
    except UnicodeDecodeError as error:
        reason = f"not {charset} text: {error.reason} at byte {error.start}"
        raise BodyError("encoding", reason) from None
