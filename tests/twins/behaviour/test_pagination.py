"""Lists page by the spec's own parameters and say where the next page is."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from starlette.testclient import TestClient

from tests.twins.behaviour.conftest import BOOKS


def make_authors(client: TestClient, count: int) -> list[str]:
    return [
        client.post(f"{BOOKS}/authors", json={"name": f"Author {n}"}).json()["id"]
        for n in range(count)
    ]


def make_orders(client: TestClient, count: int) -> list[int]:
    body = {"items": [{"isbn": "9780000000001", "quantity": 1}]}
    return [client.post(f"{BOOKS}/orders", json=body).json()["id"] for _ in range(count)]


def test_limit_and_offset_cut_a_page_and_total_counts_everything(client: TestClient) -> None:
    ids = make_authors(client, 7)
    page = client.get(f"{BOOKS}/authors", params={"limit": 3, "offset": 3}).json()
    assert [a["id"] for a in page["items"]] == ids[3:6]
    assert page["total"] == 7


def test_cursor_pages_walk_the_whole_list_exactly_once(client: TestClient) -> None:
    author = make_authors(client, 1)[0]
    isbns = [f"97800000000{n:02d}" for n in range(5)]
    for isbn in isbns:
        client.post(f"{BOOKS}/books", json={"isbn": isbn, "title": "t", "author_id": author})
    seen: list[str] = []
    params: dict[str, str | int] = {"limit": 2}
    while True:
        page = client.get(f"{BOOKS}/books", params=params).json()
        seen.extend(book["isbn"] for book in page["data"])
        if not page["has_more"]:
            assert page["next_cursor"] is None
            break
        params = {"limit": 2, "cursor": page["next_cursor"]}
    assert seen == isbns


def test_a_cursor_stays_valid_when_earlier_records_are_deleted(client: TestClient) -> None:
    author = make_authors(client, 1)[0]
    for n in range(4):
        client.post(
            f"{BOOKS}/books", json={"isbn": f"978000000000{n}", "title": "t", "author_id": author}
        )
    first = client.get(f"{BOOKS}/books", params={"limit": 2}).json()
    client.delete(f"{BOOKS}/books/9780000000000")
    second = client.get(f"{BOOKS}/books", params={"limit": 2, "cursor": first["next_cursor"]})
    assert [b["isbn"] for b in second.json()["data"]] == ["9780000000002", "9780000000003"]


def test_starting_after_continues_after_the_named_record(client: TestClient) -> None:
    ids = make_orders(client, 5)
    page = client.get(f"{BOOKS}/orders", params={"limit": 2, "starting_after": ids[1]}).json()
    assert [o["id"] for o in page["data"]] == ids[2:4]
    assert page["has_more"] is True
    assert page["url"] == "/orders"


def test_page_and_per_page_page_an_array_with_link_headers(client: TestClient) -> None:
    author = make_authors(client, 1)[0]
    client.post(f"{BOOKS}/books", json={"isbn": "9780000000001", "title": "t", "author_id": author})
    for stars in (1, 2, 3, 4, 5):
        client.post(f"{BOOKS}/books/9780000000001/reviews", json={"stars": stars})
    response = client.get(f"{BOOKS}/books/9780000000001/reviews", params={"per_page": 2, "page": 2})
    assert [r["stars"] for r in response.json()] == [3, 4]
    links = {
        part.split(";")[1].strip(): part.split(";")[0].strip(" <>")
        for part in response.headers["link"].split(",")
    }
    assert set(links) == {'rel="next"', 'rel="last"', 'rel="prev"', 'rel="first"'}
    next_url = urlparse(links['rel="next"'])
    assert next_url.path == f"{BOOKS}/books/9780000000001/reviews"
    assert parse_qs(next_url.query) == {"per_page": ["2"], "page": ["3"]}
    follow = client.get(f"{next_url.path}?{next_url.query}")
    assert [r["stars"] for r in follow.json()] == [5]
    assert 'rel="next"' not in follow.headers.get("link", "")


def test_links_point_at_the_twin_and_session_the_client_used(client: TestClient) -> None:
    path = "/_s/paging/bookshop/v1"
    author = client.post(f"{path}/authors", json={"name": "A"}).json()["id"]
    client.post(f"{path}/books", json={"isbn": "9780000000001", "title": "t", "author_id": author})
    for _ in range(3):
        client.post(f"{path}/books/9780000000001/reviews", json={"stars": 3})
    link = client.get(f"{path}/books/9780000000001/reviews", params={"per_page": 1}).headers["link"]
    assert link.startswith(f"<http://twin.test{path}/books/9780000000001/reviews?")


def test_an_empty_list_is_an_empty_page(client: TestClient) -> None:
    page = client.get(f"{BOOKS}/orders").json()
    assert page == {"object": "list", "data": [], "has_more": False, "url": "/orders"}


def test_absurd_page_numbers_are_an_empty_page_not_a_500(client: TestClient) -> None:
    author = make_authors(client, 1)[0]
    client.post(f"{BOOKS}/books", json={"isbn": "9780000000001", "title": "t", "author_id": author})
    response = client.get(
        f"{BOOKS}/books/9780000000001/reviews", params={"per_page": 24, "page": 4807821867116236800}
    )
    assert response.status_code == 200
    assert response.json() == []
