from __future__ import annotations

import xml.etree.ElementTree as ET

from harness.gate import Policy
from harness.model import TrialKey, TrialResult
from harness.reports import evaluate, junit_xml
from tests.harness.reports.sweeps import CHECKOUT, REFUND, evaluation


def parsed() -> ET.Element:
    return ET.fromstring(junit_xml(evaluation()))


def test_there_is_one_testsuite_per_scenario_and_one_testcase_per_trial() -> None:
    root = parsed()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [CHECKOUT, REFUND]
    assert [len(s.findall("testcase")) for s in suites] == [10, 10]


def test_counts_add_up_in_every_suite_and_overall() -> None:
    root = parsed()
    checkout, refund = root.findall("testsuite")
    assert (checkout.get("tests"), checkout.get("failures"), checkout.get("errors")) == (
        "10",
        "4",
        "0",
    )
    assert (refund.get("tests"), refund.get("failures"), refund.get("errors")) == ("10", "6", "2")
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("20", "10", "2")
    assert refund.get("time") == "5.000"


def test_a_failure_carries_the_failing_checks() -> None:
    refund = parsed().findall("testsuite")[1]
    failure = refund.findall("testcase")[2].find("failure")
    assert failure is not None
    assert failure.get("message") == "unsatisfied: refund issued, email sent"
    assert (
        failure.text
        == "refund issued: refund issued did not hold\nemail sent: email sent did not hold"
    )


def test_a_harness_error_is_an_error_not_a_failure() -> None:
    case = parsed().findall("testsuite")[1].findall("testcase")[-1]
    error = case.find("error")
    assert error is not None and case.find("failure") is None
    assert error.get("message") == "the app would not start"


def test_testcases_are_named_by_profile_and_seed_under_their_scenario() -> None:
    case = parsed().find("testsuite/testcase")
    assert case is not None
    assert (case.get("classname"), case.get("name")) == (CHECKOUT, "none:0")


def test_control_characters_in_app_output_still_give_well_formed_xml() -> None:
    broken = TrialResult(TrialKey("s", "x", 1), "error", error="boom\x1b[31m\x00 <&>")
    root = ET.fromstring(junit_xml(evaluate([broken], Policy())))
    error = root.find("testsuite/testcase/error")
    assert error is not None and error.text == "boom?[31m? <&>"
