"""Reading a spec file into plain JSON data, with a parse cache for big YAML files.

YAML is parsed with libyaml (`CSafeLoader`) when it is available, and then round-tripped through
orjson so the result is plain JSON data whatever the file held: integer keys such as response
codes become strings, dates become ISO strings, and YAML aliases stop being shared objects (the
normalisation passes edit schemas in place and must never see one object twice).

Parsing Stripe's 4 MB YAML takes ~2.5 s even with libyaml, so the parsed data is cached as orjson
bytes under `$DTU_CACHE_DIR/specs` (default `~/.cache/dtu/specs`), keyed by the sha256 of the
file's bytes. Anything going wrong with the cache is ignored: it only ever costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson
import yaml

from twins.errors import SpecError

MAX_BYTES = 64 * 1024 * 1024
# Bump when the parsed form changes, so stale cache entries are never read.
CACHE_FORMAT = b"dtu-spec-cache-1"

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SpecError("", f"{path}: {size} bytes is over the {MAX_BYTES} byte limit")
        return path.read_bytes()
    except OSError as error:
        raise SpecError("", f"{path}: cannot read: {error.strerror or error}") from None


def load_file(path: Path) -> tuple[Any, bytes]:
    """The parsed content of a JSON or YAML file, and its raw bytes."""
    data = read_bytes(path)
    return parse_bytes(data, origin=str(path), cache=True), data


def parse_bytes(data: bytes, *, origin: str = "<bytes>", cache: bool = False) -> Any:
    """Parse JSON (fast path) or YAML bytes; SpecError names the line and column if unparsable."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.lstrip()[:1] in (b"{", b"["):
        # Not retried as YAML: YAML reads broken JSON such as `{"a": }` without complaint.
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as error:
            message = f"line {error.lineno}, column {error.colno}: {error.msg}"
            raise SpecError("", f"{origin}: {message}") from None
    if not cache:
        return _parse_yaml(data, origin)
    key = hashlib.sha256(CACHE_FORMAT + data).hexdigest()
    cached = cache_read(key)
    if cached is not None:
        return cached
    parsed = _parse_yaml(data, origin)
    cache_write(key, parsed)
    return parsed


def to_plain_json(value: Any, *, origin: str = "<data>") -> Any:
    """A deep copy of `value` as plain JSON data (string keys, no shared or unknown objects)."""
    try:
        return orjson.loads(_dumps(value))
    except (TypeError, orjson.JSONEncodeError) as error:
        raise SpecError("", f"{origin}: not representable as JSON: {error}") from None


def cache_dir() -> Path:
    root = os.environ.get("DTU_CACHE_DIR")
    base = Path(root) if root else Path.home() / ".cache" / "dtu"
    return base / "specs"


def _parse_yaml(data: bytes, origin: str) -> Any:
    try:
        parsed = yaml.load(data, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = error.problem or error.context or "unparsable YAML"
        raise SpecError("", f"{origin}: {where}{problem}") from None
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as error:
        raise SpecError("", f"{origin}: unparsable YAML: {error}") from None
    return to_plain_json(parsed, origin=origin)


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_jsonable, option=orjson.OPT_NON_STR_KEYS)


def _jsonable(value: Any) -> Any:
    # What YAML can produce that JSON cannot hold: sets, binary, and exotic tags.
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def cache_read(key: str) -> Any | None:
    try:
        return orjson.loads((cache_dir() / f"{key}.json").read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None


def cache_write(key: str, parsed: Any) -> None:
    temporary: str | None = None
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a concurrent reader never sees half a file.
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as handle:
            temporary = handle.name
            handle.write(_dumps(parsed))
        os.replace(temporary, folder / f"{key}.json")
    except (OSError, TypeError, orjson.JSONEncodeError):
        if temporary is not None:
            with contextlib.suppress(OSError):
                Path(temporary).unlink()
