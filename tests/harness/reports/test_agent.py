from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from harness.gate import Policy
from harness.reports import agent_view, agent_view_json, agent_view_text, evaluate, scenario_labels
from tests.harness.reports.sweeps import CHECKOUT, REFUND, SECRETS, evaluation
from tests.harness.trials import trial

FORBIDDEN = [CHECKOUT, REFUND, *(text for texts in SECRETS.values() for text in texts)]


def test_no_scenario_id_title_story_or_step_path_appears_in_the_agent_view() -> None:
    ev = evaluation()
    for rendered in (agent_view_text(ev, SECRETS), agent_view_json(ev, SECRETS)):
        for secret in FORBIDDEN:
            assert secret.lower() not in rendered.lower(), secret


def test_check_details_are_evidence_for_humans_and_stay_out() -> None:
    text = agent_view_text(evaluation(), SECRETS)
    assert "payment_intents" not in text
    assert "did not hold" not in text


def test_scenarios_appear_under_opaque_labels_with_their_satisfaction() -> None:
    view = agent_view(evaluation(), SECRETS)
    assert [(s["label"], s["satisfaction"], s["valid_trials"]) for s in view["scenarios"]] == [
        ("scenario A", 0.6, 10),
        ("scenario B", 0.25, 8),
    ]
    assert view["decision"] == "block"


def test_failed_behaviours_are_counted_across_trials() -> None:
    view = agent_view(evaluation(), SECRETS)
    refund = view["scenarios"][1]["failing_behaviours"]
    assert sorted((f["behaviour"], f["failed_trials"]) for f in refund) == [
        ("email sent", 6),
        ("refund issued", 6),
    ]


def test_secret_text_inside_a_behaviour_is_hidden_but_the_behaviour_stays() -> None:
    [failure] = agent_view(evaluation(), SECRETS)["scenarios"][0]["failing_behaviours"]
    assert failure == {
        "behaviour": "charge the customer exactly once when they confirm ([hidden])",
        "check": "scenario A: charged once",
        "critical": True,
        "failed_trials": 4,
    }


def test_the_gate_reasons_name_labels_not_scenario_ids() -> None:
    reasons = agent_view(evaluation(), SECRETS)["reasons"]
    assert "scenario A: dropped 0.400 vs baseline (p=0.0253), allowed 0.100" in reasons


def test_the_text_view_reads_as_a_list_of_behaviours_to_fix() -> None:
    text = agent_view_text(evaluation(), SECRETS)
    assert text.startswith("Gate decision: block (overall satisfaction 42%)")
    assert "scenario B: satisfied in 25% of 8 trials, 2 harness errors" in text
    assert "  - refund issued (check refund issued: failed in 6/8 trials)" in text


def test_the_json_view_is_valid_json() -> None:
    assert json.loads(agent_view_json(evaluation(), SECRETS))["overall_satisfaction"] == 0.425


def test_labels_go_past_z() -> None:
    labels = scenario_labels(f"s{i:02d}" for i in range(28))
    assert (labels["s00"], labels["s25"], labels["s26"], labels["s27"]) == (
        "scenario A",
        "scenario Z",
        "scenario AA",
        "scenario AB",
    )


# Marked so that a template word ("block") containing a short id is not taken for a leak.
ids = st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=12).map(
    lambda text: f"sc-{text}"
)
titles = st.text(min_size=1, max_size=30).map(lambda text: f"«{text}»")


@given(st.lists(ids, min_size=1, max_size=5, unique_by=str.lower), titles)
def test_scenario_ids_and_titles_never_leak_whatever_the_checks_say(
    scenario_ids: list[str], title: str
) -> None:
    results = [
        trial(s, 0, "unsatisfied", failed=(f"{s} failed: {title}",), behaviour=f"{title} for {s}")
        for s in scenario_ids
    ]
    secrets = {s: [title] for s in scenario_ids}
    text = agent_view_text(evaluate(results, Policy(critical={scenario_ids[0]: 1.0})), secrets)
    for s in scenario_ids:
        assert s.lower() not in text.lower()
    assert title.lower() not in text.lower()
