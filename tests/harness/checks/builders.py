"""Hand-built journal entries and trajectories for the checks' tests."""

from __future__ import annotations

from typing import Any

from harness.model import StepRecord, Trajectory


def entry(
    operation: str,
    status: int,
    at: float = 0.0,
    body: Any = None,
    key: str | None = None,
    response_headers: dict[str, str] | None = None,
    fault: dict[str, Any] | None = None,
    twin: str = "bookshop",
) -> dict[str, Any]:
    headers = {"idempotency-key": key} if key else {}
    return {
        "twin": twin,
        "operation": operation,
        "status": status,
        "at": at,
        "request": {"headers": headers, "body": body},
        "response": {"headers": response_headers or {}, "body": {}},
        "extra": {"fault": fault} if fault else {},
    }


def trajectory(
    journal: list[dict[str, Any]] | None = None,
    steps: list[StepRecord] | None = None,
    state: dict[str, Any] | None = None,
) -> Trajectory:
    return Trajectory(steps=steps or [], journal=journal or [], state=state or {})
