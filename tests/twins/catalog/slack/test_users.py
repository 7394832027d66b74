"""auth.test and users.*, through the official slack_sdk against a served twin."""

from __future__ import annotations

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.twins.catalog.slack.conftest import BOT_TOKEN


def test_auth_test_names_the_bot_its_team_and_its_bot_id(slack: WebClient) -> None:
    identity = slack.auth_test()
    assert identity["ok"] is True
    assert identity["user"] == "dtu-bot"
    assert identity["user_id"].startswith("U")
    assert identity["team_id"].startswith("T")
    assert identity["bot_id"].startswith("B")
    assert identity["url"].startswith("https://") and identity["url"].endswith(".slack.com/")


def test_a_user_token_acts_as_the_workspace_owner(slack: WebClient, person: WebClient) -> None:
    identity = person.auth_test()
    assert "bot_id" not in identity.data
    owner = slack.users_info(user=identity["user_id"])["user"]
    assert owner["is_primary_owner"] is True and owner["is_bot"] is False


def test_the_workspace_has_people_slackbot_and_the_bot(slack: WebClient) -> None:
    members = slack.users_list()["members"]
    people = [u for u in members if not u["is_bot"] and u["id"] != "USLACKBOT"]
    assert len(people) == 4
    assert all(u["profile"]["email"].endswith("@example.com") for u in people)
    assert any(u["id"] == "USLACKBOT" and u["is_bot"] is False for u in members)
    assert [u["name"] for u in members if u["is_bot"]] == ["dtu-bot"]


def test_users_list_pages_with_the_sdk_cursor_iteration(slack: WebClient) -> None:
    everyone = [u["id"] for u in slack.users_list()["members"]]
    pages = [page["members"] for page in slack.users_list(limit=2)]
    assert [len(page) for page in pages] == [2, 2, 2]
    assert [u["id"] for page in pages for u in page] == everyone


def test_users_info_returns_the_user_asked_for(slack: WebClient) -> None:
    someone = slack.users_list()["members"][1]
    assert slack.users_info(user=someone["id"])["user"] == someone


def test_users_info_of_a_stranger_is_user_not_found(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        slack.users_info(user="U0000000000")
    assert raised.value.response["error"] == "user_not_found"


def test_lookup_by_email_finds_the_person_whatever_the_case(slack: WebClient) -> None:
    someone = slack.users_list()["members"][2]
    email = someone["profile"]["email"].upper()
    assert slack.users_lookupByEmail(email=email)["user"]["id"] == someone["id"]


def test_lookup_by_an_unknown_email_is_users_not_found(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        slack.users_lookupByEmail(email="nobody@example.com")
    assert raised.value.response.status_code == 200
    assert raised.value.response["error"] == "users_not_found"


def test_a_call_without_a_token_is_not_authed(slack: WebClient) -> None:
    anonymous = WebClient(base_url=slack.base_url)
    with pytest.raises(SlackApiError) as raised:
        anonymous.auth_test()
    assert raised.value.response["error"] == "not_authed"


def test_the_token_may_come_as_a_form_argument_instead_of_a_header(slack: WebClient) -> None:
    # slack_sdk always moves the token into the header; plain HTTP clients often do not.
    answer = httpx.post(f"{slack.base_url}auth.test", data={"token": "xoxp-as-argument"})
    assert answer.status_code == 200
    assert answer.json()["ok"] is True and "bot_id" not in answer.json()


def test_the_token_may_come_in_the_query_string(slack: WebClient) -> None:
    answer = httpx.get(f"{slack.base_url}auth.test", params={"token": BOT_TOKEN})
    assert answer.json()["user"] == "dtu-bot"
