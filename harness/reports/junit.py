"""JUnit XML: one testsuite per scenario, one testcase per trial, so CI shows trials as tests.

Follows the common JUnit schema (testsuites > testsuite > testcase > failure|error): an
unsatisfied trial is a failure listing its failing checks; a harness error is an error.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from itertools import groupby

from harness.model import TrialResult
from harness.reports.evaluation import Evaluation, failed_checks


def junit_xml(evaluation: Evaluation, name: str = "dtu scenarios") -> str:
    root = ET.Element("testsuites", name=name)
    by_scenario = sorted(
        evaluation.results, key=lambda r: (r.key.scenario, r.key.profile, r.key.seed)
    )
    for scenario, trials in groupby(by_scenario, key=lambda r: r.key.scenario):
        root.append(_suite(scenario, list(trials)))
    _count(root, root.findall("testsuite"))
    _safe(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _suite(scenario: str, trials: list[TrialResult]) -> ET.Element:
    suite = ET.Element("testsuite", name=scenario)
    for trial in trials:
        suite.append(_case(trial))
    _count(suite, [suite])
    return suite


def _count(element: ET.Element, suites: Iterable[ET.Element]) -> None:
    cases = [case for suite in suites for case in suite.iter("testcase")]
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(c.find("failure") is not None for c in cases)))
    element.set("errors", str(sum(c.find("error") is not None for c in cases)))
    element.set("skipped", "0")
    element.set("time", f"{sum(float(c.get('time', '0')) for c in cases):.3f}")


def _case(trial: TrialResult) -> ET.Element:
    key = trial.key
    case = ET.Element(
        "testcase",
        classname=key.scenario,
        name=f"{key.profile}:{key.seed}",
        time=f"{max(trial.duration_s, 0.0):.3f}",
    )
    if trial.outcome == "error":
        error = ET.SubElement(case, "error", message=_line(trial.error or "harness error"))
        error.set("type", "HarnessError")
        error.text = trial.error or ""
    elif trial.outcome == "unsatisfied":
        checks = failed_checks(trial)
        names = ", ".join(dict.fromkeys(c.name for c in checks)) or "judged unsatisfied"
        failure = ET.SubElement(case, "failure", message=_line(f"unsatisfied: {names}"))
        failure.set("type", "Unsatisfied")
        failure.text = "\n".join(_check_line(c.name, c.detail, c.critical) for c in checks) or (
            "\n".join(j.rationale for j in trial.judgements if j.rationale)
        )
    return case


def _check_line(name: str, detail: str, critical: bool) -> str:
    mark = " [critical]" if critical else ""
    return f"{name}{mark}: {detail}" if detail else f"{name}{mark}"


def _line(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else text
    return first[:500]


# XML 1.0 forbids most control characters even escaped; app output and details may hold them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _safe(element: ET.Element) -> None:
    for node in element.iter():
        node.text = _NOT_XML.sub("?", node.text) if node.text else node.text
        for attribute, value in node.attrib.items():
            node.set(attribute, _NOT_XML.sub("?", value))
