"""Reports of a sweep: JSON (everything), JUnit XML (for CI), Markdown (for a pull request)
and an agent view (what failed, in behaviour terms, with the scenarios kept secret)."""

from harness.reports.agent import agent_view, agent_view_json, agent_view_text, scenario_labels
from harness.reports.evaluation import Evaluation, evaluate
from harness.reports.json_report import json_report
from harness.reports.junit import junit_xml
from harness.reports.markdown import markdown_report

__all__ = [
    "Evaluation",
    "agent_view",
    "agent_view_json",
    "agent_view_text",
    "evaluate",
    "json_report",
    "junit_xml",
    "markdown_report",
    "scenario_labels",
]
