"""The scheduler: jobs that fall due on a session's clock."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from twins.schedule import ScheduleFull, Scheduler
from twins.server import build_server
from twins.sessions import Sessions
from twins.state import Store, open_store
from twins.webhooks import dispatcher_of

EPOCH = 1_700_000_000.0


@pytest.fixture
def store() -> Iterator[Store]:
    with open_store("memory") as opened:
        yield opened


@pytest.fixture
def sessions(store: Store) -> Sessions:
    found = Sessions(store, 0)
    found.clock("s").frozen_at = EPOCH
    return found


def test_a_job_runs_only_once_the_session_clock_reaches_it(sessions: Sessions) -> None:
    scheduler = Scheduler(sessions)
    ran: list[str] = []
    scheduler.schedule("s", EPOCH + 60, lambda: ran.append("settle"))
    assert scheduler.run_due("s") == 0
    sessions.clock("s").frozen_at = EPOCH + 59.9
    assert scheduler.run_due("s") == 0 and ran == []
    sessions.clock("s").frozen_at = EPOCH + 60
    assert scheduler.run_due("s") == 1
    assert ran == ["settle"]
    assert scheduler.run_due("s") == 0, "a job runs once"


def test_due_jobs_run_in_due_order_and_ties_in_the_order_scheduled(sessions: Sessions) -> None:
    scheduler = Scheduler(sessions)
    ran: list[str] = []
    for name, at in [("c", 30), ("a", 10), ("b1", 20), ("b2", 20)]:
        scheduler.schedule("s", EPOCH + at, lambda name=name: ran.append(name))  # type: ignore[misc]
    sessions.clock("s").frozen_at = EPOCH + 100
    scheduler.run_due("s")
    assert ran == ["a", "b1", "b2", "c"]


def test_sessions_have_their_own_clocks(sessions: Sessions) -> None:
    scheduler = Scheduler(sessions)
    sessions.clock("other").frozen_at = EPOCH
    ran: list[str] = []
    scheduler.schedule("s", EPOCH + 5, lambda: ran.append("s"))
    scheduler.schedule("other", EPOCH + 5, lambda: ran.append("other"))
    sessions.clock("s").frozen_at = EPOCH + 5
    assert scheduler.run_all_due() == 1
    assert ran == ["s"]
    assert [job.session for job in scheduler.pending("other")] == ["other"]


def test_a_cancelled_job_never_runs(sessions: Sessions) -> None:
    scheduler = Scheduler(sessions)
    ran: list[str] = []
    job = scheduler.schedule("s", EPOCH + 1, lambda: ran.append("x"))
    job.cancel()
    sessions.clock("s").frozen_at = EPOCH + 2
    assert scheduler.run_due("s") == 0 and ran == []
    assert scheduler.pending("s") == []


def test_a_reset_session_drops_its_jobs_and_says_so_to_their_owners(sessions: Sessions) -> None:
    scheduler = Scheduler(sessions)
    ran: list[str] = []
    scheduler.schedule(
        "s", EPOCH + 1, lambda: ran.append("job"), on_drop=lambda: ran.append("dropped")
    )
    sessions.reset("s")  # the clock starts again from real time, far past EPOCH + 1
    assert scheduler.pending("s") == []
    assert scheduler.run_due("s") == 0
    assert ran == ["dropped"]


def test_a_failing_job_does_not_stop_the_others(sessions: Sessions) -> None:
    scheduler = Scheduler(sessions)
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("boom")

    scheduler.schedule("s", EPOCH, broken, name="broken")
    scheduler.schedule("s", EPOCH, lambda: ran.append("after"))
    assert scheduler.run_due("s") == 2
    assert ran == ["after"]


def test_everything_runs_jobs_that_are_not_due_yet(sessions: Sessions) -> None:
    scheduler = Scheduler(sessions)
    ran: list[str] = []
    scheduler.schedule("s", EPOCH + 3600, lambda: ran.append("later"))
    assert scheduler.run_due("s", everything=True) == 1
    assert ran == ["later"]


def test_scheduling_beyond_the_limit_is_refused(sessions: Sessions) -> None:
    scheduler = Scheduler(sessions, limit=2)
    scheduler.schedule("s", EPOCH + 1, lambda: None)
    scheduler.schedule("s", EPOCH + 1, lambda: None)
    with pytest.raises(ScheduleFull, match="limit is 2"):
        scheduler.schedule("s", EPOCH + 1, lambda: None)


def test_an_async_job_is_awaited_on_the_event_loop(sessions: Sessions) -> None:
    async def scenario() -> list[str]:
        scheduler = Scheduler(sessions)
        ran: list[str] = []
        finished = asyncio.Event()

        async def settle() -> None:
            await asyncio.sleep(0)
            ran.append("settled")
            finished.set()

        scheduler.schedule("s", EPOCH, settle)
        scheduler.run_due("s")
        await asyncio.wait_for(finished.wait(), 5)
        await scheduler.aclose()
        return ran

    assert asyncio.run(scenario()) == ["settled"]


def test_jobs_on_a_real_time_clock_run_on_the_periodic_tick(sessions: Sessions) -> None:
    async def scenario() -> bool:
        scheduler = Scheduler(sessions, tick=0.01)
        finished = asyncio.Event()
        scheduler.schedule("live", sessions.now("live") + 0.02, finished.set)
        await asyncio.wait_for(finished.wait(), 5)  # nobody calls run_due: the tick does
        await scheduler.aclose()
        return finished.is_set()

    assert asyncio.run(scenario())


def test_closing_drops_waiting_jobs_through_their_owners(sessions: Sessions) -> None:
    dropped: list[str] = []

    async def scenario() -> None:
        scheduler = Scheduler(sessions)
        scheduler.schedule("s", EPOCH + 60, lambda: None, on_drop=lambda: dropped.append("x"))
        await scheduler.aclose()

    asyncio.run(scenario())
    assert dropped == ["x"]


# -- through the control plane ---------------------------------------------------------


@pytest.fixture
def client() -> Iterator[TestClient]:
    server = build_server({"bookshop": OWN_SPECS / "bookshop.yaml"}, db="memory")
    with TestClient(server, base_url="http://twin.test") as test_client:
        yield test_client


def test_advancing_the_clock_runs_the_jobs_it_makes_due(client: TestClient) -> None:
    server = client.app
    dispatcher = dispatcher_of(server)  # type: ignore[arg-type]
    assert dispatcher is not None
    client.post("/_twin/sessions/s/clock", json={"frozen_at": EPOCH})
    ran: list[str] = []
    dispatcher.scheduler.schedule("s", EPOCH + 30, lambda: ran.append("settled"))
    waiting = client.get("/_twin/sessions/s/clock").json()
    assert waiting["jobs_waiting"] == 1 and waiting["next_due"] == EPOCH + 30
    moved = client.post("/_twin/sessions/s/clock", json={"advance": 29}).json()
    assert moved["jobs_run"] == 0 and ran == []
    moved = client.post("/_twin/sessions/s/clock", json={"advance": 1}).json()
    assert moved["jobs_run"] == 1 and ran == ["settled"]
    assert moved["now"] == EPOCH + 30 and moved["frozen"]


def test_setting_the_clock_jumps_without_freezing_it(client: TestClient) -> None:
    client.post("/_twin/sessions/s/clock", json={"frozen_at": EPOCH})
    moved = client.post("/_twin/sessions/s/clock", json={"set": EPOCH + 86_400}).json()
    assert not moved["frozen"]
    assert EPOCH + 86_400 <= moved["now"] < EPOCH + 86_400 + 60
    later = client.get("/_twin/sessions/s/clock").json()
    assert later["now"] >= moved["now"], "a set clock runs on"


def test_a_session_clock_is_real_time_until_told_otherwise(client: TestClient) -> None:
    clock = client.get("/_twin/sessions/fresh/clock").json()
    assert clock["frozen"] is False and clock["offset"] == 0
    assert clock["jobs_waiting"] == 0 and clock["next_due"] is None


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"frozen_at": EPOCH, "set": EPOCH}, "not both"),
        ({"advance": -5}, "greater than or equal to 0"),
        ({"set": 1e13}, "less than or equal to"),
        ({"rewind": 5}, "Extra inputs are not permitted"),
    ],
)
def test_a_clock_move_that_makes_no_sense_is_refused(
    client: TestClient, body: dict[str, float], complaint: str
) -> None:
    response = client.post("/_twin/sessions/s/clock", json=body)
    assert response.status_code == 422
    assert complaint in response.text


def test_a_frozen_clock_advanced_past_year_9999_stops_there_still_frozen(
    client: TestClient,
) -> None:
    client.post("/_twin/sessions/s/clock", json={"frozen_at": 253_402_300_000})
    moved = client.post("/_twin/sessions/s/clock", json={"advance": 86_400})
    assert moved.status_code == 200
    assert moved.json()["now"] == 253_402_300_799 and moved.json()["frozen"]
