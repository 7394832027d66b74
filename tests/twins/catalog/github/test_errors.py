"""GitHub's errors: its status codes and its `{"message", "documentation_url", "errors"}`."""

from __future__ import annotations

import base64

from starlette.testclient import TestClient

from tests.twins.catalog.github.conftest import open_pull

BASE = "/_s/s/github"


def _repo(api: TestClient) -> str:
    return str(api.post(f"{BASE}/user/repos", json={"name": "errs"}).json()["full_name"])


def test_a_request_without_a_token_requires_authentication(api: TestClient) -> None:
    answer = api.get(f"{BASE}/user", headers={"Authorization": ""})
    assert answer.status_code == 401
    assert answer.json() == {
        "message": "Requires authentication",
        "documentation_url": "https://docs.github.com/rest/users/users#get-the-authenticated-user",
        "status": "401",
    }


def test_an_unknown_repository_is_not_found(api: TestClient) -> None:
    answer = api.get(f"{BASE}/repos/nobody/nothing/issues")
    assert answer.status_code == 404
    assert answer.json()["message"] == "Not Found"


def test_a_path_that_is_no_route_is_not_found(api: TestClient) -> None:
    answer = api.get(f"{BASE}/repos/nobody/nothing/issues/not-a-number")
    assert (answer.status_code, answer.json()["message"]) == (404, "Not Found")


def test_a_missing_required_field_is_named_as_github_names_it(api: TestClient) -> None:
    answer = api.post(f"{BASE}/repos/{_repo(api)}/issues", json={"body": "no title"})
    assert answer.status_code == 422
    assert answer.json()["message"] == 'Invalid request.\n\n"title" wasn\'t supplied.'


def test_a_body_that_is_not_json_cannot_be_parsed(api: TestClient) -> None:
    answer = api.post(
        f"{BASE}/repos/{_repo(api)}/issues",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert (answer.status_code, answer.json()["message"]) == (400, "Problems parsing JSON")


def test_a_bad_filter_fails_validation_naming_the_field(api: TestClient) -> None:
    answer = api.get(f"{BASE}/repos/{_repo(api)}/issues", params={"state": "sideways"})
    assert answer.status_code == 422
    body = answer.json()
    assert body["message"] == "Validation Failed"
    assert [(e["resource"], e["field"], e["code"]) for e in body["errors"]] == [
        ("Issue", "state", "invalid")
    ]


def test_replacing_a_file_without_its_sha_is_refused(api: TestClient) -> None:
    path = f"{BASE}/repos/{_repo(api)}/contents/a.txt"
    content = base64.b64encode(b"a\n").decode()
    assert api.put(path, json={"message": "one", "content": content}).status_code == 201
    answer = api.put(path, json={"message": "two", "content": content})
    assert answer.status_code == 422
    assert answer.json()["message"] == 'Invalid request.\n\n"sha" wasn\'t supplied.'


def test_every_reply_carries_a_request_id(api: TestClient) -> None:
    found = api.get(f"{BASE}/user")
    missing = api.get(f"{BASE}/repos/nobody/nothing")
    ids = [found.headers["X-GitHub-Request-Id"], missing.headers["X-GitHub-Request-Id"]]
    assert all(len(i.split(":")) == 5 for i in ids)
    assert ids[0] != ids[1]


def test_merging_a_closed_pull_request_is_not_allowed(api: TestClient) -> None:
    repo = f"{BASE}/repos/{_repo(api)}"
    number = open_pull(api, repo, "wip")
    api.patch(f"{repo}/pulls/{number}", json={"state": "closed"})
    answer = api.put(f"{repo}/pulls/{number}/merge", json={})
    assert (answer.status_code, answer.json()["message"]) == (405, "Pull Request is not mergeable")
    assert api.get(f"{repo}/pulls/{number}/merge").status_code == 404


def test_a_token_the_session_does_not_know_is_bad_credentials(api: TestClient) -> None:
    credential = {"secret": "ghp_known", "twin": "github"}
    registered = api.post("/_twin/sessions/s/credentials", json=credential)
    assert registered.status_code in (200, 201), registered.text
    known = api.get(f"{BASE}/user", headers={"Authorization": "token ghp_known"})
    assert known.status_code == 200
    unknown = api.get(f"{BASE}/user", headers={"Authorization": "Bearer ghp_stranger"})
    assert unknown.status_code == 401
    assert unknown.json()["message"] == "Bad credentials"
