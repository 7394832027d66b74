"""Fault injection: rules per session, drawn from the session seed, recorded in the journal."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from tests.serving import serve
from twins.app import TwinServer
from twins.fake import Rng
from twins.faults import MAX_LATENCY_MS, FaultRule, FaultRules, Latency, decide
from twins.server import build_server

AUTH = {"Authorization": "Bearer t"}
AUTHORS = "/_s/s1/bookshop/v1/authors"


@pytest.fixture
def server() -> TwinServer:
    return build_server({"bookshop": OWN_SPECS / "bookshop.yaml"}, db="memory", seed=7)


@pytest.fixture
def client(server: TwinServer) -> Iterator[TestClient]:
    with TestClient(server, base_url="http://twin.test", headers=AUTH) as test_client:
        yield test_client


def faults(client: TestClient, *rules: dict[str, Any], session: str = "s1") -> list[str]:
    response = client.put(f"/_twin/sessions/{session}/faults", json={"rules": list(rules)})
    assert response.status_code == 200, response.text
    return [rule["id"] for rule in response.json()["rules"]]


def fired(client: TestClient, session: str = "s1") -> list[dict[str, Any] | None]:
    entries = client.get(f"/_twin/sessions/{session}/journal").json()
    return [entry["extra"].get("fault") for entry in entries]


def test_a_sequence_answers_each_step_in_turn_then_lets_requests_through(
    client: TestClient,
) -> None:
    faults(client, {"kind": "sequence", "operation": "GET /authors", "sequence": [503, 503, "ok"]})
    assert [client.get(AUTHORS).status_code for _ in range(5)] == [503, 503, 200, 200, 200]
    notes = fired(client)
    assert notes[0] == {
        "rule": "f1",
        "kind": "sequence",
        "match": 0,
        "effect": "error",
        "status": 503,
    }
    assert notes[1] is not None and notes[1]["match"] == 1
    assert notes[2:] == [None, None, None]


def test_an_error_is_answered_in_the_specs_own_error_format(client: TestClient) -> None:
    faults(client, {"kind": "error", "operation": "GET /authors/*", "status": 404})
    reply = client.get(f"{AUTHORS}/au_00000000000000")
    assert reply.status_code == 404
    assert set(reply.json()["error"]) >= {"code", "message"}


def test_an_error_the_spec_does_not_declare_is_answered_as_problem_details(
    client: TestClient,
) -> None:
    faults(client, {"kind": "error", "status": 503})
    reply = client.get(AUTHORS)
    assert reply.status_code == 503
    assert reply.headers["content-type"] == "application/problem+json"
    assert reply.json()["status"] == 503


def test_an_injected_429_says_retry_after_like_a_real_one(client: TestClient) -> None:
    faults(client, {"kind": "error", "status": 429})
    assert client.get(AUTHORS).headers["Retry-After"] == "1"


def test_an_error_with_a_body_answers_that_body_and_headers(client: TestClient) -> None:
    body = {"error": {"code": "overloaded", "message": "try later"}}
    faults(client, {"kind": "error", "status": 502, "body": body, "headers": {"X-Trace": "1"}})
    reply = client.get(AUTHORS)
    assert (reply.status_code, reply.json(), reply.headers["X-Trace"]) == (502, body, "1")


def test_an_error_stops_the_write_it_answers_for(client: TestClient) -> None:
    faults(client, {"kind": "error", "operation": "POST /authors", "status": 500, "count": 1})
    assert client.post(AUTHORS, json={"name": "Lost"}).status_code == 500
    assert client.post(AUTHORS, json={"name": "Kept"}).status_code == 201
    assert [a["name"] for a in client.get(AUTHORS).json()["items"]] == ["Kept"]


def test_after_lets_the_first_requests_through_and_count_caps_the_fires(
    client: TestClient,
) -> None:
    faults(client, {"kind": "error", "status": 503, "after": 2, "count": 2})
    assert [client.get(AUTHORS).status_code for _ in range(6)] == [200, 200, 503, 503, 200, 200]
    (rule,) = client.get("/_twin/sessions/s1/faults").json()["rules"]
    assert (rule["matched"], rule["fired"]) == (6, 2)


def test_rules_match_only_their_twin_and_operation_globs() -> None:
    spec = OWN_SPECS / "bookshop.yaml"
    two = build_server({"bookshop": spec, "shelf": spec}, db="memory")
    with TestClient(two, base_url="http://twin.test", headers=AUTH) as client:
        faults(
            client,
            {"kind": "error", "twin": "sh*", "operation": "GET *", "status": 500},
            {"kind": "error", "operation": "POST /books*", "status": 502},
        )
        assert client.get(AUTHORS).status_code == 200
        assert client.get("/_s/s1/shelf/v1/authors").status_code == 500
        assert client.post("/_s/s1/bookshop/v1/books", json={}).status_code == 502


def test_the_first_rule_that_fires_wins(client: TestClient) -> None:
    faults(
        client,
        {"kind": "error", "status": 502, "count": 1},
        {"kind": "error", "status": 503},
    )
    assert [client.get(AUTHORS).status_code for _ in range(3)] == [502, 503, 503]
    rules = client.get("/_twin/sessions/s1/faults").json()["rules"]
    assert [(r["matched"], r["fired"]) for r in rules] == [(3, 1), (2, 2)]


def test_faults_reach_reads_the_reply_cache_would_answer(client: TestClient) -> None:
    assert client.get(AUTHORS).status_code == 200
    faults(client, {"kind": "error", "status": 503})
    assert client.get(AUTHORS).status_code == 503


def test_other_sessions_are_untouched(client: TestClient) -> None:
    faults(client, {"kind": "error", "status": 503})
    assert client.get("/_s/s2/bookshop/v1/authors").status_code == 200


def test_a_reset_drops_the_connection_before_the_twin_acts(client: TestClient) -> None:
    faults(client, {"kind": "reset", "operation": "POST /authors"})
    with pytest.raises(ConnectionAbortedError):
        client.post(AUTHORS, json={"name": "Never"})
    assert client.get(AUTHORS).json()["items"] == []
    assert fired(client)[0] == {"rule": "f1", "kind": "reset", "match": 0}


def test_a_truncated_reply_breaks_after_the_write_has_landed(client: TestClient) -> None:
    faults(client, {"kind": "truncate", "operation": "POST /authors"})
    with pytest.raises(ConnectionAbortedError):
        client.post(AUTHORS, json={"name": "Landed"})
    assert [a["name"] for a in client.get(AUTHORS).json()["items"]] == ["Landed"]
    assert fired(client)[0] == {"rule": "f1", "kind": "truncate", "match": 0}


def test_a_write_whose_reply_was_lost_replays_when_retried_with_its_idempotency_key(
    client: TestClient,
) -> None:
    faults(client, {"kind": "truncate", "operation": "POST /authors", "count": 1})
    key = {"Idempotency-Key": "retry-me"}
    with pytest.raises(ConnectionAbortedError):
        client.post(AUTHORS, json={"name": "Once"}, headers=key)
    retried = client.post(AUTHORS, json={"name": "Once"}, headers=key)
    assert retried.status_code == 201
    assert [a["id"] for a in client.get(AUTHORS).json()["items"]] == [retried.json()["id"]]


def test_a_timeout_holds_the_connection_then_drops_it(client: TestClient) -> None:
    faults(client, {"kind": "timeout", "latency": 1})
    with pytest.raises(ConnectionAbortedError):
        client.get(AUTHORS)
    assert fired(client)[0] == {"rule": "f1", "kind": "timeout", "match": 0, "delay_ms": 1.0}


def test_a_malformed_reply_keeps_its_status_and_is_not_json(client: TestClient) -> None:
    faults(client, {"kind": "malformed", "operation": "POST /authors"})
    reply = client.post(AUTHORS, json={"name": "Garbled"})
    assert reply.status_code == 201
    assert reply.headers["content-type"] == "application/json"
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(reply.content)
    entry = client.get("/_twin/sessions/s1/journal").json()[0]
    assert entry["response"]["body"] == reply.text, "the journal keeps the broken body as text"


def test_latency_is_drawn_and_recorded_without_changing_the_reply(client: TestClient) -> None:
    faults(client, {"kind": "latency", "latency": {"uniform": [1, 3]}})
    assert client.get(AUTHORS).status_code == 200
    note = fired(client)[0]
    assert note is not None and 1 <= note["delay_ms"] <= 3


def test_same_seed_and_same_requests_fire_the_same_faults(client: TestClient) -> None:
    rule = {"kind": "error", "status": 503, "probability": 0.5, "latency": {"exponential": 1}}
    for session in ("s1", "s2"):
        client.put(f"/_twin/sessions/{session}/seed", json={"seed": 42})
        faults(client, rule, session=session)
        for _ in range(20):
            client.get(f"/_s/{session}/bookshop/v1/authors")
    first, second = fired(client, "s1"), fired(client, "s2")
    assert first == second
    assert 0 < sum(note is not None for note in first) < 20


def test_a_reset_session_replays_its_faults_exactly(client: TestClient) -> None:
    def run() -> list[int]:
        faults(client, {"kind": "sequence", "sequence": [500, "ok", 503], "probability": 0.7})
        return [client.get(AUTHORS).status_code for _ in range(8)]

    first = run()
    assert client.post("/_twin/sessions/s1/reset").status_code == 200
    assert client.get("/_twin/sessions/s1/faults").json()["rules"] == []
    assert run() == first


def test_another_seed_fires_differently(client: TestClient) -> None:
    patterns = []
    for seed in (1, 2):
        client.put("/_twin/sessions/s1/seed", json={"seed": seed})
        faults(client, {"kind": "error", "status": 503, "probability": 0.5})
        patterns.append([client.get(AUTHORS).status_code for _ in range(24)])
    assert patterns[0] != patterns[1]


# -- the rules themselves ---------------------------------------------------------------


def fires(rule: FaultRule, matches: int, seed: int) -> list[tuple[int, str, int | None]]:
    """Which matches of one rule fire (match, effect, status), as a session would draw them."""
    book = FaultRules()
    book.replace("s", [rule])
    found = []
    for match in range(matches):
        fault = book.draw("s", "twin", "GET /x", seed)
        if fault is not None:
            assert fault.match == match
            found.append((match, fault.effect, fault.status))
    return found


@settings(max_examples=150, deadline=None)
@given(
    after=st.integers(0, 6),
    count=st.none() | st.integers(1, 6),
    probability=st.floats(0, 1),
    matches=st.integers(0, 30),
    seed=st.integers(0, 2**32),
)
def test_a_rule_fires_only_past_after_at_most_count_times_and_replays(
    after: int, count: int | None, probability: float, matches: int, seed: int
) -> None:
    rule = FaultRule("error", "f1", status=503, probability=probability, count=count, after=after)
    first = fires(rule, matches, seed)
    assert first == fires(rule, matches, seed)
    assert all(match >= after for match, _, _ in first)
    assert len(first) <= (count if count is not None else matches)
    if probability == 1.0:
        assert len(first) == min(count or matches, max(0, matches - after))
    if probability == 0.0:
        assert first == []


@settings(max_examples=100, deadline=None)
@given(
    sequence=st.lists(st.sampled_from([500, 503, "ok", "reset", "truncate"]), min_size=1),
    after=st.integers(0, 4),
    seed=st.integers(0, 2**32),
)
def test_a_sequence_is_consumed_one_step_per_matching_request(
    sequence: list[int | str], after: int, seed: int
) -> None:
    rule = FaultRule("sequence", "f1", sequence=tuple(sequence), after=after)
    found = fires(rule, after + len(sequence) + 3, seed)
    expected = [
        (after + position, "error" if isinstance(step, int) else step, step)
        for position, step in enumerate(sequence)
        if step != "ok"
    ]
    assert [(m, e, s if e == "error" else e) for m, e, s in found] == expected


@settings(max_examples=100, deadline=None)
@given(
    latency=st.sampled_from(
        [
            Latency("fixed", (250.0,)),
            Latency("uniform", (10.0, 20.0)),
            Latency("normal", (100.0, 400.0)),
            Latency("exponential", (MAX_LATENCY_MS,)),
        ]
    ),
    seed=st.integers(0, 2**64 - 1),
)
def test_latency_draws_are_bounded_and_come_from_the_seed(latency: Latency, seed: int) -> None:
    drawn = latency.draw(Rng(seed))
    assert drawn == latency.draw(Rng(seed))
    assert 0.0 <= drawn <= MAX_LATENCY_MS and not math.isnan(drawn)
    if latency.distribution == "uniform":
        assert 10.0 <= drawn <= 20.0


def test_decide_draws_from_the_stream_it_is_given() -> None:
    rule = FaultRule("latency", "f1", latency=Latency("uniform", (0.0, 1000.0)))
    delays = {decide(rule, 0, 0, Rng.derive(7, "t", "fault", "f1", n)) for n in range(5)}
    assert len(delays) == 5


# -- through a real server ----------------------------------------------------------------


def test_a_real_client_sees_reset_truncate_and_timeout_as_transport_errors(
    tmp_path: Path,
) -> None:
    log = tmp_path / "serve.log"
    with serve([f"bookshop={OWN_SPECS / 'bookshop.yaml'}", "--db", "memory"], log) as served:
        twin = f"{served.url}/_s/wire/bookshop/v1"
        rules = [
            {"kind": "reset", "operation": "GET /authors", "count": 1},
            {"kind": "truncate", "operation": "POST /authors", "count": 1},
            {"kind": "timeout", "operation": "GET /books", "latency": 4000, "count": 1},
        ]
        put = httpx.put(f"{served.url}/_twin/sessions/wire/faults", json={"rules": rules})
        assert put.status_code == 200, put.text
        # A loaded machine must not turn a reply into a timeout: only the held one times out.
        with httpx.Client(headers=AUTH, timeout=30) as client:
            with pytest.raises(httpx.RemoteProtocolError):
                client.get(f"{twin}/authors")
            with pytest.raises(httpx.RemoteProtocolError):
                client.post(f"{twin}/authors", json={"name": "Landed"})
            with pytest.raises(httpx.ReadTimeout):
                client.get(f"{twin}/books", timeout=1.5)
            listed = client.get(f"{twin}/authors").json()["items"]
            assert [a["name"] for a in listed] == ["Landed"], "the truncated write landed"
        kinds = _journal_faults_once_all_are_in(served.url, expected=3)
        assert kinds == ["reset", "truncate", "timeout"]
    assert "Traceback" not in log.read_text(), log.read_text()


def _journal_faults_once_all_are_in(url: str, expected: int) -> list[str]:
    """The held timeout is journalled when its hold ends: wait for it (bounded)."""
    deadline = time.monotonic() + 20
    while True:
        entries = httpx.get(f"{url}/_twin/sessions/wire/journal").json()
        kinds = [e["extra"]["fault"]["kind"] for e in entries if "fault" in e["extra"]]
        if len(kinds) >= expected or time.monotonic() > deadline:
            return kinds
        time.sleep(0.1)


def test_an_injected_429_with_its_own_retry_after_sends_that_header_once(
    client: TestClient,
) -> None:
    faults(client, {"kind": "error", "status": 429, "headers": {"Retry-After": "7"}})
    reply = client.get(AUTHORS)
    assert reply.status_code == 429
    assert reply.headers.get_list("retry-after") == ["7"]
