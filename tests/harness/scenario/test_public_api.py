from __future__ import annotations

import harness.scenario


def test_the_scenario_package_exports_what_python_scenarios_build_with() -> None:
    expected = {
        *("Scenario", "Variable", "TwinWorld", "ResourceSeed", "HttpStep", "CommandStep"),
        *("WaitForStep", "ClockStep", "FaultsStep", "SleepStep", "CheckMeta", "Condition"),
        *("Count", "ResponseCheck", "JournalCheck", "StateCheck", "ResilienceCheck"),
        *("load_scenario", "load_scenarios", "ScenarioError", "TemplateError"),
    }
    assert expected <= set(harness.scenario.__all__)
    assert all(hasattr(harness.scenario, name) for name in harness.scenario.__all__)
