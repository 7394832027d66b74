"""Reading and parsing spec files, and the parse cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from twins.errors import SpecError
from twins.spec import source

YAML = b"""openapi: 3.0.0
paths:
  /a:
    get:
      responses:
        200:
          description: ok
"""


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DTU_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "specs"


def test_json_is_parsed() -> None:
    assert source.parse_bytes(b'{"a": [1, 2]}') == {"a": [1, 2]}


def test_yaml_integer_keys_become_strings() -> None:
    parsed = source.parse_bytes(YAML)
    assert "200" in parsed["paths"]["/a"]["get"]["responses"]


def test_yaml_dates_become_iso_strings() -> None:
    assert source.parse_bytes(b"released: 2020-01-02\n") == {"released": "2020-01-02"}


def test_yaml_aliases_become_separate_objects() -> None:
    parsed = source.parse_bytes(b"a: &x {k: 1}\nb: *x\n")
    assert parsed["a"] == parsed["b"]
    assert parsed["a"] is not parsed["b"]


def test_a_yaml_syntax_error_names_line_and_column() -> None:
    broken = b"openapi: 3.0.0\ninfo:\n  title: x\n   version: 1\n"
    with pytest.raises(SpecError, match=r"spec.yaml: line 4, column 11: mapping values"):
        source.parse_bytes(broken, origin="spec.yaml")


def test_a_json_syntax_error_names_line_and_column() -> None:
    with pytest.raises(SpecError, match=r"spec.json: line 2, column \d+"):
        source.parse_bytes(b'{"a": 1,\n "b": }', origin="spec.json")


def test_a_file_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"{}" + b" " * 100)
    monkeypatch.setattr(source, "MAX_BYTES", 50)
    with pytest.raises(SpecError, match="limit"):
        source.read_bytes(path)


def test_a_missing_file_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot read"):
        source.load_file(tmp_path / "absent.yaml")


def test_a_parsed_yaml_file_is_cached_and_read_back_without_parsing(
    tmp_path: Path, cache_in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(YAML)
    first, _ = source.load_file(path)
    assert len(list(cache_in_tmp.glob("*.json"))) == 1

    def no_parsing(data: bytes, origin: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(source, "_parse_yaml", no_parsing)
    second, _ = source.load_file(path)
    assert second == first


def test_a_corrupt_cache_entry_is_ignored(tmp_path: Path, cache_in_tmp: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(YAML)
    source.load_file(path)
    for entry in cache_in_tmp.glob("*.json"):
        entry.write_bytes(b"{broken")
    parsed, _ = source.load_file(path)
    assert parsed["openapi"] == "3.0.0"


def test_an_unwritable_cache_folder_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("DTU_CACHE_DIR", str(blocker))
    path = tmp_path / "spec.yaml"
    path.write_bytes(YAML)
    parsed, _ = source.load_file(path)
    assert parsed["openapi"] == "3.0.0"
