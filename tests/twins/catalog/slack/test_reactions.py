"""reactions.add/get/remove through slack_sdk."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError


def _message(slack: WebClient) -> tuple[str, str]:
    channel = slack.conversations_create(name="reacts")["channel"]["id"]
    return channel, slack.chat_postMessage(channel=channel, text="ship it")["ts"]


def _error(raised: pytest.ExceptionInfo[SlackApiError]) -> Any:
    return raised.value.response["error"]


def test_an_added_reaction_is_listed_with_who_reacted(slack: WebClient) -> None:
    channel, ts = _message(slack)
    slack.reactions_add(channel=channel, timestamp=ts, name="thumbsup")
    slack.reactions_add(channel=channel, timestamp=ts, name=":tada:")
    got = slack.reactions_get(channel=channel, timestamp=ts)
    assert got["type"] == "message" and got["channel"] == channel
    me = slack.auth_test()["user_id"]
    assert got["message"]["reactions"] == [
        {"name": "thumbsup", "users": [me], "count": 1},
        {"name": "tada", "users": [me], "count": 1},
    ]


def test_reactions_show_in_history(slack: WebClient) -> None:
    channel, ts = _message(slack)
    slack.reactions_add(channel=channel, timestamp=ts, name="eyes")
    shown = slack.conversations_history(channel=channel)["messages"][0]
    assert [r["name"] for r in shown["reactions"]] == ["eyes"]


def test_reacting_twice_with_the_same_emoji_is_already_reacted(slack: WebClient) -> None:
    channel, ts = _message(slack)
    slack.reactions_add(channel=channel, timestamp=ts, name="eyes")
    with pytest.raises(SlackApiError) as raised:
        slack.reactions_add(channel=channel, timestamp=ts, name="eyes")
    assert _error(raised) == "already_reacted"


def test_two_people_share_one_reaction(slack: WebClient, person: WebClient) -> None:
    channel, ts = _message(slack)
    owner = person.auth_test()["user_id"]
    slack.conversations_invite(channel=channel, users=owner)
    slack.reactions_add(channel=channel, timestamp=ts, name="fire")
    person.reactions_add(channel=channel, timestamp=ts, name="fire")
    reaction = slack.reactions_get(channel=channel, timestamp=ts)["message"]["reactions"][0]
    assert reaction["count"] == 2 and reaction["users"][1] == owner


def test_a_removed_reaction_is_gone(slack: WebClient) -> None:
    channel, ts = _message(slack)
    slack.reactions_add(channel=channel, timestamp=ts, name="eyes")
    slack.reactions_remove(channel=channel, timestamp=ts, name="eyes")
    message = slack.reactions_get(channel=channel, timestamp=ts)["message"]
    assert "reactions" not in message
    with pytest.raises(SlackApiError) as raised:
        slack.reactions_remove(channel=channel, timestamp=ts, name="eyes")
    assert _error(raised) == "no_reaction"


def test_reacting_to_a_missing_message_is_message_not_found(slack: WebClient) -> None:
    channel, _ = _message(slack)
    with pytest.raises(SlackApiError) as raised:
        slack.reactions_add(channel=channel, timestamp="1500000000.000001", name="eyes")
    assert _error(raised) == "message_not_found"


def test_a_reaction_name_with_spaces_is_invalid_name(slack: WebClient) -> None:
    channel, ts = _message(slack)
    with pytest.raises(SlackApiError) as raised:
        slack.reactions_add(channel=channel, timestamp=ts, name="thumbs up")
    assert _error(raised) == "invalid_name"
