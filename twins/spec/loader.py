"""`load_spec`: a spec file or dict -> `Spec`, in one straight line of passes.

    read/parse (cached) -> version -> bundle external files -> 2.0 to 3.x shape
    -> schemas to 2020-12 (+ dangling refs) -> servers, security schemes, operations

Only a document that cannot be served at all raises SpecError; everything else becomes a
`Problem` on the result.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from twins.errors import Problem, SpecError
from twins.spec import swagger2
from twins.spec.bundle import bundle, has_external_refs
from twins.spec.model import Spec
from twins.spec.normalise import normalise_schemas
from twins.spec.operations import build_operations
from twins.spec.security import security_schemes
from twins.spec.servers import base_path_and_hosts
from twins.spec.source import cache_read, cache_write, load_file, read_bytes, to_plain_json


def _code_fingerprint() -> bytes:
    """The loader's own source: a normalised document cached by other code is never read."""
    digest = hashlib.sha256(b"dtu-normalised-1")
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    return digest.digest()


NORMALISED_FORMAT = _code_fingerprint()
_OPENAPI_3 = re.compile(r"^3\.([012])(\.\d+)?(-[\w.]+)?$")


def load_spec(source: str | Path | dict[str, Any], *, name: str = "") -> Spec:
    """Load an OpenAPI 2.0, 3.0 or 3.1 document from a file path or an already-parsed dict.

    `name` labels the result's `source` (defaults to the path, or "<dict>"). The caller's dict
    is never modified.
    """
    if isinstance(source, str | Path):
        root_file: Path | None = Path(source)
        origin = name or str(source)
        raw = read_bytes(Path(source))
        cached = cache_read(_normalised_key(raw))
        if isinstance(cached, dict) and not has_external_refs(raw):
            return _from_normalised(cached, origin)
        document, raw = load_file(Path(source))
    else:
        # Anything else is taken as parsed data, so a list is refused as "not a mapping".
        origin = name or "<dict>"
        document = to_plain_json(source, origin=origin)
        root_file, raw = None, b""
    return _normalised(document, root_file, raw, origin)


def _normalised(document: Any, root_file: Path | None, raw: bytes, origin: str) -> Spec:
    if not isinstance(document, dict):
        raise SpecError("", f"{origin}: an OpenAPI document is a mapping, not {_kind(document)}")
    source_version, dialect = _version(document, origin)
    problems: list[Problem] = []
    if dialect == "3.2":
        problems.append(Problem("/openapi", "OpenAPI 3.2 is read as 3.1"))
    if root_file is not None and has_external_refs(raw):
        bundle(document, root_file, swagger2=dialect == "2.0", problems=problems)
    if dialect == "2.0":
        document = swagger2.convert(document, problems)
    normalise_schemas(document, convert=dialect in ("2.0", "3.0"), problems=problems)
    document["openapi"] = "3.1.0"
    if root_file is not None and not has_external_refs(raw):
        # Normalising the 13 MB GitHub spec costs ~0.7 s; the next start reads the result.
        cache_write(
            _normalised_key(raw),
            {
                "document": document,
                "source_version": source_version,
                "problems": [[p.pointer, p.message, p.severity] for p in problems],
            },
        )
    return _spec(document, source_version, problems, origin)


def _normalised_key(raw: bytes) -> str:
    return hashlib.sha256(NORMALISED_FORMAT + raw).hexdigest()


def _from_normalised(cached: dict[str, Any], origin: str) -> Spec:
    problems = [
        Problem(pointer, message, severity)
        for pointer, message, severity in cached.get("problems", [])
    ]
    return _spec(cached["document"], str(cached.get("source_version", "")), problems, origin)


def _spec(
    document: dict[str, Any], source_version: str, problems: list[Problem], origin: str
) -> Spec:
    base_path, hosts = base_path_and_hosts(document)
    schemes = security_schemes(document, problems)
    operations = build_operations(document, schemes, problems)
    info = document.get("info")
    info = info if isinstance(info, dict) else {}
    return Spec(
        title=str(info.get("title") or ""),
        version=str(info.get("version") or ""),
        source_version=source_version,
        base_path=base_path,
        hosts=hosts,
        operations=operations,
        security_schemes=schemes,
        document=document,
        problems=problems,
        source=origin,
    )


def _version(document: dict[str, Any], origin: str) -> tuple[str, str]:
    """(the document's own version string, the dialect: "2.0", "3.0", "3.1" or "3.2")."""
    if "openapi" in document:
        version = str(document["openapi"]).strip()
        match = _OPENAPI_3.match(version)
        if match is None:
            raise SpecError("/openapi", f"{origin}: OpenAPI version {version!r} is not supported")
        return version, f"3.{match.group(1)}"
    if "swagger" in document:
        version = str(document["swagger"]).strip()
        if version not in ("2.0", "2"):
            raise SpecError("/swagger", f"{origin}: Swagger version {version!r} is not supported")
        return version, "2.0"
    raise SpecError("", f"{origin}: no `openapi` or `swagger` field: not an OpenAPI document")


def _kind(value: Any) -> str:
    return "nothing" if value is None else f"a {type(value).__name__}"
