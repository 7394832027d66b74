"""Checks on what the user can see: app replies, the twins' journal and their final state."""

from __future__ import annotations

from typing import Any

from harness.checks.conditions import counted, entries_of, holds
from harness.model import CheckResult, StepRecord, Trajectory
from harness.scenario import Condition, JournalCheck, ResponseCheck, StateCheck


def response(check: ResponseCheck, trajectory: Trajectory, context: dict[str, Any]) -> CheckResult:
    step = _named_step(trajectory.steps, check.step)
    if step is None:
        return _result(check, False, f"step {check.step!r} did not run")
    reply = step.response
    failures: list[str] = []
    if check.status is not None and reply.get("status") != check.status:
        failures.append(f"status {reply.get('status')}, expected {check.status}")
    if check.exit_code is not None and reply.get("exit_code") != check.exit_code:
        failures.append(f"exit code {reply.get('exit_code')}, expected {check.exit_code}")
    if check.stdout_contains is not None and check.stdout_contains not in str(
        reply.get("stdout", "")
    ):
        failures.append(f"stdout does not contain {check.stdout_contains!r}")
    for condition in check.conditions:
        passed, detail = holds(condition, reply.get("json"), context)
        if not passed:
            failures.append(detail)
    return _result(
        check, not failures, "; ".join(failures) or f"step {check.step!r} answered as needed"
    )


def journal(check: JournalCheck, trajectory: Trajectory, context: dict[str, Any]) -> CheckResult:
    entries = entries_of(trajectory.journal, check.twin, check.operation, check.status)
    matching = [entry for entry in entries if _all_hold(check.where, entry, context)]
    passed, detail = counted(check.count, len(matching))
    return _result(check, passed, f"{check.twin} {check.operation}: {detail}")


def state(check: StateCheck, trajectory: Trajectory, context: dict[str, Any]) -> CheckResult:
    collections = trajectory.state.get("resources", {}).get(check.twin, {})
    records = _collection(collections, check.resource)
    bodies = [record.get("body", record) for record in records if isinstance(record, dict)]
    matching = [body for body in bodies if _all_hold(check.where, body, context)]
    passed, detail = counted(check.count, len(matching))
    return _result(check, passed, f"{check.twin} {check.resource}: {detail}")


def _collection(collections: Any, resource: str) -> list[Any]:
    """Records of a resource named by collection path ("/authors") or last segment ("authors")."""
    if not isinstance(collections, dict):
        return []
    records: list[Any] = []
    for path, items in collections.items():
        if path in (resource, f"/{resource}") or str(path).rsplit("/", 1)[-1] == resource:
            records.extend(items if isinstance(items, list) else [])
    return records


def _all_hold(conditions: tuple[Condition, ...], document: Any, context: dict[str, Any]) -> bool:
    return all(holds(condition, document, context)[0] for condition in conditions)


def _named_step(steps: list[StepRecord], name: str) -> StepRecord | None:
    return next((step for step in steps if step.request.get("name") == name), None)


def _result(
    check: ResponseCheck | JournalCheck | StateCheck, passed: bool, detail: str
) -> CheckResult:
    meta = check.meta
    return CheckResult(
        name=meta.name,
        passed=passed,
        weight=meta.weight,
        detail=detail,
        behaviour=meta.behaviour,
        critical=meta.critical,
    )
