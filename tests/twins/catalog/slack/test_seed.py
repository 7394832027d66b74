"""The workspace a session starts with comes from its seed, and timestamps from its clock."""

from __future__ import annotations

from typing import Any

from tests.twins.catalog.slack.inprocess import API, AUTH, slack_client, slack_server


def _workspace(seed: int) -> list[tuple[str, str, str]]:
    with slack_client(slack_server(seed)) as client:
        members: list[dict[str, Any]] = client.get(f"{API}/users.list", headers=AUTH).json()[
            "members"
        ]
        channels = client.get(f"{API}/conversations.list", headers=AUTH).json()["channels"]
    return [(u["id"], u["name"], u["profile"].get("email", "")) for u in members] + [
        (c["id"], c["name"], "") for c in channels
    ]


def test_the_same_seed_makes_the_same_workspace() -> None:
    assert _workspace(7) == _workspace(7)


def test_another_seed_makes_another_workspace() -> None:
    assert _workspace(7) != _workspace(8)


def test_timestamps_follow_a_frozen_session_clock_and_stay_unique() -> None:
    server = slack_server()
    server.sessions.clock("s1").frozen_at = 1_700_000_000.0
    with slack_client(server) as client:
        channel = client.post(f"{API}/conversations.create", headers=AUTH, data={"name": "c"})
        channel_id = channel.json()["channel"]["id"]
        stamps = [
            client.post(
                f"{API}/chat.postMessage", headers=AUTH, data={"channel": channel_id, "text": "x"}
            ).json()["ts"]
            for _ in range(3)
        ]
    assert stamps == ["1700000000.000000", "1700000000.000001", "1700000000.000002"]
