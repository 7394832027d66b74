"""`dtu serve` for real: uvicorn, a SQLite file, and a process that can die at any moment."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx

from tests.conftest import OWN_SPECS
from tests.serving import serve

AUTH = {"Authorization": "Bearer t"}


def test_nothing_acknowledged_is_lost_when_the_server_is_killed(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite"
    args = [f"bookshop={OWN_SPECS / 'bookshop.yaml'}", "--db", str(db)]
    acknowledged: list[str] = []
    with serve(args, tmp_path / "first.log") as served:
        with httpx.Client(base_url=served.url, headers=AUTH) as client:
            for n in range(40):
                response = client.post("/bookshop/v1/authors", json={"name": f"A{n}"})
                assert response.status_code == 201
                acknowledged.append(response.json()["id"])
        served.kill(signal.SIGKILL)
    with (
        serve(args, tmp_path / "second.log") as served,
        httpx.Client(base_url=served.url, headers=AUTH) as client,
    ):
        listing = client.get("/bookshop/v1/authors", params={"limit": 100}).json()
        assert [a["id"] for a in listing["items"]] == acknowledged
        again = client.post("/bookshop/v1/authors", json={"name": "after restart"})
        assert again.json()["id"] not in acknowledged, "ids continue, never reused"


def test_a_twin_keeps_the_vendor_path_under_its_name(tmp_path: Path) -> None:
    with serve([str(OWN_SPECS / "bookshop.yaml"), "--db", "memory"], tmp_path / "s.log") as served:
        twins = httpx.get(f"{served.url}/_twin/twins").json()
        assert twins[0]["base_url"] == f"{served.url}/bookshop/v1"
        response = httpx.get(f"{served.url}/bookshop/v1/orders", headers=AUTH)
        assert response.status_code == 200


def test_serve_refuses_a_missing_spec_with_a_clear_message(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "twins.cli", "serve", str(tmp_path / "nope.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "no such spec file" in result.stderr
