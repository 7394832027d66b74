"""Loading scenarios from YAML files (or Python modules exposing `scenario`), with every error
naming the file and the JSON pointer of the bad field, and every size bounded."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import yaml

from harness.scenario.model import (
    ResourceSeed,
    ResponseCheck,
    Scenario,
    TwinWorld,
    Variable,
)
from harness.scenario.parse_checks import parse_check
from harness.scenario.parse_steps import parse_step
from harness.scenario.reader import Node, ScenarioError, optional_items, required

MAX_FILE_BYTES = 1_000_000
MAX_STEPS = 200
MAX_CHECKS = 200
MAX_RECORDS = 1_000
NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
SCENARIO_FIELDS = {
    "id", "title", "story", "weight", "critical", "threshold", "twins", "world", "variables",
    "steps", "checks",
}  # fmt: skip


def load_scenario(path: Path) -> Scenario:
    """A scenario from a `.yaml`/`.yml` file or a `.py` module exposing `scenario`."""
    if path.suffix == ".py":
        return _from_module(path)
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ScenarioError(source, "", f"cannot read: {error.strerror}") from error
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(source, "", f"is {len(raw)} bytes; at most {MAX_FILE_BYTES}")
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise ScenarioError(source, "", f"is not valid YAML: {error}") from error
    return scenario_from_data(data, source)


def load_scenarios(directory: Path) -> list[Scenario]:
    """Every scenario in a folder (not recursive), sorted by file name; ids must be unique."""
    scenarios: dict[str, Scenario] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix in (".yaml", ".yml", ".py") and not path.name.startswith("_"):
            scenario = load_scenario(path)
            if scenario.id in scenarios:
                raise ScenarioError(
                    str(path), "/id", f"{scenario.id!r} is also in {scenarios[scenario.id].source}"
                )
            scenarios[scenario.id] = scenario
    return list(scenarios.values())


def _from_module(path: Path) -> Scenario:
    spec = importlib.util.spec_from_file_location(f"dtu_scenario_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ScenarioError(str(path), "", "is not a loadable Python module")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # noqa: BLE001 - any failure of the author's code is reported
        raise ScenarioError(
            str(path), "", f"failed to import: {type(error).__name__}: {error}"
        ) from error
    scenario = getattr(module, "scenario", None)
    if not isinstance(scenario, Scenario):
        raise ScenarioError(str(path), "", "must define `scenario`, a harness.scenario.Scenario")
    return scenario


def scenario_from_data(data: Any, source: str) -> Scenario:
    root = Node(source, "", data)
    fields = root.mapping(SCENARIO_FIELDS)
    scenario_id = required(fields, root, "id").text(100)
    if not NAME.match(scenario_id):
        raise fields["id"].fail("must be 1-100 of A-Z a-z 0-9 _ . -")
    twins = [node.text(100) for node in required(fields, root, "twins").items(20)]
    scenario = Scenario(
        id=scenario_id,
        title=required(fields, root, "title").text(200),
        story=fields["story"].text(10_000) if "story" in fields else "",
        twins=tuple(twins),
        world=tuple(_world(node, twins) for node in optional_items(fields, "world", 20)),
        variables=tuple(_variable(node) for node in optional_items(fields, "variables", 100)),
        steps=tuple(parse_step(node) for node in required(fields, root, "steps").items(MAX_STEPS)),
        checks=tuple(
            parse_check(node) for node in required(fields, root, "checks").items(MAX_CHECKS)
        ),
        weight=fields["weight"].number(0, 1000) if "weight" in fields else 1.0,
        critical=fields["critical"].boolean() if "critical" in fields else False,
        threshold=fields["threshold"].number(0, 1) if "threshold" in fields else 1.0,
        source=source,
    )
    _check_references(scenario, root)
    return scenario


def _check_references(scenario: Scenario, root: Node) -> None:
    """Names a check uses must exist: step names it reads, twins it counts on."""
    steps = [step.name for step in scenario.steps if step.name]
    for index, name in enumerate(steps):
        if name in steps[:index]:
            raise root.child("steps", None).fail(f"two steps are named {name!r}")
    for index, check in enumerate(scenario.checks):
        node = root.child("checks", None).child(index, None)
        if isinstance(check, ResponseCheck) and check.step not in steps:
            raise node.child("step", check.step).fail(
                f"no step is named {check.step!r}; named: {steps}"
            )
        twin = getattr(check, "twin", None)
        if twin is not None and twin not in scenario.twins:
            raise node.child("twin", twin).fail(
                f"{twin!r} is not in this scenario's twins {list(scenario.twins)}"
            )


def _world(node: Node, twins: list[str]) -> TwinWorld:
    fields = node.mapping({"twin", "resources", "snapshot"})
    twin = required(fields, node, "twin").text(100)
    if twin not in twins:
        raise fields["twin"].fail(f"{twin!r} is not in this scenario's twins {twins}")
    if "snapshot" in fields and "resources" in fields:
        raise node.fail("give either `resources` or `snapshot`, not both")
    return TwinWorld(
        twin=twin,
        snapshot=fields["snapshot"].text(128) if "snapshot" in fields else None,
        resources=tuple(_resource_seed(item) for item in optional_items(fields, "resources", 50)),
    )


def _resource_seed(node: Node) -> ResourceSeed:
    fields = node.mapping({"resource", "records", "parent"})
    records = []
    for item in required(fields, node, "records").items(MAX_RECORDS):
        item.mapping()
        records.append(dict(item.value))
    return ResourceSeed(
        resource=required(fields, node, "resource").text(200),
        records=tuple(records),
        parent=fields["parent"].strings(20) if "parent" in fields else None,
    )


def _variable(node: Node) -> Variable:
    fields = node.mapping({"name", "faker", "int", "choice"})
    name = required(fields, node, "name").text(100)
    sources = [key for key in ("faker", "int", "choice") if key in fields]
    if len(sources) != 1:
        raise node.fail(
            "give exactly one of `faker`, `int` (a [low, high] pair) or `choice` (a list)"
        )
    if "faker" in fields:
        return Variable(name=name, faker=fields["faker"].text(100))
    if "int" in fields:
        bounds = fields["int"].items(2)
        if len(bounds) != 2:
            raise fields["int"].fail("must be [low, high]")
        low, high = (bound.integer() for bound in bounds)
        if low > high:
            raise fields["int"].fail(f"low {low} is above high {high}")
        return Variable(name=name, int_range=(low, high))
    options = fields["choice"].items(1000)
    if not options:
        raise fields["choice"].fail("must not be empty")
    return Variable(name=name, choice=tuple(option.value for option in options))
