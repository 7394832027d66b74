"""multipart/form-data bodies, parsed with python-multipart's streaming parser in one write."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

from twins.request.model import UploadedFile

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks


class MultipartError(ValueError):
    """The body is not the multipart document its Content-Type announces."""


@dataclass(slots=True)
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    data: list[bytes] = field(default_factory=list)


@dataclass(slots=True)
class _Collector:
    parts: list[_Part] = field(default_factory=list)
    header_name: list[bytes] = field(default_factory=list)
    header_value: list[bytes] = field(default_factory=list)

    def on_part_begin(self) -> None:
        self.parts.append(_Part())

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self.parts[-1].data.append(data[start:end])

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name.append(data[start:end])

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value.append(data[start:end])

    def on_header_end(self) -> None:
        name = b"".join(self.header_name).lower()
        self.parts[-1].headers[name] = b"".join(self.header_value)
        self.header_name.clear()
        self.header_value.clear()


def parse_multipart(
    body: bytes, content_type: str
) -> tuple[list[tuple[str, str]], list[UploadedFile]]:
    """The text fields (name, value) and the files of a multipart body.

    Each file also appears among the fields as (name, file name), so that the body validates
    as JSON with `type: string, format: binary`; its bytes are in the returned `UploadedFile`.
    """
    try:
        _, options = parse_options_header(content_type)
    except UnicodeEncodeError:
        raise MultipartError("the Content-Type is not Latin-1 text") from None
    boundary = options.get(b"boundary")
    if not boundary:
        raise MultipartError("the Content-Type has no boundary")
    collector = _Collector()
    try:
        parser = MultipartParser(boundary, callbacks=_callbacks(collector))
        parser.write(body)
        parser.finalize()
    except FormParserError as error:
        raise MultipartError(str(error)) from None
    if body and parser.state != MultipartState.END:
        raise MultipartError("the body ends before its closing boundary")
    fields: list[tuple[str, str]] = []
    files: list[UploadedFile] = []
    for part in collector.parts:
        _read_part(part, fields, files)
    return fields, files


def _callbacks(collector: _Collector) -> MultipartCallbacks:
    return {
        "on_part_begin": collector.on_part_begin,
        "on_part_data": collector.on_part_data,
        "on_header_field": collector.on_header_field,
        "on_header_value": collector.on_header_value,
        "on_header_end": collector.on_header_end,
    }


def _read_part(part: _Part, fields: list[tuple[str, str]], files: list[UploadedFile]) -> None:
    _, disposition = parse_options_header(part.headers.get(b"content-disposition", b""))
    raw_name = disposition.get(b"name")
    if raw_name is None:
        return  # not a form field (RFC 7578 requires a name): nothing to bind it to
    name = raw_name.decode("utf-8", "replace")
    content = b"".join(part.data)
    media_type, options = parse_options_header(part.headers.get(b"content-type", b""))
    filename = disposition.get(b"filename")
    if filename is None:
        charset = options.get(b"charset", b"utf-8").decode("latin-1")
        fields.append((name, _decode(content, charset)))
        return
    upload = UploadedFile(
        field=name,
        filename=filename.decode("utf-8", "replace"),
        content_type=media_type.decode("latin-1") or "application/octet-stream",
        content=content,
    )
    files.append(upload)
    fields.append((name, upload.filename))


def _decode(content: bytes, charset: str) -> str:
    try:
        return content.decode(charset, "replace")
    except LookupError:  # an unknown charset name
        return content.decode("utf-8", "replace")
