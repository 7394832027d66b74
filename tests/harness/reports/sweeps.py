"""One evaluated sweep shared by the report tests: two scenarios, a baseline, failures."""

from __future__ import annotations

from harness.gate import Policy
from harness.model import CheckResult, Judgement, TrialKey, TrialResult
from harness.reports import Evaluation, evaluate
from tests.harness.trials import trial, trials

CHECKOUT = "checkout-with-saved-card"
REFUND = "refund-a-late-order"

# What the scenario files hold, which the agent must never see.
SECRETS = {
    CHECKOUT: [
        "Returning customer pays with a saved card",
        "As a returning customer I want to pay with my saved card so that checkout is quick",
        "/checkout/confirm",
    ],
    REFUND: [
        "Late order refunded",
        "My order came a week late and I want my money back",
        "/orders/42/refund",
    ],
}


def leaky_trial(seed: int) -> TrialResult:
    """An unsatisfied trial whose check texts quote the scenario (a careless check author)."""
    check = CheckResult(
        f"{CHECKOUT}: charged once",
        False,
        detail="2 POST /v1/payment_intents after /checkout/confirm",
        behaviour="charge the customer exactly once when they confirm"
        " (Returning customer pays with a saved card)",
        critical=True,
    )
    return TrialResult(
        key=TrialKey("sweep-2", CHECKOUT, seed),
        outcome="unsatisfied",
        judgements=[Judgement("checks", 0.0, False, [check], "double charge")],
        duration_s=1.25,
    )


def candidate() -> list[TrialResult]:
    checkout = [trial(CHECKOUT, s, sweep="sweep-2") for s in range(6)]
    checkout += [leaky_trial(s) for s in range(6, 10)]
    refund = trials(REFUND, 2, 6, errors=2, failed=("refund issued", "email sent"), sweep="sweep-2")
    return checkout + refund


def baseline() -> list[TrialResult]:
    return trials(CHECKOUT, 10, sweep="sweep-1") + trials(REFUND, 10, sweep="sweep-1")


def evaluation(policy: Policy | None = None) -> Evaluation:
    return evaluate(
        candidate(), policy or Policy(min_satisfaction=0.8, max_regression=0.1), baseline()
    )
