from __future__ import annotations

import sys
from pathlib import Path

import pytest

from harness.app import AppError, RunningService, app_from_data, load_app, run_command
from harness.scenario import ScenarioError

APPS = Path(__file__).resolve().parent / "apps"


def test_a_toml_descriptor_loads_with_its_cwd_next_to_it() -> None:
    spec = load_app(APPS / "careful.toml")
    assert spec.kind == "service"
    assert spec.cwd == APPS
    assert spec.env["BOOKSHOP_URL"] == "{twins.bookshop.url}"
    assert spec.ready_path == "/health"


def test_a_yaml_descriptor_loads() -> None:
    assert load_app(APPS / "naive.yaml").env["RETRIES"] == "0"


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        ({"kind": "daemon", "command": ["x"]}, "/kind"),
        ({"kind": "service"}, ""),
        ({"kind": "service", "command": []}, "/command"),
        ({"kind": "service", "command": ["x"], "ready": {"path": "health"}}, "/ready/path"),
        ({"kind": "service", "command": ["x"], "env": {"A": ["list"]}}, "/env/A"),
    ],
)
def test_a_bad_descriptor_names_the_field(data: object, pointer: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        app_from_data(data, "app.yaml", APPS)
    assert caught.value.pointer == pointer


def test_a_command_app_runs_with_its_env_and_captures_output(tmp_path: Path) -> None:
    spec = app_from_data(
        {
            "kind": "command",
            "command": [sys.executable, "-c"],
            "env": {"GREETING": "hi {vars.who}"},
        },
        "a.yaml",
        tmp_path,
    )
    script = "import os, sys; print(os.environ['GREETING']); sys.exit(3)"
    result = run_command(spec, [script], {"vars": {"who": "ada"}}, timeout=30)
    assert result["exit_code"] == 3
    assert result["stdout"].strip() == "hi ada"


def test_a_service_that_cannot_start_is_an_app_error(tmp_path: Path) -> None:
    spec = app_from_data({"kind": "service", "command": ["./no-such-binary"]}, "a.yaml", tmp_path)
    with pytest.raises(AppError, match="cannot start"):
        RunningService(spec, {"port": 1})


def test_a_service_that_exits_early_is_an_app_error_and_its_output_is_kept(tmp_path: Path) -> None:
    spec = app_from_data(
        {
            "kind": "service",
            "command": [sys.executable, "-c", "print('boom')"],
            "ready": {"timeout": 20},
        },
        "a.yaml",
        tmp_path,
    )
    service = RunningService(spec, {"port": 1})
    with pytest.raises(AppError, match="exited with 0 before it was ready"):
        service.wait_ready()
    assert "boom" in service.stop()
