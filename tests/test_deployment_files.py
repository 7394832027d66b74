"""The Dockerfile and docker-compose.yml agree with each other and with the repo.

Docker cannot run on the machines that run these tests, so the files are read, not built.
"""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HEALTH_URL = re.compile(r"http://(?:127\.0\.0\.1|localhost):(\d+)/_twin/health\b")

Instruction = tuple[str, str]


def parse_dockerfile(text: str) -> list[Instruction]:
    """(KEYWORD, arguments) per instruction; joins `\\` continuations, drops comments."""
    instructions: list[Instruction] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # comments may sit between continuation lines too
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        instructions.append((keyword.upper(), args.strip()))
        pending = ""
    return instructions


def exec_form(args: str) -> list[str]:
    """The argv of an instruction in JSON (exec) form, e.g. CMD ["dtu", "serve"]."""
    argv = json.loads(args)
    assert isinstance(argv, list), f"expected the JSON exec form, got {args!r}"
    return [str(a) for a in argv]


def option_value(argv: list[str], option: str) -> str:
    assert option in argv, f"{option} missing from {argv}"
    return argv[argv.index(option) + 1]


def db_path(db: str) -> PurePosixPath:
    return PurePosixPath(db.removeprefix("sqlite:///").removeprefix("sqlite://"))


def container_port(mapping: str | int | dict[str, Any]) -> int:
    """Container side of a compose port: "8080:8080", "127.0.0.1:80:8080/tcp" or long form."""
    if isinstance(mapping, dict):
        return int(mapping["target"])
    return int(str(mapping).split(":")[-1].split("/")[0])


def volume_mount(entry: str | dict[str, Any]) -> tuple[str, str]:
    """(source, target) of a compose volume entry: "name:/path[:ro]" or long form."""
    if isinstance(entry, dict):
        return str(entry.get("source", "")), str(entry["target"])
    source, target, *_ = entry.split(":")
    return source, target


@pytest.fixture(scope="module")
def dockerfile() -> list[Instruction]:
    return parse_dockerfile((ROOT / "Dockerfile").read_text())


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def service(compose: dict[str, Any]) -> dict[str, Any]:
    services = compose.get("services", {})
    assert "twins" in services, f"no `twins` service among {list(services)}"
    return dict(services["twins"])


def args_of(instructions: list[Instruction], keyword: str) -> list[str]:
    return [args for kw, args in instructions if kw == keyword]


def last(instructions: list[Instruction], keyword: str) -> str:
    found = args_of(instructions, keyword)
    assert found, f"the Dockerfile has no {keyword}"
    return found[-1]


def copy_sources(instructions: list[Instruction]) -> list[str]:
    sources: list[str] = []
    for args in args_of(instructions, "COPY"):
        words = exec_form(args) if args.startswith("[") else args.split()
        words = [w for w in words if not w.startswith("--")]  # --chown=..., --chmod=...
        sources += words[:-1]
    return sources


def test_parser_joins_continuation_lines_and_skips_comments() -> None:
    text = 'FROM base\n# a comment\nRUN a \\\n    # inside\n    && b\ncmd ["x"]\n'
    assert parse_dockerfile(text) == [("FROM", "base"), ("RUN", "a && b"), ("CMD", '["x"]')]


def test_image_starts_from_python_3_11_slim(dockerfile: list[Instruction]) -> None:
    assert dockerfile[0] == ("FROM", "python:3.11-slim")


def test_image_installs_the_package_with_the_postgres_extra(
    dockerfile: list[Instruction],
) -> None:
    assert any(
        "pip install" in args and "[postgres]" in args for args in args_of(dockerfile, "RUN")
    )


def test_image_runs_as_a_non_root_user(dockerfile: list[Instruction]) -> None:
    assert last(dockerfile, "USER") not in {"root", "0", "0:0"}


def test_cmd_serves_every_twin_on_all_interfaces_at_the_exposed_port(
    dockerfile: list[Instruction],
) -> None:
    cmd = exec_form(last(dockerfile, "CMD"))
    assert cmd[:2] == ["dtu", "serve"]
    assert option_value(cmd, "--host") == "0.0.0.0"
    assert option_value(cmd, "--port") == last(dockerfile, "EXPOSE").split("/")[0]


