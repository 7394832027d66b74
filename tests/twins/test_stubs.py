"""Stubs: queued and pinned answers per session, twin and operation, checked against the spec."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

import twins.stubs as stubs_module
from tests.conftest import OWN_SPECS
from twins.app import TwinServer
from twins.errors import NotFoundError
from twins.server import build_server
from twins.stubs import StubRejected, StubResponse, StubStage
from twins.twin import Twin

AUTH = {"Authorization": "Bearer t"}
BASE = "/_s/s1/bookshop/v1"
STATS = {"books": 3, "orders": 1}
EMPTY_LIST = {"items": [], "total": 0}


@pytest.fixture
def server() -> TwinServer:
    return build_server({"bookshop": OWN_SPECS / "bookshop.yaml"}, db="memory", seed=7)


@pytest.fixture
def client(server: TwinServer) -> Iterator[TestClient]:
    with TestClient(server, base_url="http://twin.test", headers=AUTH) as test_client:
        yield test_client


@pytest.fixture
def stage(server: TwinServer) -> StubStage:
    return next(s for s in server.stages if isinstance(s, StubStage))


@pytest.fixture
def twin(server: TwinServer) -> Twin:
    return server.twins["bookshop"]


def queue(stage: StubStage, twin: Twin, pattern: str, *stubs: StubResponse, **kw: Any) -> None:
    stage.queue(twin, "s1", pattern, list(stubs), force=kw.get("force", False))


def pin(
    stage: StubStage, twin: Twin, pattern: str, stub: StubResponse, force: bool = False
) -> None:
    stage.pin(twin, "s1", pattern, stub, force=force)


def stats(books: int, orders: int = 0) -> StubResponse:
    return StubResponse(200, {"books": books, "orders": orders})


def rejection(action: Any) -> StubRejected:
    with pytest.raises(StubRejected) as caught:
        action()
    return caught.value


def test_queued_answers_come_once_each_in_order_then_the_twin_answers_again(
    client: TestClient, stage: StubStage, twin: Twin
) -> None:
    unstubbed = client.get(f"{BASE}/stats").json()
    queue(stage, twin, "GET /stats", stats(1), stats(2))
    assert client.get(f"{BASE}/stats").json() == {"books": 1, "orders": 0}
    assert client.get(f"{BASE}/stats").json() == {"books": 2, "orders": 0}
    assert client.get(f"{BASE}/stats").json() == unstubbed
    assert stage.listed("s1", "bookshop") == []


def test_a_pinned_answer_comes_every_time_after_the_queue_until_removed(
    client: TestClient, stage: StubStage, twin: Twin
) -> None:
    pin(stage, twin, "GET /stats", stats(9))
    queue(stage, twin, "GET /stats", stats(1))
    answers = [client.get(f"{BASE}/stats").json()["books"] for _ in range(3)]
    assert answers == [1, 9, 9]
    stage.remove(twin, "s1", "GET /stats")
    assert client.get(f"{BASE}/stats").json()["books"] != 9


def test_a_cached_read_is_not_served_while_a_stub_waits(
    client: TestClient, stage: StubStage, twin: Twin
) -> None:
    first = client.get(f"{BASE}/stats").content
    assert client.get(f"{BASE}/stats").content == first  # now cached
    pin(stage, twin, "GET /stats", stats(42))
    assert client.get(f"{BASE}/stats").json()["books"] == 42
    stage.remove(twin, "s1", None)
    assert client.get(f"{BASE}/stats").content == first


def test_an_exact_label_is_tried_before_a_glob(
    client: TestClient, stage: StubStage, twin: Twin
) -> None:
    pin(stage, twin, "GET /*", StubResponse(401, {"error": {"code": "x", "message": "glob"}}))
    pin(stage, twin, "GET /stats", stats(5))
    assert client.get(f"{BASE}/stats").json()["books"] == 5
    assert client.get(f"{BASE}/authors").json()["error"]["message"] == "glob"


def test_parameter_names_and_method_case_do_not_matter_in_a_label(
    client: TestClient, stage: StubStage, twin: Twin
) -> None:
    missing = {"error": {"code": "gone", "message": "stubbed"}}
    queue(stage, twin, "get /authors/{id}", StubResponse(404, missing))
    assert stage.listed("s1", "bookshop")[0]["operation"] == "GET /authors/{authorId}"
    response = client.get(f"{BASE}/authors/au_Xk2mP9qLr4tW8z")
    assert (response.status_code, response.json()) == (404, missing)


def test_a_stubbed_write_changes_no_state(client: TestClient, stage: StubStage, twin: Twin) -> None:
    author = {
        "id": "au_Xk2mP9qLr4tW8z",
        "object": "author",
        "name": "Stubbed",
        "created_at": "2024-01-01T00:00:00Z",
    }
    queue(stage, twin, "POST /authors", StubResponse(201, author))
    response = client.post(f"{BASE}/authors", json={"name": "Real"})
    assert (response.status_code, response.json()) == (201, author)
    assert client.get(f"{BASE}/authors").json()["items"] == []


def test_a_request_breaking_the_spec_gets_its_400_and_leaves_the_queue_alone(
    client: TestClient, stage: StubStage, twin: Twin
) -> None:
    queue(stage, twin, "POST /authors", StubResponse(400, {"error": {"code": "a", "message": "b"}}))
    assert client.post(f"{BASE}/authors", json={"nom": "x"}).json()["error"]["code"] != "a"
    assert len(stage.listed("s1", "bookshop")[0]["queued"]) == 1


def test_the_journal_records_the_stubbed_answer_and_the_stub_that_gave_it(
    client: TestClient, stage: StubStage, twin: Twin
) -> None:
    queue(stage, twin, "GET /st*", stats(1), stats(2))
    client.get(f"{BASE}/stats")
    [entry] = client.get("/_twin/sessions/s1/journal").json()
    assert entry["response"]["body"] == {"books": 1, "orders": 0}
    assert entry["extra"]["stub"] == {
        "operation": "GET /st*",
        "mode": "queued",
        "status": 200,
        "queued_left": 1,
        "forced": False,
    }


def test_stubs_keep_to_their_session(client: TestClient, stage: StubStage, twin: Twin) -> None:
    pin(stage, twin, "GET /stats", stats(77))
    assert client.get("/_s/s2/bookshop/v1/stats").json()["books"] != 77
    assert client.get(f"{BASE}/stats").json()["books"] == 77


def test_a_reset_forgets_the_sessions_stubs(stage: StubStage, twin: Twin) -> None:
    pin(stage, twin, "GET /stats", stats(1))
    stage.pin(twin, "s2", "GET /stats", stats(2), force=False)
    stage.reset("s1")
    assert stage.listed("s1", "bookshop") == []
    assert not stage.affects_reads("s1", "bookshop")
    assert stage.affects_reads("s2", "bookshop")


def test_a_body_off_the_schema_is_refused_naming_the_json_pointer_of_each_field(
    stage: StubStage, twin: Twin
) -> None:
    bad = StubResponse(200, {"books": -1, "orders": "many"})
    refused = rejection(lambda: queue(stage, twin, "GET /stats", stats(1), bad))
    found = {(p.pointer, p.rule) for p in refused.problems}
    assert found == {("/responses/1/body/books", "minimum"), ("/responses/1/body/orders", "type")}
    assert refused.problems[0].operation == "GET /stats"
    assert stage.listed("s1", "bookshop") == []  # nothing of a refused call is kept


def test_a_pinned_body_is_checked_against_every_operation_a_glob_covers(
    stage: StubStage, twin: Twin
) -> None:
    refused = rejection(lambda: pin(stage, twin, "GET /authors*", StubResponse(200, EMPTY_LIST)))
    assert {p.operation for p in refused.problems} == {"GET /authors/{authorId}"}
    assert refused.problems[0].pointer.startswith("/response/body")


def test_an_undeclared_status_is_refused_unless_forced(
    client: TestClient, stage: StubStage, twin: Twin
) -> None:
    teapot = StubResponse(418, {"short": "and stout"})
    refused = rejection(lambda: pin(stage, twin, "GET /stats", teapot))
    assert (refused.problems[0].pointer, refused.problems[0].rule) == ("/response/status", "status")
    assert "200, 401" in refused.problems[0].message
    pin(stage, twin, "GET /stats", teapot, force=True)
    response = client.get(f"{BASE}/stats")
    assert (response.status_code, response.json()) == (418, {"short": "and stout"})
    assert stage.listed("s1", "bookshop")[0]["pinned"]["forced"] is True


def test_a_text_body_leaves_as_text_with_its_media_type(
    client: TestClient, stage: StubStage, twin: Twin
) -> None:
    refused = rejection(
        lambda: pin(stage, twin, "GET /stats", StubResponse(200, "busy", "text/plain"))
    )
    assert refused.problems[0].rule == "media_type"
    pin(stage, twin, "GET /stats", StubResponse(503, "upstream busy", "text/plain"), force=True)
    response = client.get(f"{BASE}/stats")
    assert response.status_code == 503
    assert response.text == "upstream busy"
    assert response.headers["content-type"] == "text/plain"


def test_a_declared_body_is_required_and_an_undeclared_one_refused(
    stage: StubStage, twin: Twin
) -> None:
    empty = rejection(lambda: pin(stage, twin, "GET /stats", StubResponse(200)))
    assert (empty.problems[0].pointer, empty.problems[0].rule) == ("/response/body", "required")
    extra = rejection(lambda: pin(stage, twin, "DELETE /authors/{authorId}", StubResponse(204, {})))
    assert (extra.problems[0].pointer, extra.problems[0].rule) == ("/response/body", "content")
    pin(stage, twin, "DELETE /authors/{authorId}", StubResponse(204))


def test_headers_and_delay_go_with_the_reply(
    client: TestClient, stage: StubStage, twin: Twin
) -> None:
    stub = StubResponse(200, STATS, headers=(("X-Upstream", "llm-7"),), delay=0.01)
    assert stub.reply().delay == 0.01
    pin(stage, twin, "GET /stats", stub)
    assert client.get(f"{BASE}/stats").headers["x-upstream"] == "llm-7"


@pytest.mark.parametrize(
    ("stub", "pointer"),
    [
        (
            StubResponse(200, STATS, headers=(("Content-Length", "1"),)),
            "/response/headers/Content-Length",
        ),
        (StubResponse(200, STATS, headers=(("X-A", "one\r\ntwo"),)), "/response/headers/X-A"),
        (StubResponse(200, STATS, headers=(("bad name", "v"),)), "/response/headers/bad name"),
        (StubResponse(200, {"a": 1}, "text/plain"), "/response/body"),
        (StubResponse(200, STATS, "not a type"), "/response/media_type"),
        (StubResponse(200, STATS, delay=61), "/response/delay"),
        (StubResponse(99, STATS), "/response/status"),
    ],
)
def test_wire_safety_is_not_waived_by_force(
    stage: StubStage, twin: Twin, stub: StubResponse, pointer: str
) -> None:
    refused = rejection(lambda: pin(stage, twin, "GET /stats", stub, force=True))
    assert refused.problems[0].pointer == pointer


def test_a_body_over_the_size_limit_is_refused(
    stage: StubStage, twin: Twin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stubs_module, "MAX_BODY_BYTES", 100)
    big = StubResponse(200, {"books": 1, "orders": 1, "revenue": 1, "pad": "x" * 200})
    assert rejection(lambda: pin(stage, twin, "GET /stats", big, force=True)).problems[0].rule == (
        "maxLength"
    )


def test_queues_and_rules_are_bounded(
    stage: StubStage, twin: Twin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stubs_module, "MAX_QUEUE", 2)
    monkeypatch.setattr(stubs_module, "MAX_RULES", 1)
    queue(stage, twin, "GET /stats", stats(1), stats(2))
    assert "at most 2" in str(rejection(lambda: queue(stage, twin, "GET /stats", stats(3))))
    assert "at most 1" in str(
        rejection(lambda: pin(stage, twin, "GET /authors", StubResponse(200, EMPTY_LIST)))
    )


def test_an_unknown_operation_is_not_found_with_the_nearest_labels(
    stage: StubStage, twin: Twin
) -> None:
    with pytest.raises(NotFoundError, match="GET /stats"):
        pin(stage, twin, "GET /stat", stats(1))
    with pytest.raises(NotFoundError, match="matches no operation"):
        pin(stage, twin, "PUT /*", stats(1))


def test_a_glob_of_many_stars_that_matches_nothing_is_refused_without_backtracking(
    stage: StubStage, twin: Twin
) -> None:
    # `*?` forty times then a letter no label ends with: a backtracking regex would try
    # every way to share a label's characters among the stars (hours, with the GIL held).
    with pytest.raises(NotFoundError, match="matches no operation"):
        pin(stage, twin, "*?" * 40 + "X", stats(1))


def test_a_bracket_in_a_glob_is_literal_and_star_and_question_mark_still_match(
    stage: StubStage, twin: Twin
) -> None:
    with pytest.raises(NotFoundError, match="matches no operation"):
        pin(stage, twin, "GET /[s]tats*", stats(1))
    pin(stage, twin, "G?T /st*s", stats(4))
    assert stage.listed("s1", "bookshop")[0]["matches"] == ["GET /stats"]
