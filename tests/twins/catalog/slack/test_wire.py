"""Slack takes any verb and any argument encoding; the pack hands the spec what it expects."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.twins.catalog.slack.inprocess import API, AUTH, slack_client, slack_server


@pytest.fixture
def client() -> Iterator[TestClient]:
    with slack_client(slack_server()) as test_client:
        yield test_client


def test_a_write_method_works_as_a_get_with_query_arguments(client: TestClient) -> None:
    created = client.get(f"{API}/conversations.create", headers=AUTH, params={"name": "via-get"})
    assert created.json()["channel"]["name"] == "via-get"


def test_a_read_method_works_as_a_post_with_a_json_body(client: TestClient) -> None:
    listed = client.post(f"{API}/conversations.list", headers=AUTH, json={"limit": 1})
    assert len(listed.json()["channels"]) == 1


def test_arguments_may_be_split_between_query_and_form(client: TestClient) -> None:
    created = client.post(
        f"{API}/conversations.create?name=split", headers=AUTH, data={"is_private": "1"}
    )
    assert created.json()["channel"]["name"] == "split"
    assert created.json()["channel"]["is_private"] is True


def test_arguments_may_come_as_multipart_form_data(client: TestClient) -> None:
    files = {"attachment": ("notes.txt", b"ignored", "text/plain")}
    created = client.post(
        f"{API}/conversations.create", headers=AUTH, data={"name": "multi"}, files=files
    )
    assert created.json()["channel"]["name"] == "multi"


@pytest.mark.parametrize(("sent", "private"), [("1", True), ("0", False), ("true", True)])
def test_booleans_may_be_sent_as_1_or_0(client: TestClient, sent: str, private: bool) -> None:
    created = client.post(
        f"{API}/conversations.create", headers=AUTH, data={"name": f"b{sent}", "is_private": sent}
    )
    assert created.json()["channel"]["is_private"] is private


def test_a_boolean_that_is_none_is_invalid_arguments(client: TestClient) -> None:
    answer = client.post(
        f"{API}/conversations.create", headers=AUTH, data={"name": "b", "is_private": "maybe"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["error"] == "invalid_arguments"
    assert "is_private" in body["response_metadata"]["messages"][0]


@pytest.mark.parametrize(
    ("content", "content_type", "error"),
    [
        (b"users[]=U1", "application/x-www-form-urlencoded", "invalid_array_arg"),
        (b"{not json", "application/json", "invalid_json"),
        (b"[1, 2]", "application/json", "json_not_object"),
        (b"<xml/>", "application/xml", "invalid_post_type"),
        (b"--x\r\nbroken", "multipart/form-data; boundary=x", "invalid_form_data"),
    ],
)
def test_a_body_slack_cannot_read_is_answered_in_its_words(
    client: TestClient, content: bytes, content_type: str, error: str
) -> None:
    headers = {**AUTH, "Content-Type": content_type}
    answer = client.post(f"{API}/conversations.create", headers=headers, content=content)
    assert (answer.status_code, answer.json()) == (200, {"ok": False, "error": error})


def test_a_verb_slack_does_not_take_is_405_naming_the_ones_it_does(client: TestClient) -> None:
    answer = client.put(f"{API}/chat.postMessage", headers=AUTH)
    assert answer.status_code == 405
    assert set(answer.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert answer.json() == {"ok": False, "error": "method_not_allowed"}


def test_an_unknown_method_is_unknown_method(client: TestClient) -> None:
    answer = client.post(f"{API}/chat.scheduleTelepathy", headers=AUTH)
    assert (answer.status_code, answer.json()["error"]) == (404, "unknown_method")


def test_a_cursor_that_is_not_ours_is_invalid_cursor(client: TestClient) -> None:
    answer = client.get(f"{API}/users.list", headers=AUTH, params={"cursor": "not-a-cursor"})
    assert answer.json() == {"ok": False, "error": "invalid_cursor"}
