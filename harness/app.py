"""The app under test: a descriptor (YAML or TOML, kept next to the scenarios) and running it.

kind `service`: a long-running HTTP server, started once per trial with `{port}` and
`{twins.<name>.url}` (the trial session's URL of a twin) filled into its command and env,
ready when GET `ready.path` answers 2xx, stopped with SIGTERM then SIGKILL.
kind `command`: an argv run once per `command` step, the step's args appended."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import httpx
import yaml

from harness.scenario.reader import Node, ScenarioError, required
from harness.scenario.template import render_text

LOG_CAP = 64_000  # characters of an app's output kept in a trajectory
MAX_DESCRIPTOR_BYTES = 100_000


@dataclass(frozen=True)
class AppSpec:
    name: str
    kind: Literal["service", "command"]
    command: tuple[str, ...]
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)
    ready_path: str = "/"
    ready_timeout: float = 30.0
    stop_timeout: float = 5.0


class AppError(RuntimeError):
    """The app could not be started or never became ready: the trial is an `error`."""


def load_app(path: Path) -> AppSpec:
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ScenarioError(source, "", f"cannot read: {error.strerror}") from error
    if len(raw) > MAX_DESCRIPTOR_BYTES:
        raise ScenarioError(source, "", f"is {len(raw)} bytes; at most {MAX_DESCRIPTOR_BYTES}")
    try:
        data = tomllib.loads(raw.decode()) if path.suffix == ".toml" else yaml.safe_load(raw)
    except (tomllib.TOMLDecodeError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise ScenarioError(source, "", f"cannot be parsed: {error}") from error
    return app_from_data(data, source, path.parent)


def app_from_data(data: Any, source: str, base: Path) -> AppSpec:
    root = Node(source, "", data)
    fields = root.mapping({"name", "kind", "command", "cwd", "env", "ready", "stop_timeout"})
    kind = required(fields, root, "kind").text(20)
    if kind not in ("service", "command"):
        raise fields["kind"].fail("must be `service` or `command`")
    command = tuple(item.scalar_text() for item in required(fields, root, "command").items(100))
    if not command:
        raise fields["command"].fail("must not be empty")
    ready = fields["ready"].mapping({"path", "timeout"}) if "ready" in fields else {}
    ready_path = ready["path"].text(500) if "path" in ready else "/"
    if not ready_path.startswith("/"):
        raise ready["path"].fail("must start with '/'")
    return AppSpec(
        name=fields["name"].text(100) if "name" in fields else Path(source).stem,
        kind="service" if kind == "service" else "command",
        command=command,
        cwd=(base / fields["cwd"].text(1000)).resolve() if "cwd" in fields else base.resolve(),
        env=fields["env"].strings(200) if "env" in fields else {},
        ready_path=ready_path,
        ready_timeout=ready["timeout"].number(0.1, 600) if "timeout" in ready else 30.0,
        stop_timeout=fields["stop_timeout"].number(0.1, 60) if "stop_timeout" in fields else 5.0,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def app_env(spec: AppSpec, context: dict[str, Any]) -> dict[str, str]:
    return {**os.environ, **{key: render_text(value, context) for key, value in spec.env.items()}}


class RunningService:
    """A started `service` app; `stop()` ends it and gives back its capped output."""

    def __init__(self, spec: AppSpec, context: dict[str, Any]) -> None:
        self.spec = spec
        self.port = int(context["port"])
        self.url = f"http://127.0.0.1:{self.port}"
        self._log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - lives until stop()
        argv = [render_text(part, context) for part in spec.command]
        try:
            self.process = subprocess.Popen(
                argv,
                cwd=spec.cwd,
                env=app_env(spec, context),
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # so stop() reaches the app's own children
            )
        except OSError as error:
            self._log.close()
            raise AppError(f"cannot start {argv[0]!r}: {error.strerror}") from error

    def wait_ready(self) -> None:
        deadline = time.monotonic() + self.spec.ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AppError(f"the app exited with {self.process.returncode} before it was ready")
            try:
                if httpx.get(f"{self.url}{self.spec.ready_path}", timeout=1.0).is_success:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise AppError(
            f"the app was not ready at {self.spec.ready_path} within {self.spec.ready_timeout:g}s"
        )

    def stop(self) -> str:
        if self.process.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=self.spec.stop_timeout)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.seek(0)
        output = self._log.read().decode(errors="replace")
        self._log.close()
        return capped(output)

    def _signal(self, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)


def run_command(
    spec: AppSpec, args: list[str], context: dict[str, Any], timeout: float
) -> dict[str, Any]:
    """One run of a `command` app: its exit code and capped output."""
    argv = [render_text(part, context) for part in spec.command] + args
    try:
        done = subprocess.run(
            argv,
            cwd=spec.cwd,
            env=app_env(spec, context),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise AppError(f"the command did not finish within {timeout:g}s") from error
    except OSError as error:
        raise AppError(f"cannot run {argv[0]!r}: {error.strerror}") from error
    return {
        "exit_code": done.returncode,
        "stdout": capped(done.stdout.decode(errors="replace")),
        "stderr": capped(done.stderr.decode(errors="replace")),
    }


def capped(text: str) -> str:
    return text if len(text) <= LOG_CAP else "[...]" + text[-LOG_CAP:]
