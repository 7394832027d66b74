"""Running `st run` against a served twin and reading back what it found.

The CLI, not schemathesis' Python engine: it is the interface the issue names, its JSON report
is a stable document, and its FAILURES section already holds the curl line that reproduces
each failure, which is what a failing test should show.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from schemathesis.failure_codes import get_failure_class

from tests.twins.conformance.settings import Target
from tests.twins.conformance.toml import dumps

SEED = 20240601
# The run's session registers these as its only valid credentials (`register_credentials`),
# so the bad credentials of `ignored_auth` must be refused with 401.
TOKEN = "conformance-token"
BASIC_USER = "conformance"
MAX_DETAILS = 40_000  # characters of schemathesis' output in an assertion message


@dataclass(frozen=True)
class Outcome:
    """One `st run`: its exit code, its JSON report and its terminal output."""

    command: str
    exit_code: int
    report: dict[str, Any]
    output: str
    workdir: Path

    @property
    def failures(self) -> list[dict[str, Any]]:
        return list(self.report.get("failures") or [])

    @property
    def errors(self) -> list[dict[str, Any]]:
        return list(self.report.get("errors") or [])

    @property
    def clean(self) -> bool:
        return self.exit_code == 0 and not self.failures and not self.errors

    def explain(self) -> str:
        """The failures by check, then schemathesis' own FAILURES/ERRORS sections (curl lines)."""
        lines = [f"schemathesis exited {self.exit_code}: {self.command}"]
        lines += [
            f"  {f['code']} {f['title']} ({'/'.join(checks_of(f['code']))}): {f['count']}x in "
            + ", ".join(f["operations"])
            for f in self.failures
        ]
        lines += [f"  error: {e['title']} ({e['count']}x)" for e in self.errors]
        lines.append(f"  all of it: {self.workdir / 'output.txt'}")
        return "\n".join(lines) + "\n\n" + _details(self.output)[:MAX_DETAILS]


def checks_of(code: str) -> tuple[str, ...]:
    """The checks that report a failure code (ST201 -> negative_data_rejection)."""
    found = get_failure_class(code)
    return found.checks if found is not None else ()


def run(target: Target, base_url: str, workdir: Path, timeout: float = 240.0) -> Outcome:
    """`st run` of TARGET's spec against BASE_URL, with every check.

    WORKDIR keeps the run's schemathesis.toml, report.json and output.txt.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "schemathesis.toml").write_text(dumps(config_for(target)))
    command = st_run(target, base_url, workdir)
    env = {**os.environ, "COLUMNS": "200", "SCHEMATHESIS_HOOKS": ""}
    done = subprocess.run(
        command, cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout
    )
    output = done.stdout + done.stderr
    (workdir / "output.txt").write_text(output)
    report = workdir / "report.json"
    document = json.loads(report.read_text()) if report.exists() else {}
    return Outcome(shlex.join(command), done.returncode, document, output, workdir)


def st_run(target: Target, base_url: str, workdir: Path) -> list[str]:
    # `python -m schemathesis.cli` is `st`, from the interpreter that runs the tests.
    return [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(workdir / "schemathesis.toml"),
        "--no-color",
        "run",
        str(target.spec),
        "--url",
        base_url,
        "--report",
        "json",
        "--report-json-path",
        str(workdir / "report.json"),
        *target.filters(),
    ]


def config_for(target: Target) -> dict[str, Any]:
    """schemathesis.toml for one run: checks, phases, generation, credentials, exclusions."""
    config: dict[str, Any] = {
        "seed": SEED,
        "workers": 1,
        "continue-on-failure": True,
        "request-timeout": 10,
        "suppress-health-check": ["all"],
        "output": {"sanitization": {"enabled": False}},  # curl lines keep their credentials
        "generation": {
            "mode": "all",
            "max-examples": target.bounds.max_examples,
            "database": "none",
            "deterministic": True,
            "allow-extra-parameters": target.bounds.allow_extra_parameters,
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True, "max-steps": target.bounds.stateful_steps},
        },
    }
    config.update(credentials(target.security_schemes))
    operations = [exclusion.as_config() for exclusion in target.exclusions]
    if operations:
        config["operations"] = operations
    return config


def credentials(schemes: dict[str, tuple[str, str | None]]) -> dict[str, Any]:
    """Credentials per security scheme (TYPE, http SCHEME) for schemathesis' `auth.openapi`.

    OAuth2 and OpenID Connect have no entry there; a bearer token in every request stands in.
    """
    per_scheme: dict[str, Any] = {}
    headers: dict[str, str] = {}
    for name, (kind, http_scheme) in schemes.items():
        if kind == "apiKey":
            per_scheme[name] = {"api_key": TOKEN}
        elif kind == "http" and (http_scheme or "").lower() == "basic":
            per_scheme[name] = {"username": BASIC_USER, "password": TOKEN}
        elif kind == "http":
            per_scheme[name] = {"bearer": TOKEN}
        elif kind in ("oauth2", "openIdConnect"):
            headers["Authorization"] = f"Bearer {TOKEN}"
    config: dict[str, Any] = {}
    if per_scheme:
        config["auth"] = {"openapi": per_scheme}
    if headers:
        config["headers"] = headers
    return config


def register_credentials(control_url: str, session: str, twin: str) -> None:
    """Make TOKEN (as a key or bearer token) and BASIC_USER:TOKEN the only valid credentials
    of TWIN in SESSION, through the control plane."""
    for credential in ({"secret": TOKEN}, {"username": BASIC_USER, "password": TOKEN}):
        reply = httpx.post(
            f"{control_url}/_twin/sessions/{session}/credentials",
            json={**credential, "twin": twin},
            timeout=30,
        )
        reply.raise_for_status()


_SECTION = re.compile(r"^=+ (FAILURES|ERRORS|WARNINGS) =+$", re.MULTILINE)
_SUMMARY = re.compile(r"^=+ SUMMARY =+$", re.MULTILINE)


def _details(output: str) -> str:
    """From schemathesis' first FAILURES/ERRORS heading to just before its SUMMARY."""
    start = _SECTION.search(output)
    if start is None:
        return output[-6000:]
    end = _SUMMARY.search(output, start.start())
    return output[start.start() : end.start() if end else None].rstrip()
