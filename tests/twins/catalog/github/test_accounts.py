"""Accounts: the authenticated user comes from the session's seed; any well-formed login is a
user; an organisation is one that owns repositories."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from twins.server import build_server

AUTH = {"Authorization": "Bearer ghp_test"}


def _viewer(seed: int, session: str = "s") -> dict[str, object]:
    server = build_server({"github": OWN_SPECS / "github.yaml"}, db="memory", seed=seed)
    with TestClient(server, base_url="http://twin.test", headers=AUTH) as api:
        return dict(api.get(f"/_s/{session}/github/user").json())


def test_the_same_seed_gives_the_same_user() -> None:
    first, again = _viewer(5), _viewer(5, session="other")
    assert (first["login"], first["id"], first["created_at"]) == (
        again["login"],
        again["id"],
        again["created_at"],
    )


def test_another_seed_gives_another_user() -> None:
    assert _viewer(5)["login"] != _viewer(6)["login"]


def test_a_session_seed_set_on_the_control_plane_decides_the_user(api: TestClient) -> None:
    before = api.get("/_s/seeded/github/user").json()["login"]
    api.put("/_twin/sessions/seeded/seed", json={"seed": 424242})
    after = api.get("/_s/seeded/github/user").json()["login"]
    assert before != after


def test_any_well_formed_login_is_a_user_and_a_malformed_one_is_not(api: TestClient) -> None:
    octocat = api.get("/_s/s/github/users/octocat")
    assert (octocat.status_code, octocat.json()["type"]) == (200, "User")
    assert api.get("/_s/s/github/users/octocat").json() == octocat.json(), "the same every time"
    assert api.get("/_s/s/github/users/-bad-").status_code == 404


def test_an_organisation_owns_the_repositories_made_in_it(api: TestClient) -> None:
    created = api.post("/_s/s/github/orgs/acme/repos", json={"name": "tools"}).json()
    assert created["full_name"] == "acme/tools"
    assert (created["owner"]["type"], created["organization"]["login"]) == ("Organization", "acme")
    assert api.get("/_s/s/github/users/acme").json()["type"] == "Organization"
    listed = api.get("/_s/s/github/orgs/acme/repos").json()
    assert [r["full_name"] for r in listed] == ["acme/tools"]
