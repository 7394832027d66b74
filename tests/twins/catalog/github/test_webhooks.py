"""Repository webhooks: what the twin owes a receiver when issues, pull requests and branches
change (the server's dispatcher delivers it; here it is caught as it is handed over)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any
from urllib.parse import parse_qs

from starlette.testclient import TestClient

from tests.twins.catalog.github.conftest import open_pull
from twins.behaviour.call import Outbound

BASE = "/_s/s/github"
TWIN = f"http://twin.test{BASE}"
RECEIVER = "https://receiver.example/github"


def _repo(api: TestClient, **hook: Any) -> str:
    created = api.post(f"{BASE}/user/repos", json={"name": "hooked", "auto_init": True})
    full_name = str(created.json()["full_name"])
    config = {"url": RECEIVER, "content_type": "json", **hook.pop("config", {})}
    answer = api.post(f"{BASE}/repos/{full_name}/hooks", json={"config": config, **hook})
    assert answer.status_code == 201, answer.text
    return full_name


def _headers(outbound: Outbound) -> dict[str, str]:
    return dict(outbound.headers)


def _body(outbound: Outbound) -> dict[str, Any]:
    return dict(json.loads(outbound.body))


def test_a_new_hook_is_pinged_at_once(api: TestClient, sent: list[Outbound]) -> None:
    _repo(api, events=["issues"])
    assert [o.event for o in sent] == ["ping"]
    assert _body(sent[0])["hook"]["events"] == ["issues"]
    assert sent[0].url == RECEIVER


def test_an_opened_issue_is_announced_with_githubs_headers(
    api: TestClient, sent: list[Outbound]
) -> None:
    full_name = _repo(api, events=["issues"])
    api.post(f"{BASE}/repos/{full_name}/issues", json={"title": "Broken build"})
    delivery = sent[-1]
    headers = _headers(delivery)
    assert headers["X-GitHub-Event"] == "issues" == delivery.event
    assert len(headers["X-GitHub-Delivery"]) == 36
    assert headers["Content-Type"] == "application/json"
    body = _body(delivery)
    assert (body["action"], body["issue"]["number"], body["issue"]["title"]) == (
        "opened",
        1,
        "Broken build",
    )
    assert body["repository"]["full_name"] == full_name
    assert body["issue"]["url"] == f"{TWIN}/repos/{full_name}/issues/1", "links lead to the twin"


def test_every_delivery_has_its_own_id(api: TestClient, sent: list[Outbound]) -> None:
    full_name = _repo(api, events=["issues"])
    for title in ("one", "one"):
        api.post(f"{BASE}/repos/{full_name}/issues", json={"title": title})
    ids = [_headers(o)["X-GitHub-Delivery"] for o in sent]
    assert len(set(ids)) == len(ids) == 3


def test_a_delivery_is_signed_with_the_hooks_secret(api: TestClient, sent: list[Outbound]) -> None:
    full_name = _repo(api, events=["issues"], config={"secret": "s3cret"})
    api.post(f"{BASE}/repos/{full_name}/issues", json={"title": "Signed"})
    delivery = sent[-1]
    assert delivery.sign is not None
    signed = dict(delivery.sign(delivery.body, 0.0))
    expected = hmac.new(b"s3cret", delivery.body, hashlib.sha256).hexdigest()
    assert signed["X-Hub-Signature-256"] == f"sha256={expected}"


def test_a_hook_without_a_secret_is_not_signed(api: TestClient, sent: list[Outbound]) -> None:
    _repo(api, events=["issues"])
    assert sent[0].sign is None


def test_the_hooks_secret_is_never_shown(api: TestClient, sent: list[Outbound]) -> None:
    full_name = _repo(api, config={"secret": "s3cret"})
    hook = api.get(f"{BASE}/repos/{full_name}/hooks").json()[0]
    assert hook["config"]["secret"] == "********"
    assert b"s3cret" not in sent[0].body


def test_a_hook_hears_only_the_events_it_listens_for(api: TestClient, sent: list[Outbound]) -> None:
    full_name = _repo(api, events=["push"])
    api.post(f"{BASE}/repos/{full_name}/issues", json={"title": "Unheard"})
    assert [o.event for o in sent] == ["ping"]


def test_a_form_hook_gets_the_payload_field(api: TestClient, sent: list[Outbound]) -> None:
    full_name = _repo(api, events=["issues"], config={"content_type": "form"})
    api.post(f"{BASE}/repos/{full_name}/issues", json={"title": "As a form"})
    delivery = sent[-1]
    assert _headers(delivery)["Content-Type"] == "application/x-www-form-urlencoded"
    payload = json.loads(parse_qs(delivery.body.decode())["payload"][0])
    assert payload["issue"]["title"] == "As a form"


def test_a_written_file_is_announced_as_a_push(api: TestClient, sent: list[Outbound]) -> None:
    full_name = _repo(api, events=["push"])
    content = base64.b64encode(b"hello\n").decode()
    body = {"message": "Add hello", "content": content}
    api.put(f"{BASE}/repos/{full_name}/contents/docs/hello.md", json=body)
    push = _body(sent[-1])
    assert sent[-1].event == "push"
    assert push["ref"] == "refs/heads/main"
    commits = [(c["message"], c["added"]) for c in push["commits"]]
    assert commits == [("Add hello", ["docs/hello.md"])]
    assert push["after"] == push["head_commit"]["id"] != push["before"]


def test_a_merged_pull_request_is_announced_closed_and_merged(
    api: TestClient, sent: list[Outbound]
) -> None:
    full_name = _repo(api, events=["pull_request"])
    repo = f"{BASE}/repos/{full_name}"
    number = open_pull(api, repo, "fix")
    api.put(f"{repo}/pulls/{number}/merge", json={})
    actions = [(_body(o)["action"], _body(o)["pull_request"]["merged"]) for o in sent[1:]]
    assert actions == [("opened", False), ("closed", True)]
