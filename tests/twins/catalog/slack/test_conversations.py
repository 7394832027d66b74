"""conversations.create/list/info/join/invite/members/archive through slack_sdk."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError


def _error(raised: pytest.ExceptionInfo[SlackApiError]) -> Any:
    return raised.value.response["error"]


def _people(slack: WebClient) -> list[str]:
    return [u["id"] for u in slack.users_list()["members"] if not u["is_bot"]][:4]


def test_a_created_channel_has_its_creator_as_only_member(slack: WebClient) -> None:
    channel = slack.conversations_create(name="launch-plans")["channel"]
    assert channel["id"].startswith("C") and channel["name"] == "launch-plans"
    assert channel["is_member"] is True and channel["is_private"] is False
    me = slack.auth_test()["user_id"]
    assert slack.conversations_members(channel=channel["id"])["members"] == [me]


def test_a_private_channel_is_private(slack: WebClient) -> None:
    channel = slack.conversations_create(name="secret", is_private=True)["channel"]
    assert channel["is_private"] is True


def test_a_name_in_use_is_name_taken(slack: WebClient) -> None:
    slack.conversations_create(name="dupe")
    with pytest.raises(SlackApiError) as raised:
        slack.conversations_create(name="dupe")
    assert _error(raised) == "name_taken"


@pytest.mark.parametrize(
    ("name", "error"),
    [("Has Caps", "invalid_name_specials"), ("x" * 81, "invalid_name_maxlength")],
)
def test_a_bad_channel_name_is_refused(slack: WebClient, name: str, error: str) -> None:
    with pytest.raises(SlackApiError) as raised:
        slack.conversations_create(name=name)
    assert _error(raised) == error


def test_conversations_list_pages_with_the_sdk_cursor_iteration(slack: WebClient) -> None:
    created = [slack.conversations_create(name=f"room-{n}")["channel"]["id"] for n in range(5)]
    pages = [page["channels"] for page in slack.conversations_list(limit=3)]
    assert [len(page) for page in pages] == [3, 3, 1]  # #general, #random and the five
    listed = [c["id"] for page in pages for c in page]
    assert listed[2:] == created
    assert [c["name"] for c in pages[0][:2]] == ["general", "random"]


def test_the_last_page_has_an_empty_next_cursor(slack: WebClient) -> None:
    page = slack.conversations_list(limit=100)
    assert page["response_metadata"]["next_cursor"] == ""


def test_a_private_channel_is_listed_only_for_its_members(
    slack: WebClient, person: WebClient
) -> None:
    slack.conversations_create(name="bots-only", is_private=True)
    for_bot = slack.conversations_list(types="public_channel,private_channel")["channels"]
    for_person = person.conversations_list(types="public_channel,private_channel")["channels"]
    assert "bots-only" in [c["name"] for c in for_bot]
    assert "bots-only" not in [c["name"] for c in for_person]


def test_info_describes_the_channel_and_counts_members_when_asked(slack: WebClient) -> None:
    general = slack.conversations_list()["channels"][0]
    info = slack.conversations_info(channel=general["id"], include_num_members=True)["channel"]
    assert info["is_general"] is True and info["num_members"] == 4
    assert info["is_member"] is False, "a newly installed bot is in no channel"


def test_info_of_an_unknown_channel_is_channel_not_found_with_http_200(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        slack.conversations_info(channel="C0NOSUCHONE")
    assert raised.value.response.status_code == 200
    assert raised.value.response["ok"] is False
    assert _error(raised) == "channel_not_found"


def test_joining_a_channel_makes_the_bot_a_member(slack: WebClient) -> None:
    general = slack.conversations_list()["channels"][0]
    joined = slack.conversations_join(channel=general["id"])["channel"]
    assert joined["is_member"] is True
    me = slack.auth_test()["user_id"]
    assert me in slack.conversations_members(channel=general["id"])["members"]


def test_joining_twice_warns_already_in_channel(slack: WebClient) -> None:
    channel = slack.conversations_create(name="again")["channel"]
    again = slack.conversations_join(channel=channel["id"])
    assert again["warning"] == "already_in_channel"


def test_invited_users_become_members_in_order(slack: WebClient) -> None:
    channel = slack.conversations_create(name="invites")["channel"]
    people = _people(slack)[:2]
    slack.conversations_invite(channel=channel["id"], users=people)
    members = slack.conversations_members(channel=channel["id"])["members"]
    assert members[1:] == people


def test_inviting_a_member_again_is_already_in_channel(slack: WebClient) -> None:
    channel = slack.conversations_create(name="twice")["channel"]
    someone = _people(slack)[0]
    slack.conversations_invite(channel=channel["id"], users=[someone])
    with pytest.raises(SlackApiError) as raised:
        slack.conversations_invite(channel=channel["id"], users=[someone])
    assert _error(raised) == "already_in_channel"


def test_inviting_a_stranger_is_user_not_found(slack: WebClient) -> None:
    channel = slack.conversations_create(name="strangers")["channel"]
    with pytest.raises(SlackApiError) as raised:
        slack.conversations_invite(channel=channel["id"], users="U0STRANGER0")
    assert _error(raised) == "user_not_found"


def test_members_page_with_the_sdk_cursor_iteration(slack: WebClient) -> None:
    general = slack.conversations_list()["channels"][0]
    paged = slack.conversations_members(channel=general["id"], limit=3)
    pages = [page["members"] for page in paged]
    assert [len(page) for page in pages] == [3, 1]
    assert [m for page in pages for m in page] == _people(slack)


def test_an_archived_channel_says_so_and_refuses_posts(slack: WebClient) -> None:
    channel = slack.conversations_create(name="old-news")["channel"]
    assert slack.conversations_archive(channel=channel["id"])["ok"] is True
    assert slack.conversations_info(channel=channel["id"])["channel"]["is_archived"] is True
    with pytest.raises(SlackApiError) as raised:
        slack.chat_postMessage(channel=channel["id"], text="anyone?")
    assert _error(raised) == "is_archived"
    with pytest.raises(SlackApiError) as again:
        slack.conversations_archive(channel=channel["id"])
    assert _error(again) == "already_archived"


def test_archived_channels_can_be_left_out_of_the_list(slack: WebClient) -> None:
    channel = slack.conversations_create(name="gone")["channel"]
    slack.conversations_archive(channel=channel["id"])
    names = [c["name"] for c in slack.conversations_list(exclude_archived=True)["channels"]]
    assert "gone" not in names
    assert "gone" in [c["name"] for c in slack.conversations_list()["channels"]]


def test_general_cannot_be_archived(person: WebClient) -> None:
    general = person.conversations_list()["channels"][0]
    with pytest.raises(SlackApiError) as raised:
        person.conversations_archive(channel=general["id"])
    assert _error(raised) == "cant_archive_general"
