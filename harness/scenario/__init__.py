"""Scenarios: the world a trial starts from, what the user does, and what satisfies them."""

from harness.scenario.loader import load_scenario, load_scenarios, scenario_from_data
from harness.scenario.model import (
    Check,
    CheckMeta,
    ClockStep,
    CommandStep,
    Condition,
    Count,
    FaultsStep,
    HttpStep,
    JournalCheck,
    ResilienceCheck,
    ResourceSeed,
    ResponseCheck,
    Scenario,
    SleepStep,
    StateCheck,
    Step,
    TwinWorld,
    Variable,
    WaitForStep,
)
from harness.scenario.reader import ScenarioError
from harness.scenario.template import TemplateError, render, render_text
from harness.scenario.variables import draw

__all__ = [
    "Check",
    "CheckMeta",
    "ClockStep",
    "CommandStep",
    "Condition",
    "Count",
    "FaultsStep",
    "HttpStep",
    "JournalCheck",
    "ResilienceCheck",
    "ResourceSeed",
    "ResponseCheck",
    "Scenario",
    "ScenarioError",
    "SleepStep",
    "StateCheck",
    "Step",
    "TemplateError",
    "TwinWorld",
    "Variable",
    "WaitForStep",
    "draw",
    "load_scenario",
    "load_scenarios",
    "render",
    "render_text",
    "scenario_from_data",
]
