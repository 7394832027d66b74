from __future__ import annotations

import pytest

from twins.request.model import UploadedFile
from twins.request.multipart import MultipartError, parse_multipart

CONTENT_TYPE = "multipart/form-data; boundary=XyZ"


def multipart(*parts: bytes) -> bytes:
    return b"".join(b"--XyZ\r\n" + part + b"\r\n" for part in parts) + b"--XyZ--\r\n"


def test_text_fields_and_files_are_parsed_apart() -> None:
    body = multipart(
        b'Content-Disposition: form-data; name="purpose"\r\n\r\ndispute_evidence',
        b'Content-Disposition: form-data; name="file"; filename="r\xc3\xa9sum\xc3\xa9.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nline 1\r\nline 2",
    )
    fields, files = parse_multipart(body, CONTENT_TYPE)
    assert fields == [("purpose", "dispute_evidence"), ("file", "résumé.txt")]
    assert files == [UploadedFile("file", "résumé.txt", "text/plain", b"line 1\r\nline 2")]


def test_a_file_without_a_content_type_is_an_octet_stream() -> None:
    body = multipart(b'Content-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n\x00\x01')
    _, [upload] = parse_multipart(body, CONTENT_TYPE)
    assert (upload.content_type, upload.content) == ("application/octet-stream", b"\x00\x01")


def test_a_field_is_decoded_by_its_charset() -> None:
    body = multipart(
        b'Content-Disposition: form-data; name="n"\r\n'
        b"Content-Type: text/plain; charset=latin-1\r\n\r\ncaf\xe9"
    )
    assert parse_multipart(body, CONTENT_TYPE)[0] == [("n", "café")]


def test_a_part_without_a_name_is_skipped() -> None:
    body = multipart(b"Content-Disposition: form-data\r\n\r\nlost", b"Content-Type: x/y\r\n\r\n?")
    assert parse_multipart(body, CONTENT_TYPE) == ([], [])


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"--XyZ\r\nContent-Disposition: form-data; name=", CONTENT_TYPE),
        (b"not multipart at all", CONTENT_TYPE),
        (b"--XyZ--\r\n", "multipart/form-data"),
    ],
)
def test_a_truncated_or_malformed_body_is_an_error(body: bytes, content_type: str) -> None:
    with pytest.raises(MultipartError):
        parse_multipart(body, content_type)
