"""The snapshot endpoints: take, fork, list, read, delete; forks replay the seeded world."""

from __future__ import annotations

from starlette.testclient import TestClient

SOURCE = "/_s/source/bookshop/v1"
ORDER = {"items": [{"isbn": "9780000000001", "quantity": 2}]}


def seeded(client: TestClient) -> list[str]:
    """A small world in session "source", frozen in time; the ids of its authors."""
    client.post("/_twin/sessions/source/clock", json={"frozen_at": 1_700_000_000})
    ids = [client.post(f"{SOURCE}/authors", json={"name": n}).json()["id"] for n in "ABC"]
    return ids


def snapshot(client: TestClient, name: str = "world", **extra: object) -> dict[str, object]:
    response = client.post("/_twin/sessions/source/snapshot", json={"name": name, **extra})
    assert response.status_code == 201, response.text
    return dict(response.json())


def fork(client: TestClient, session: str, name: str = "world") -> None:
    response = client.post(f"/_twin/snapshots/{name}/fork", json={"session": session})
    assert response.status_code == 201, response.text


def test_a_fork_starts_with_the_snapshots_world(client: TestClient) -> None:
    ids = seeded(client)
    taken = snapshot(client)
    assert (taken["session"], taken["resources"]) == ("source", 3)
    assert taken["clock"] == {"frozen_at": 1_700_000_000, "offset": 0.0}
    fork(client, "trial")
    listed = client.get("/_s/trial/bookshop/v1/authors").json()["items"]
    assert [author["id"] for author in listed] == ids


def test_forks_are_independent_and_replay_byte_for_byte(client: TestClient) -> None:
    seeded(client)
    snapshot(client)
    fork(client, "t1")
    fork(client, "t2")
    first = client.post("/_s/t1/bookshop/v1/authors", json={"name": "D"})
    second = client.post("/_s/t2/bookshop/v1/authors", json={"name": "D"})
    assert first.content == second.content  # same seed, same clock, same counters
    client.delete(f"/_s/t1/bookshop/v1/authors/{first.json()['id']}")
    assert client.get(f"/_s/t2/bookshop/v1/authors/{second.json()['id']}").status_code == 200
    assert len(client.get(f"{SOURCE}/authors").json()["items"]) == 3


def test_a_fork_replaces_cached_reads_and_stubs_of_its_session(client: TestClient) -> None:
    seeded(client)
    snapshot(client)
    empty = client.get("/_s/trial/bookshop/v1/authors").json()
    assert client.get("/_s/trial/bookshop/v1/authors").json() == empty  # cached now
    client.put(
        "/_twin/sessions/trial/twins/bookshop/stubs",
        json={
            "operation": "GET /stats",
            "response": {"status": 200, "body": {"books": 1, "orders": 1}},
        },
    )
    fork(client, "trial")
    assert len(client.get("/_s/trial/bookshop/v1/authors").json()["items"]) == 3
    assert client.get("/_twin/sessions/trial/twins/bookshop/stubs").json() == []


def test_the_fork_journal_starts_empty(client: TestClient) -> None:
    seeded(client)
    snapshot(client)
    fork(client, "trial")
    assert client.get("/_twin/sessions/trial/journal").json() == []
    assert len(client.get("/_twin/sessions/source/journal").json()) == 3


def test_a_taken_name_is_409_unless_replaced(client: TestClient) -> None:
    seeded(client)
    snapshot(client)
    again = client.post("/_twin/sessions/source/snapshot", json={"name": "world"})
    assert again.status_code == 409 and "replace" in again.text
    client.post(f"{SOURCE}/orders", json=ORDER)
    assert snapshot(client, replace=True)["resources"] == 4


def test_snapshots_are_listed_read_and_deleted(client: TestClient) -> None:
    seeded(client)
    snapshot(client, "b")
    snapshot(client, "a")
    assert [s["name"] for s in client.get("/_twin/snapshots").json()] == ["a", "b"]
    assert client.get("/_twin/snapshots/a").json()["resources"] == 3
    assert client.delete("/_twin/snapshots/a").json() == {"snapshot": "a", "status": "deleted"}
    assert client.get("/_twin/snapshots/a").status_code == 404
    assert client.delete("/_twin/snapshots/a").status_code == 404
    missing = client.post("/_twin/snapshots/a/fork", json={"session": "x"})
    assert missing.status_code == 404 and "no snapshot named 'a'" in missing.text


def test_bad_names_are_422(client: TestClient) -> None:
    assert client.post("/_twin/sessions/source/snapshot", json={"name": "a b"}).status_code == 422
    snapshot(client)
    assert client.post("/_twin/snapshots/world/fork", json={"session": "a/b"}).status_code == 422


def test_a_fork_given_its_own_seed_keeps_the_world_but_draws_anew(client: TestClient) -> None:
    ids = seeded(client)
    snapshot(client)
    for session, seed in (("a", 1), ("b", 2)):
        response = client.post(
            "/_twin/snapshots/world/fork", json={"session": session, "seed": seed}
        )
        assert response.status_code == 201, response.text
        assert client.get(f"/_twin/sessions/{session}/seed").json()["seed"] == seed
    listed = client.get("/_s/a/bookshop/v1/authors").json()["items"]
    assert [author["id"] for author in listed] == ids
    made = [client.post(f"/_s/{s}/bookshop/v1/authors", json={"name": "D"}).json() for s in "ab"]
    assert made[0]["id"] != made[1]["id"]
