"""chat.postMessage/update/delete, conversations.history and .replies through slack_sdk."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Deploy* finished"}}]


def _channel(slack: WebClient, name: str = "room") -> str:
    return str(slack.conversations_create(name=name)["channel"]["id"])


def _texts(messages: list[dict[str, Any]]) -> list[str]:
    return [message["text"] for message in messages]


def _error(raised: pytest.ExceptionInfo[SlackApiError]) -> Any:
    return raised.value.response["error"]


def test_a_posted_message_shows_in_history(slack: WebClient) -> None:
    channel = _channel(slack)
    posted = slack.chat_postMessage(channel=channel, text="hello, world")
    assert posted["channel"] == channel
    assert posted["message"]["text"] == "hello, world"
    assert posted["message"]["user"] == slack.auth_test()["user_id"]
    history = slack.conversations_history(channel=channel)
    assert history["messages"] == [posted["message"]]
    assert history["has_more"] is False


def test_blocks_sent_as_json_are_kept(slack: WebClient) -> None:
    channel = _channel(slack)
    posted = slack.chat_postMessage(channel=channel, text="Deploy finished", blocks=BLOCKS)
    assert posted["message"]["blocks"] == BLOCKS
    assert slack.conversations_history(channel=channel)["messages"][0]["blocks"] == BLOCKS


def test_history_is_newest_first_with_timestamps_rising(slack: WebClient) -> None:
    channel = _channel(slack)
    stamps = [slack.chat_postMessage(channel=channel, text=f"m{n}")["ts"] for n in range(4)]
    assert stamps == sorted(stamps, key=float) and len(set(stamps)) == 4
    assert all(len(ts.split(".")[1]) == 6 for ts in stamps)
    messages = slack.conversations_history(channel=channel)["messages"]
    assert _texts(messages) == ["m3", "m2", "m1", "m0"]


def test_history_pages_with_the_sdk_cursor_iteration(slack: WebClient) -> None:
    channel = _channel(slack)
    for n in range(5):
        slack.chat_postMessage(channel=channel, text=f"m{n}")
    paged = slack.conversations_history(channel=channel, limit=2)
    pages = [_texts(page["messages"]) for page in paged]
    assert pages == [["m4", "m3"], ["m2", "m1"], ["m0"]]


def test_history_between_oldest_and_latest(slack: WebClient) -> None:
    channel = _channel(slack)
    stamps = [slack.chat_postMessage(channel=channel, text=f"m{n}")["ts"] for n in range(4)]
    between = slack.conversations_history(channel=channel, oldest=stamps[0], latest=stamps[3])
    assert _texts(between["messages"]) == ["m2", "m1"]
    inclusive = slack.conversations_history(
        channel=channel, oldest=stamps[0], latest=stamps[3], inclusive=True
    )
    assert _texts(inclusive["messages"]) == ["m3", "m2", "m1", "m0"]


def test_a_thread_reply_shows_in_replies_not_in_history(slack: WebClient) -> None:
    channel = _channel(slack)
    parent = slack.chat_postMessage(channel=channel, text="question?")["ts"]
    slack.chat_postMessage(channel=channel, text="answer one", thread_ts=parent)
    slack.chat_postMessage(channel=channel, text="answer two", thread_ts=parent)
    thread = slack.conversations_replies(channel=channel, ts=parent)["messages"]
    assert _texts(thread) == ["question?", "answer one", "answer two"]
    assert all(message["thread_ts"] == parent for message in thread)
    history = slack.conversations_history(channel=channel)["messages"]
    assert _texts(history) == ["question?"]
    assert history[0]["reply_count"] == 2
    assert history[0]["latest_reply"] == thread[-1]["ts"]


def test_a_broadcast_reply_shows_in_history_too(slack: WebClient) -> None:
    channel = _channel(slack)
    parent = slack.chat_postMessage(channel=channel, text="question?")["ts"]
    slack.chat_postMessage(channel=channel, text="loud", thread_ts=parent, reply_broadcast=True)
    history = slack.conversations_history(channel=channel)["messages"]
    assert _texts(history) == ["loud", "question?"]
    assert history[0]["subtype"] == "thread_broadcast"


def test_a_reply_to_an_unknown_thread_is_thread_not_found(slack: WebClient) -> None:
    channel = _channel(slack)
    with pytest.raises(SlackApiError) as raised:
        slack.chat_postMessage(channel=channel, text="hm", thread_ts="1500000000.000001")
    assert _error(raised) == "thread_not_found"


def test_an_update_changes_the_text_and_marks_it_edited(slack: WebClient) -> None:
    channel = _channel(slack)
    ts = slack.chat_postMessage(channel=channel, text="teh typo")["ts"]
    updated = slack.chat_update(channel=channel, ts=ts, text="the typo")
    assert updated["ts"] == ts and updated["text"] == "the typo"
    shown = slack.conversations_history(channel=channel)["messages"][0]
    assert shown["text"] == "the typo"
    assert shown["edited"]["user"] == slack.auth_test()["user_id"]


def test_updating_a_missing_message_is_message_not_found(slack: WebClient) -> None:
    channel = _channel(slack)
    with pytest.raises(SlackApiError) as raised:
        slack.chat_update(channel=channel, ts="1500000000.000001", text="x")
    assert _error(raised) == "message_not_found"


def test_a_bot_cannot_update_someone_elses_message(slack: WebClient, person: WebClient) -> None:
    general = person.conversations_list()["channels"][0]["id"]
    ts = person.chat_postMessage(channel=general, text="mine")["ts"]
    slack.conversations_join(channel=general)
    with pytest.raises(SlackApiError) as raised:
        slack.chat_update(channel=general, ts=ts, text="not yours")
    assert _error(raised) == "cant_update_message"


def test_a_deleted_message_is_gone_from_history(slack: WebClient) -> None:
    channel = _channel(slack)
    keep = slack.chat_postMessage(channel=channel, text="keep")["ts"]
    drop = slack.chat_postMessage(channel=channel, text="drop")["ts"]
    assert slack.chat_delete(channel=channel, ts=drop)["ts"] == drop
    assert [m["ts"] for m in slack.conversations_history(channel=channel)["messages"]] == [keep]
    with pytest.raises(SlackApiError) as raised:
        slack.chat_delete(channel=channel, ts=drop)
    assert _error(raised) == "message_not_found"


def test_deleting_a_reply_updates_its_thread(slack: WebClient) -> None:
    channel = _channel(slack)
    parent = slack.chat_postMessage(channel=channel, text="q")["ts"]
    first = slack.chat_postMessage(channel=channel, text="a1", thread_ts=parent)["ts"]
    slack.chat_postMessage(channel=channel, text="a2", thread_ts=parent)
    slack.chat_delete(channel=channel, ts=first)
    thread = slack.conversations_replies(channel=channel, ts=parent)["messages"]
    assert _texts(thread) == ["q", "a2"]
    assert thread[0]["reply_count"] == 1


def test_a_deleted_parent_stays_as_a_tombstone_while_its_thread_lives(slack: WebClient) -> None:
    channel = _channel(slack)
    parent = slack.chat_postMessage(channel=channel, text="q")["ts"]
    slack.chat_postMessage(channel=channel, text="a", thread_ts=parent)
    slack.chat_delete(channel=channel, ts=parent)
    thread = slack.conversations_replies(channel=channel, ts=parent)["messages"]
    assert [m.get("subtype") for m in thread] == ["tombstone", None]


def test_posting_where_the_bot_is_not_a_member_is_not_in_channel(slack: WebClient) -> None:
    general = slack.conversations_list()["channels"][0]["id"]
    with pytest.raises(SlackApiError) as raised:
        slack.chat_postMessage(channel=general, text="hi all")
    assert _error(raised) == "not_in_channel"
    slack.conversations_join(channel=general)
    assert slack.chat_postMessage(channel=general, text="hi all")["ok"] is True


def test_a_channel_may_be_named_instead_of_identified(person: WebClient) -> None:
    posted = person.chat_postMessage(channel="#general", text="by name")
    general = person.conversations_list()["channels"][0]["id"]
    assert posted["channel"] == general


def test_posting_to_an_unknown_channel_is_a_slack_api_error_with_http_200(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        slack.chat_postMessage(channel="C0NOSUCHONE", text="hello?")
    assert raised.value.response.status_code == 200
    assert raised.value.response.data == {"ok": False, "error": "channel_not_found"}


def test_a_message_without_text_or_blocks_is_no_text(slack: WebClient) -> None:
    channel = _channel(slack)
    with pytest.raises(SlackApiError) as raised:
        slack.api_call("chat.postMessage", json={"channel": channel})
    assert _error(raised) == "no_text"


def test_a_missing_argument_is_invalid_arguments_with_messages(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        slack.api_call("chat.postMessage", json={"text": "where to?"})
    response = raised.value.response
    assert response["error"] == "invalid_arguments"
    assert response["response_metadata"]["messages"] == ["[ERROR] missing required field: channel"]


def test_a_person_reads_a_public_channel_they_are_not_in_a_bot_does_not(
    slack: WebClient, person: WebClient
) -> None:
    channel = _channel(slack, "bot-room")
    slack.chat_postMessage(channel=channel, text="from the bot")
    assert _texts(person.conversations_history(channel=channel)["messages"]) == ["from the bot"]
    random = slack.conversations_list()["channels"][1]["id"]
    with pytest.raises(SlackApiError) as raised:
        slack.conversations_history(channel=random)
    assert _error(raised) == "not_in_channel"
