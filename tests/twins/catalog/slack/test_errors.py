"""The engine's errors in Slack's words: HTTP 200 and `ok: false`, except a rate limit."""

from __future__ import annotations

import httpx
import pytest
from slack_sdk.errors import SlackApiError

from tests.conftest import OWN_SPECS
from tests.serving import Served
from tests.twins.catalog.slack.conftest import client_for, session_for
from tests.twins.catalog.slack.inprocess import API, AUTH, slack_client, slack_server
from twins.behaviour.call import Reply
from twins.catalog.slack.errors import slack_reply
from twins.errors import (
    Forbidden,
    RateLimited,
    RequestError,
    Unauthorized,
    ValidationFailed,
    Violation,
)
from twins.exchange import Exchange, Stage
from twins.spec import load_spec


class Throttled(Stage):
    """Every request over its quota, as a rate-limit stage would find it."""

    def before(self, exchange: Exchange) -> Reply | None:
        raise RateLimited("over the quota", retry_after=2.5)


def test_a_rate_limit_is_429_ratelimited_with_retry_after() -> None:
    server = slack_server()
    server.stages.append(Throttled())
    with slack_client(server) as client:
        answer = client.post(f"{API}/auth.test", headers=AUTH)
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "3"
    assert answer.json() == {"ok": False, "error": "ratelimited"}


def test_refused_credentials_are_invalid_auth() -> None:
    reply = slack_reply(Unauthorized("unknown token"), operation=None)
    assert (reply.status, reply.body) == (200, {"ok": False, "error": "invalid_auth"})


def test_too_few_scopes_are_missing_scope_naming_the_needed_ones() -> None:
    spec = load_spec(OWN_SPECS / "slack.yaml", name="slack")
    history = next(op for op in spec.operations if op.label == "GET /conversations.history")
    reply = slack_reply(Forbidden("insufficient scope"), history)
    needed = "channels:history,groups:history,im:history,mpim:history"
    assert (reply.status, reply.body) == (
        200,
        {"ok": False, "error": "missing_scope", "needed": needed},
    )


def test_a_registered_token_is_the_only_one_and_its_scopes_bound_it(
    slack_server: Served, request: pytest.FixtureRequest
) -> None:
    session = session_for(request)
    grant = {"secret": "xoxb-readonly", "scopes": ["users:read", "channels:manage"]}
    registered = httpx.post(f"{slack_server.url}/_twin/sessions/{session}/credentials", json=grant)
    assert registered.status_code == 201
    readonly = client_for(slack_server, session, "xoxb-readonly")
    assert readonly.users_list()["ok"] is True
    channel = readonly.conversations_create(name="quiet")["channel"]["id"]
    with pytest.raises(SlackApiError) as missing:
        readonly.chat_postMessage(channel=channel, text="hello")
    assert missing.value.response.status_code == 200
    assert missing.value.response.data == {
        "ok": False,
        "error": "missing_scope",
        "needed": "chat:write",
    }
    with pytest.raises(SlackApiError) as refused:
        client_for(slack_server, session, "xoxb-someone-else").auth_test()
    assert refused.value.response.data == {"ok": False, "error": "invalid_auth"}


def test_a_broken_rule_names_the_field_in_response_metadata() -> None:
    violation = Violation("body", "limit", "type", "'ten' is not of type 'integer'")
    reply = slack_reply(ValidationFailed("invalid", [violation]), operation=None)
    assert reply.body == {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": {
            "messages": ["[ERROR] 'ten' is not of type 'integer' [json-pointer:/limit]"]
        },
    }


def test_slack_sdk_sees_a_session_quota_as_ratelimited_with_retry_after(
    slack_server: Served, request: pytest.FixtureRequest
) -> None:
    session = session_for(request)
    quota = {"twin": "slack", "operation": "* /chat.postMessage", "limit": 1, "window": 60}
    url = f"{slack_server.url}/_twin/sessions/{session}/limits"
    limits = httpx.put(url, json={"quotas": [quota]})
    assert limits.status_code == 200
    slack = client_for(slack_server, session)
    channel = slack.conversations_create(name="busy")["channel"]["id"]
    slack.chat_postMessage(channel=channel, text="one")
    with pytest.raises(SlackApiError) as raised:
        slack.chat_postMessage(channel=channel, text="two")
    response = raised.value.response
    assert (response.status_code, response.data) == (429, {"ok": False, "error": "ratelimited"})
    assert int(response.headers["retry-after"]) > 0


@pytest.mark.parametrize(
    ("status", "code"),
    [(500, "internal_error"), (503, "service_unavailable"), (502, "internal_error")],
)
def test_an_injected_server_failure_keeps_its_status(status: int, code: str) -> None:
    failure = RequestError("the service failed")
    failure.status = status  # as a fault rule's injected error carries it
    reply = slack_reply(failure, operation=None)
    assert (reply.status, reply.body) == (status, {"ok": False, "error": code})
