"""Running a scenario's steps against the app and the trial's twin session.

A step that goes wrong for the app (an unexpected status, nothing to save) is recorded with an
`error` and ends the steps: later ones usually depend on it. A step the harness cannot run
(twins unreachable, a command that cannot start) raises, and the trial is an `error`."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from harness.app import AppError, AppSpec, run_command
from harness.checks.conditions import MISSING, entries_of, resolve
from harness.model import StepRecord
from harness.scenario import (
    ClockStep,
    CommandStep,
    FaultsStep,
    HttpStep,
    SleepStep,
    Step,
    WaitForStep,
    render,
    render_text,
)
from harness.twins_client import TwinsSession

BODY_CAP = 64_000


class StepFailed(Exception):
    """The app did not do what a step needs; recorded on the step."""


class StepRunner:
    def __init__(
        self,
        app: AppSpec,
        app_url: str | None,
        session: TwinsSession,
        context: dict[str, Any],
        profile_rules: list[dict[str, Any]],
        client: httpx.Client,
    ) -> None:
        self.app = app
        self.app_url = app_url
        self.session = session
        self.context = context
        self.profile_rules = profile_rules
        self.client = client

    def run(self, steps: tuple[Step, ...]) -> list[StepRecord]:
        records: list[StepRecord] = []
        for index, step in enumerate(steps):
            record = StepRecord(
                index=index, kind=step.kind, request={"name": step.name} if step.name else {}
            )
            started = time.monotonic()
            try:
                self._run_one(step, record)
            except StepFailed as failure:
                record.error = str(failure)
            record.duration_ms = (time.monotonic() - started) * 1000
            records.append(record)
            if record.error:
                break
        return records

    def _run_one(self, step: Step, record: StepRecord) -> None:
        if isinstance(step, HttpStep):
            self._http(step, record)
        elif isinstance(step, CommandStep):
            self._command(step, record)
        elif isinstance(step, WaitForStep):
            self._wait_for(step, record)
        elif isinstance(step, ClockStep):
            change = (
                {"advance": step.advance}
                if step.advance is not None
                else {"frozen_at": step.set or 0.0}
            )
            record.request.update(change)
            self.session.clock(change)
        elif isinstance(step, FaultsStep):
            rules = [*render(list(step.rules), self.context), *self.profile_rules]
            record.request["rules"] = rules
            self.session.set_faults(rules)
        elif isinstance(step, SleepStep):
            record.request["seconds"] = step.seconds
            time.sleep(step.seconds)

    def _http(self, step: HttpStep, record: StepRecord) -> None:
        if self.app_url is None:
            raise AppError("an `http` step needs a `service` app")
        path = render_text(step.path, self.context)
        body = render(step.json, self.context) if step.json is not None else None
        # headers and form fields are text even when a placeholder holds a number
        form = self._texts(step.form) if step.form is not None else None
        headers = self._texts(step.headers)
        record.request.update(
            {"method": step.method, "path": path, "json": body, "form": form, "headers": headers}
        )
        try:
            reply = self.client.request(
                step.method,
                f"{self.app_url}{path}",
                json=body,
                data=form,
                headers=headers,
                timeout=step.timeout,
            )
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise StepFailed(
                f"{step.method} {path}: the app did not answer ({type(error).__name__})"
            ) from error
        record.response = {
            "status": reply.status_code,
            "headers": dict(reply.headers),
            "json": _json_or_none(reply.text),
            "text": reply.text[:BODY_CAP],
        }
        if step.expect_status is not None and reply.status_code != step.expect_status:
            raise StepFailed(
                f"{step.method} {path} answered {reply.status_code}, expected {step.expect_status}"
            )
        self._save(step.save, record.response["json"])

    def _command(self, step: CommandStep, record: StepRecord) -> None:
        if self.app.kind != "command":
            raise AppError("a `command` step needs a `command` app")
        args = [render_text(arg, self.context) for arg in step.args]
        record.request["args"] = args
        result = run_command(self.app, args, self.context, step.timeout)
        result["json"] = _json_or_none(result["stdout"])
        record.response = result
        if step.expect_exit is not None and result["exit_code"] != step.expect_exit:
            raise StepFailed(
                f"the command exited {result['exit_code']}, expected {step.expect_exit}"
            )
        self._save(step.save, result["json"])

    def _wait_for(self, step: WaitForStep, record: StepRecord) -> None:
        record.request.update(
            {"twin": step.twin, "operation": step.operation, "status": step.status}
        )
        deadline = time.monotonic() + step.timeout
        while True:
            found = entries_of(self.session.journal(), step.twin, step.operation, step.status)
            if found:
                record.response = {"seq": found[0].get("seq"), "status": found[0].get("status")}
                return
            if time.monotonic() >= deadline:
                raise StepFailed(f"{step.twin} saw no {step.operation} within {step.timeout:g}s")
            time.sleep(0.1)

    def _texts(self, values: dict[str, str]) -> dict[str, str]:
        return {key: render_text(value, self.context) for key, value in values.items()}

    def _save(self, saves: dict[str, str], document: Any) -> None:
        for variable, pointer in saves.items():
            value = resolve(document, pointer)
            if value is MISSING:
                raise StepFailed(f"nothing at {pointer} in the reply to save as {variable!r}")
            self.context["vars"][variable] = value


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None
