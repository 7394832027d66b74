"""Which URLs open which store, and unusable ones fail with a ConfigError that says why."""

from __future__ import annotations

from pathlib import Path

import pytest

import twins.state
from twins.errors import ConfigError
from twins.state import open_store
from twins.state.url import Target, parse_url


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("memory", Target("memory", "")),
        (":memory:", Target("memory", "")),
        ("sqlite://", Target("memory", "")),
        ("state.sqlite", Target("sqlite", "state.sqlite")),
        ("/data/dtu.sqlite", Target("sqlite", "/data/dtu.sqlite")),
        ("sqlite:///rel/dtu.sqlite", Target("sqlite", "rel/dtu.sqlite")),
        ("sqlite:////abs/dtu.sqlite", Target("sqlite", "/abs/dtu.sqlite")),
        ("postgresql://u@h/db", Target("postgresql", "postgresql://u@h/db")),
        ("postgres://u@h/db", Target("postgresql", "postgresql://u@h/db")),
        ("postgresql+psycopg://u@h/db", Target("postgresql", "postgresql://u@h/db")),
    ],
)
def test_store_urls_name_their_backend(url: str, target: Target) -> None:
    assert parse_url(url) == target


@pytest.mark.parametrize(
    "url", ["", "  ", "mysql://u@h/db", "sqlite:///", "sqlite:dtu.db", "postgresql", "sqlite"]
)
def test_unusable_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError):
        parse_url(url)


def test_config_errors_never_show_a_password() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_url("mysql://admin:s3cret@db/x")
    assert "s3cret" not in str(raised.value)
    assert Target("postgresql", "postgresql://admin:s3cret@db/x").describe() == (
        "postgresql://admin:***@db/x"
    )


def test_a_file_in_a_missing_directory_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot open"):
        open_store(str(tmp_path / "missing" / "state.sqlite"))


def test_a_file_that_is_not_a_database_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database " * 100)
    with pytest.raises(ConfigError):
        open_store(str(path))


def test_an_unreachable_postgresql_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="cannot connect"):
        open_store("postgresql://nobody:pw@127.0.0.1:1/none?connect_timeout=2")


def test_a_sqlite_file_is_one_process_s_alone_unless_shared(tmp_path: Path) -> None:
    path = str(tmp_path / "state.sqlite")
    with open_store(path), pytest.raises(ConfigError, match="another process"):
        open_store(path)
    with open_store(path, exclusive=False) as one, open_store(path, exclusive=False) as two:
        one.put("s", "t", "c", "k", "", {"by": "one"})
        assert two.get("s", "t", "c", "k") == {"by": "one"}


def test_a_sqlite_file_runs_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    with open_store(str(path)) as store:
        store.put("s", "t", "c", "k", "", {})
    assert path.read_bytes()[18:20] == b"\x02\x02"  # file format 2 = WAL, in the header


def test_closing_twice_is_harmless() -> None:
    store = open_store("memory")
    store.close()
    store.close()


def test_the_public_api_is_pinned() -> None:
    assert sorted(twins.state.__all__) == [
        "Body",
        "JournalEntry",
        "JournalPolicy",
        "Page",
        "Record",
        "SessionInfo",
        "StateAccess",
        "Store",
        "TRUNCATED",
        "Transaction",
        "json_equal",
        "open_store",
    ]
