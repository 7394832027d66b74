"""The pack on a twin built from Slack's own published spec (slack_web_openapi_v2.json), found
by its host (slack.com): its `token` header and number-typed timestamps are taken in stride."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.conftest import shared_spec
from tests.serving import Served, serve
from tests.twins.catalog.slack.conftest import session_for

PUBLISHED = "slack/slack_web_openapi_v2.json"


@pytest.fixture(scope="module")
def published_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    spec = shared_spec(PUBLISHED)
    log = tmp_path_factory.mktemp("slack-published") / "serve.log"
    # Named apart from "slack", so the pack is found by the spec's host, not the name.
    with serve([f"workspace={spec}", "--db", "memory"], log, timeout=120) as served:
        yield served


@pytest.fixture
def slack(published_server: Served, request: pytest.FixtureRequest) -> WebClient:
    url = f"{published_server.url}/_s/{session_for(request)}/workspace/api/"
    return WebClient(token="xoxb-test", base_url=url)


def test_the_twin_of_the_published_spec_uses_the_slack_pack(published_server: Served) -> None:
    import httpx

    twins = httpx.get(f"{published_server.url}/_twin/twins").json()
    assert [twin["pack"] for twin in twins] == ["slack"]


def test_a_posted_message_shows_in_history(slack: WebClient) -> None:
    channel = slack.conversations_create(name="published")["channel"]["id"]
    posted = slack.chat_postMessage(channel=channel, text="hello from the published spec")
    history = slack.conversations_history(channel=channel)["messages"]
    assert history == [posted["message"]]


def test_threads_updates_and_deletes_work(slack: WebClient) -> None:
    channel = slack.conversations_create(name="threads")["channel"]["id"]
    parent = slack.chat_postMessage(channel=channel, text="q")["ts"]
    reply = slack.chat_postMessage(channel=channel, text="a", thread_ts=parent)["ts"]
    replies = slack.conversations_replies(channel=channel, ts=parent)["messages"]
    assert [m["text"] for m in replies] == ["q", "a"]
    slack.chat_update(channel=channel, ts=parent, text="q!")
    slack.chat_delete(channel=channel, ts=reply)  # its spec types `ts` as a number
    assert [m["text"] for m in slack.conversations_history(channel=channel)["messages"]] == ["q!"]


def test_users_info_works_though_the_spec_wants_a_token_argument(slack: WebClient) -> None:
    someone = slack.users_list()["members"][0]
    assert slack.users_info(user=someone["id"])["user"]["id"] == someone["id"]


def test_an_unknown_channel_is_channel_not_found_with_http_200(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        slack.chat_postMessage(channel="C0NOSUCHONE", text="hello?")
    assert raised.value.response.status_code == 200
    assert raised.value.response["error"] == "channel_not_found"