def test_cmd_keeps_its_database_inside_the_volume(dockerfile: list[Instruction]) -> None:
    volume = PurePosixPath(last(dockerfile, "VOLUME").strip('[]" '))
    db = db_path(option_value(exec_form(last(dockerfile, "CMD")), "--db"))
    assert db.is_relative_to(volume) and db != volume


def test_image_healthcheck_asks_the_control_plane_at_the_exposed_port(
    dockerfile: list[Instruction],
) -> None:
    match = HEALTH_URL.search(last(dockerfile, "HEALTHCHECK"))
    assert match, "HEALTHCHECK does not request /_twin/health"
    assert match.group(1) == last(dockerfile, "EXPOSE").split("/")[0]


def test_every_copied_path_exists_in_the_repo(dockerfile: list[Instruction]) -> None:
    sources = copy_sources(dockerfile)
    assert sources
    missing = [s for s in sources if not (ROOT / s).exists()]
    assert not missing, f"COPY'd but absent from the repo: {missing}"


def test_no_copied_path_is_excluded_by_dockerignore(dockerfile: list[Instruction]) -> None:
    ignore = ROOT / ".dockerignore"
    lines = ignore.read_text().splitlines() if ignore.exists() else []
    patterns = [p.strip().strip("/") for p in lines if p.strip() and p[0] not in "#!"]
    excluded = [
        source
        for source in copy_sources(dockerfile)
        for pattern in patterns
        if fnmatch.fnmatch(source.strip("/"), pattern)
    ]
    assert not excluded, f"COPY'd but excluded by .dockerignore: {excluded}"


def test_image_gets_every_file_the_package_build_reads(dockerfile: list[Instruction]) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = project["tool"]["setuptools"]["packages"]["find"]["include"]
    needed = {"pyproject.toml", project["project"]["readme"]}
    needed |= {pattern.rstrip("*") for pattern in packages}
    copied = {s.strip("/").removeprefix("./") for s in copy_sources(dockerfile)}
    assert "." in copied or needed <= copied, f"not copied: {sorted(needed - copied)}"


def test_compose_builds_the_twins_service_from_this_repo(service: dict[str, Any]) -> None:
    build = service["build"]
    context = build if isinstance(build, str) else build.get("context", ".")
    assert (ROOT / context).resolve() == ROOT
    dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
    assert (ROOT / context / dockerfile).is_file()


def test_compose_publishes_the_port_the_image_exposes(
    service: dict[str, Any], dockerfile: list[Instruction]
) -> None:
    exposed = int(last(dockerfile, "EXPOSE").split("/")[0])
    assert [str(p) for p in service["ports"]] == [f"8080:{exposed}"]


def test_state_volume_is_declared_and_mounted_where_the_cmd_keeps_its_database(
    compose: dict[str, Any], service: dict[str, Any], dockerfile: list[Instruction]
) -> None:
    assert "dtu-state" in compose.get("volumes", {})
    mounts = dict(volume_mount(v) for v in service["volumes"])
    assert "dtu-state" in mounts, f"dtu-state is not mounted: {service['volumes']}"
    target = PurePosixPath(mounts["dtu-state"])
    assert target == PurePosixPath(last(dockerfile, "VOLUME").strip('[]" '))
    assert db_path(option_value(exec_form(last(dockerfile, "CMD")), "--db")).is_relative_to(target)


def test_compose_healthcheck_asks_the_control_plane_at_the_container_port(
    service: dict[str, Any],
) -> None:
    test = service["healthcheck"]["test"]
    match = HEALTH_URL.search(" ".join(test) if isinstance(test, list) else test)
    assert match, f"healthcheck does not request /_twin/health: {test}"
    assert int(match.group(1)) in {container_port(p) for p in service["ports"]}


def test_compose_restarts_the_service_unless_stopped(service: dict[str, Any]) -> None:
    assert service["restart"] == "unless-stopped"


def test_compose_passes_the_seed_through_the_environment(service: dict[str, Any]) -> None:
    env = service["environment"]
    names = set(env) if isinstance(env, dict) else {e.split("=")[0] for e in env}
    assert "DTU_SEED" in names
