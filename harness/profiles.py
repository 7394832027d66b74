"""Fault profiles: named sets of the twins' fault rules applied to every trial's session.

Rules use the twins' own format (docs/faults-and-limits.md); every draw they make comes from
the trial session's seed, so a trial replays with the same faults."""

from __future__ import annotations

from typing import Any

PROFILES: dict[str, list[dict[str, Any]]] = {
    "none": [],
    # Every request takes 100-400 ms longer.
    "slow": [{"id": "slow", "kind": "latency", "latency": {"uniform": [100, 400]}}],
    # The first two writes are refused with 429 and Retry-After: 1.
    "rate_limited": [
        {
            "id": "rate-limited",
            "kind": "error",
            "operation": "POST *",
            "status": 429,
            "headers": {"Retry-After": "1"},
            "count": 2,
        }
    ],
    # Bursts of 503s: two in a row, then three good answers, then one more.
    "flaky_5xx": [
        {"id": "flaky", "kind": "sequence", "sequence": [503, 503, "ok", "ok", "ok", 503]}
    ],
    # The first create's reply is cut off after the twin acted: a retry must not create twice.
    "lost_reply": [{"id": "lost-reply", "kind": "truncate", "operation": "POST *", "count": 1}],
}


class UnknownProfile(ValueError):
    pass


def profile_rules(name: str) -> list[dict[str, Any]]:
    if name not in PROFILES:
        raise UnknownProfile(f"no fault profile {name!r}; known: {sorted(PROFILES)}")
    return [dict(rule) for rule in PROFILES[name]]
