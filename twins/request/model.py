"""What the request layer takes in (a raw HTTP request) and hands on (typed, validated inputs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class RawRequest:
    """One HTTP request as the router saw it, before anything is decoded."""

    method: str
    path_params: dict[str, str] = field(default_factory=dict)  # already percent-decoded
    query_string: bytes = b""
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)  # ASGI: lower-case names
    body: bytes = b""
    content_type: str = ""


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file part of a multipart body.

    In `ParsedRequest.body` the part's field holds only the file name (a plain string), so the
    body stays JSON-shaped and validates against `type: string, format: binary`; the bytes live
    here, in `ParsedRequest.files`, keyed by the field name as sent.
    """

    field: str
    filename: str
    content_type: str
    content: bytes


@dataclass(slots=True)
class ParsedRequest:
    """The inputs of one operation, coerced to their schema types and validated."""

    path: dict[str, Any]
    query: dict[str, Any]
    headers: dict[str, Any]  # keyed by the spec's own spelling of each header parameter
    cookies: dict[str, Any]
    body: Any  # None when no body was sent
    media_type: str | None  # the declared media type the body matched
    raw_query: dict[str, list[str]]  # every query parameter as sent, known or not
    files: dict[str, UploadedFile] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps that turn hostile or broken bodies into violations instead of exhaustion."""

    max_body_bytes: int = 10 * 1024 * 1024
    max_depth: int = 64


DEFAULT_LIMITS = Limits()
