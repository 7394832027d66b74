"""Checks on how the app behaves when a twin misbehaves, read from the journal alone.

- honours_retry_after: after a 429 carrying Retry-After, the next request to that operation
  arrives no sooner than Retry-After seconds later (journal timestamps).
- reuses_idempotency_key: a retry (the next request to the operation with the same body) after a
  5xx or a lost reply carries the same Idempotency-Key as the attempt that failed.
- no_duplicate_side_effects: no two successful, non-replayed creates share the given body fields.
"""

from __future__ import annotations

from typing import Any

from harness.checks.conditions import MISSING, entries_of, header, resolve
from harness.model import CheckResult, Trajectory
from harness.scenario import ResilienceCheck

# Faults after which the twin may have acted although the client saw no answer.
LOST_REPLY = {"timeout", "truncate", "reset", "malformed"}
TOLERANCE_S = 0.05  # journal timestamps are taken on arrival, a little after the client sends


def resilience(check: ResilienceCheck, trajectory: Trajectory) -> CheckResult:
    entries = entries_of(trajectory.journal, check.twin, check.operation)
    if check.kind == "honours_retry_after":
        passed, detail = _honours_retry_after(entries)
    elif check.kind == "reuses_idempotency_key":
        passed, detail = _reuses_idempotency_key(entries)
    else:
        passed, detail = _no_duplicates(entries, check.fields)
    meta = check.meta
    return CheckResult(
        name=meta.name,
        passed=passed,
        weight=meta.weight,
        detail=detail,
        behaviour=meta.behaviour,
        critical=meta.critical,
    )


def _honours_retry_after(entries: list[dict[str, Any]]) -> tuple[bool, str]:
    limited = 0
    for index, entry in enumerate(entries):
        wait = _retry_after(entry)
        if entry.get("status") != 429 or wait is None:
            continue
        limited += 1
        later = entries[index + 1 :]
        if later:
            gap = float(later[0].get("at", 0.0)) - float(entry.get("at", 0.0))
            if gap + TOLERANCE_S < wait:
                return (
                    False,
                    f"retried {gap:.2f}s after a 429 asking for {wait:g}s",
                )
    return (
        True,
        f"{limited} rate-limited answer(s), each waited out" if limited else "never rate-limited",
    )


def _retry_after(entry: dict[str, Any]) -> float | None:
    value = header(entry.get("response", {}).get("headers"), "retry-after")
    try:
        # a repeated header arrives joined ("1, 1"): the first value counts
        return float(value.split(",")[0]) if value is not None else None
    except ValueError:
        return None


def _failed(entry: dict[str, Any]) -> bool:
    fault = entry.get("extra", {}).get("fault") or {}
    effect = fault.get("effect", fault.get("kind"))
    return int(entry.get("status", 0)) >= 500 or effect in LOST_REPLY


def _key(entry: dict[str, Any]) -> str | None:
    return header(entry.get("request", {}).get("headers"), "idempotency-key")


def _reuses_idempotency_key(entries: list[dict[str, Any]]) -> tuple[bool, str]:
    retries = 0
    for index, entry in enumerate(entries):
        if not _failed(entry):
            continue
        body = entry.get("request", {}).get("body")
        retry = next(
            (
                later
                for later in entries[index + 1 :]
                if later.get("request", {}).get("body") == body
            ),
            None,
        )
        if retry is None:
            continue
        retries += 1
        first, again = _key(entry), _key(retry)
        if first is None:
            return (
                False,
                f"the attempt that failed ({entry.get('status')}) carried no Idempotency-Key",
            )
        if again != first:
            return (
                False,
                f"the retry carried Idempotency-Key {again!r}, the first attempt {first!r}",
            )
    return (
        True,
        f"{retries} retried request(s), each with its first key"
        if retries
        else "nothing was retried",
    )


def _no_duplicates(entries: list[dict[str, Any]], fields: tuple[str, ...]) -> tuple[bool, str]:
    seen: dict[tuple[str, ...], int] = {}
    for entry in entries:
        replayed = header(entry.get("response", {}).get("headers"), "idempotent-replayed") == "true"
        if not 200 <= int(entry.get("status", 0)) < 300 or replayed:
            continue
        body = entry.get("request", {}).get("body")
        identity = tuple(
            repr(resolve(body, field)) for field in fields if resolve(body, field) is not MISSING
        )
        seen[identity] = seen.get(identity, 0) + 1
    duplicated = {identity: times for identity, times in seen.items() if times > 1}
    if duplicated:
        identity, times = next(iter(duplicated.items()))
        return False, f"{times} successful creates with {dict(zip(fields, identity, strict=False))}"
    return True, f"{sum(seen.values())} create(s), none repeated"
