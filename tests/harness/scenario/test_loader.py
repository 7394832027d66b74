from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.scenario import (
    HttpStep,
    JournalCheck,
    ResilienceCheck,
    Scenario,
    ScenarioError,
    load_scenario,
    load_scenarios,
    scenario_from_data,
)

HERE = Path(__file__).resolve().parent.parent
EXAMPLE = HERE / "scenarios" / "add_author.yaml"


def minimal(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "buy",
        "title": "A customer buys",
        "twins": ["bookshop"],
        "steps": [{"name": "buy", "http": {"method": "POST", "path": "/buy"}}],
        "checks": [{"check": "response", "step": "buy", "status": 200}],
    }
    data.update(changes)
    return data


def error_of(data: Any) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_data(data, "s.yaml")
    return caught.value


def test_the_example_scenario_loads_with_its_steps_and_checks() -> None:
    scenario = load_scenario(EXAMPLE)
    assert scenario.id == "add-author"
    assert scenario.twins == ("bookshop",)
    assert isinstance(scenario.steps[0], HttpStep)
    assert scenario.steps[0].save == {"author_id": "/id"}
    assert any(isinstance(check, ResilienceCheck) for check in scenario.checks)
    assert scenario.world[0].resources[0].records[0]["name"] == "Existing Author"
    assert scenario.source == str(EXAMPLE)


@pytest.mark.parametrize(
    ("data", "pointer", "reason"),
    [
        (
            minimal(steps=[{"http": {"method": "FETCH", "path": "/x"}}]),
            "/steps/0/http/method",
            "must be one of",
        ),
        (
            minimal(steps=[{"http": {"method": "GET", "path": "x"}}]),
            "/steps/0/http/path",
            "start with '/'",
        ),
        (minimal(steps=[{"teleport": {}}]), "/steps/0", "exactly one kind"),
        (minimal(checks=[{"check": "vibes"}]), "/checks/0/check", "unknown check kind"),
        (
            minimal(checks=[{"check": "journal", "twin": "bookshop", "operation": "*"}]),
            "/checks/0",
            "give a count",
        ),
        (
            minimal(checks=[{"check": "response", "step": "nope"}]),
            "/checks/0/step",
            "no step is named",
        ),
        (
            minimal(checks=[{"check": "journal", "twin": "slack", "operation": "*", "exactly": 1}]),
            "/checks/0/twin",
            "not in this scenario's twins",
        ),
        (minimal(variables=[{"name": "n", "int": [5, 1]}]), "/variables/0/int", "above high"),
        (minimal(variables=[{"name": "n"}]), "/variables/0", "exactly one of"),
        (minimal(weight="heavy"), "/weight", "must be a number"),
        (minimal(colour="red"), "/colour", "unknown field"),
        (minimal(id="has space"), "/id", "A-Z a-z"),
        (minimal(world=[{"twin": "github"}]), "/world/0/twin", "not in this scenario's twins"),
        (
            minimal(
                checks=[
                    {"check": "response", "step": "buy", "json": [{"pointer": "a", "equals": 1}]}
                ]
            ),
            "/checks/0/json/0/pointer",
            "JSON pointer",
        ),
        (
            minimal(
                checks=[
                    {
                        "check": "response",
                        "step": "buy",
                        "json": [{"pointer": "/a", "matches": "("}],
                    }
                ]
            ),
            "/checks/0/json/0/matches",
            "regular expression",
        ),
        (minimal(steps=[{"sleep": 3600}]), "/steps/0/sleep", "between"),
        (minimal(steps=[{"http": {"method": "GET", "path": "/"}}] * 201), "/steps", "at most 200"),
    ],
)
def test_a_bad_field_is_named_by_file_and_json_pointer(
    data: Any, pointer: str, reason: str
) -> None:
    error = error_of(data)
    assert error.pointer == pointer
    assert reason in error.reason
    assert str(error).startswith(f"s.yaml: {pointer}: ")


def test_a_missing_required_field_is_named() -> None:
    data = minimal()
    del data["title"]
    assert "missing required field 'title'" in str(error_of(data))


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed")
    with pytest.raises(ScenarioError, match="broken.yaml: /: is not valid YAML"):
        load_scenario(path)


def test_an_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("# " + "x" * 1_000_001)
    with pytest.raises(ScenarioError, match="at most 1000000"):
        load_scenario(path)


def test_a_python_scenario_module_builds_the_same_classes(tmp_path: Path) -> None:
    path = tmp_path / "computed.py"
    path.write_text(
        "from harness.scenario import CheckMeta, Count, HttpStep, JournalCheck, Scenario\n"
        "scenario = Scenario(id='computed', title='t', story='', twins=('bookshop',),\n"
        "    steps=tuple(HttpStep(method='GET', path=f'/books/{n}') for n in range(3)),\n"
        "    checks=(JournalCheck(meta=CheckMeta(name='reads'), twin='bookshop',\n"
        "        operation='GET /books/*', count=Count(exactly=3)),))\n"
    )
    scenario = load_scenario(path)
    assert isinstance(scenario, Scenario)
    assert len(scenario.steps) == 3
    assert isinstance(scenario.checks[0], JournalCheck)


def test_a_python_module_without_a_scenario_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.py"
    path.write_text("x = 1\n")
    with pytest.raises(ScenarioError, match="must define `scenario`"):
        load_scenario(path)


def test_two_scenarios_with_one_id_in_a_folder_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(EXAMPLE.read_text())
    (tmp_path / "b.yaml").write_text(EXAMPLE.read_text())
    with pytest.raises(ScenarioError, match="'add-author' is also in"):
        load_scenarios(tmp_path)


def test_a_python_module_that_raises_is_reported_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "raising.py"
    path.write_text("raise RuntimeError('no world today')\n")
    with pytest.raises(ScenarioError, match="failed to import: RuntimeError: no world today"):
        load_scenario(path)
