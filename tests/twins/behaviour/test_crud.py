"""What you create you can read, list, update and delete; deleted is gone."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.twins.behaviour.conftest import BOOKS

AUTHOR = {"name": "Ursula K. Le Guin", "country": "US"}


def create_author(client: TestClient, **fields: Any) -> dict[str, Any]:
    response = client.post(f"{BOOKS}/authors", json={**AUTHOR, **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def create_book(client: TestClient, isbn: str, author_id: str, **fields: Any) -> dict[str, Any]:
    body = {"isbn": isbn, "title": f"Book {isbn}", "author_id": author_id, **fields}
    response = client.post(f"{BOOKS}/books", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_created_author_gets_a_server_assigned_id_shaped_like_the_spec(client: TestClient) -> None:
    author = create_author(client)
    assert author["id"].startswith("au_") and len(author["id"]) == 17
    assert author["object"] == "author"
    assert author["name"] == AUTHOR["name"]
    assert author["created_at"].endswith("Z")


def test_created_author_can_be_read_back(client: TestClient) -> None:
    author = create_author(client)
    response = client.get(f"{BOOKS}/authors/{author['id']}")
    assert response.status_code == 200
    assert response.json() == author


def test_optional_fields_the_client_did_not_send_stay_unset(client: TestClient) -> None:
    author = create_author(client)
    assert "bio" not in author and "email" not in author


def test_created_records_appear_in_the_list_in_creation_order(client: TestClient) -> None:
    ids = [create_author(client, name=f"Author {n}")["id"] for n in range(3)]
    listing = client.get(f"{BOOKS}/authors").json()
    assert [a["id"] for a in listing["items"]] == ids
    assert listing["total"] == 3


def test_patch_merges_the_fields_sent_and_keeps_the_rest(client: TestClient) -> None:
    author = create_author(client)
    book = create_book(client, "9780000000001", author["id"], price=1000, genre="fiction")
    response = client.patch(f"{BOOKS}/books/9780000000001", json={"price": 1500})
    assert response.status_code == 200
    patched = response.json()
    assert patched["price"] == 1500
    assert patched["genre"] == "fiction" and patched["title"] == book["title"]
    assert client.get(f"{BOOKS}/books/9780000000001").json()["price"] == 1500


def test_a_key_supplied_by_the_client_names_the_record(client: TestClient) -> None:
    author = create_author(client)
    create_book(client, "9781111111111", author["id"])
    assert client.get(f"{BOOKS}/books/9781111111111").json()["isbn"] == "9781111111111"


def test_deleted_record_is_gone_from_read_and_list(client: TestClient) -> None:
    author = create_author(client)
    assert client.delete(f"{BOOKS}/authors/{author['id']}").status_code == 204
    response = client.get(f"{BOOKS}/authors/{author['id']}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get(f"{BOOKS}/authors").json()["items"] == []


def test_deleting_twice_is_a_404(client: TestClient) -> None:
    author = create_author(client)
    client.delete(f"{BOOKS}/authors/{author['id']}")
    assert client.delete(f"{BOOKS}/authors/{author['id']}").status_code == 404


def test_nested_records_live_under_their_parent(client: TestClient) -> None:
    author = create_author(client)
    create_book(client, "9780000000001", author["id"])
    create_book(client, "9780000000002", author["id"])
    first = client.post(f"{BOOKS}/books/9780000000001/reviews", json={"stars": 5}).json()
    second = client.post(f"{BOOKS}/books/9780000000002/reviews", json={"stars": 2}).json()
    assert first["id"] == second["id"] == 1, "numbering is per parent, like GitHub issues"
    assert first["isbn"] == "9780000000001"
    reviews = client.get(f"{BOOKS}/books/9780000000002/reviews").json()
    assert [r["stars"] for r in reviews] == [2]


def test_a_child_of_a_missing_parent_is_a_404(client: TestClient) -> None:
    response = client.post(f"{BOOKS}/books/9789999999999/reviews", json={"stars": 5})
    assert response.status_code == 404
    assert "books" in response.json()["error"]["message"]
    assert client.get(f"{BOOKS}/books/9789999999999/reviews").status_code == 404


def test_a_new_record_starts_in_the_first_state_of_its_lifecycle(client: TestClient) -> None:
    order = client.post(
        f"{BOOKS}/orders", json={"items": [{"isbn": "9780000000001", "quantity": 1}]}
    )
    assert order.json()["status"] == "pending"


def test_an_action_moves_the_record_along_its_lifecycle(client: TestClient) -> None:
    order = client.post(
        f"{BOOKS}/orders", json={"items": [{"isbn": "9780000000001", "quantity": 1}]}
    ).json()
    canceled = client.post(f"{BOOKS}/orders/{order['id']}/cancel")
    assert canceled.status_code == 200
    assert canceled.json()["status"] == "canceled"
    assert client.get(f"{BOOKS}/orders/{order['id']}").json()["status"] == "canceled"


def test_an_action_on_a_missing_record_is_a_404(client: TestClient) -> None:
    assert client.post(f"{BOOKS}/orders/999/cancel").status_code == 404


@pytest.mark.parametrize("status, expected", [("canceled", 1), ("pending", 2), ("shipped", 0)])
def test_query_parameters_naming_a_field_filter_the_list(
    client: TestClient, status: str, expected: int
) -> None:
    body = {"items": [{"isbn": "9780000000001", "quantity": 1}]}
    orders = [client.post(f"{BOOKS}/orders", json=body).json() for _ in range(3)]
    client.post(f"{BOOKS}/orders/{orders[0]['id']}/cancel")
    listing = client.get(f"{BOOKS}/orders", params={"status": status}).json()
    assert len(listing["data"]) == expected
    assert all(order["status"] == status for order in listing["data"])


def test_form_encoded_bodies_are_accepted_where_the_spec_declares_them(client: TestClient) -> None:
    author = create_author(client)
    response = client.post(
        f"{BOOKS}/books",
        data={
            "isbn": "9780000000009",
            "title": "Formed",
            "author_id": author["id"],
            "price": "250",
            "tags[0]": "sf",
            "tags[1]": "classic",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["price"] == 250
    assert response.json()["tags"] == ["sf", "classic"]


def test_operations_without_state_answer_the_same_each_time(client: TestClient) -> None:
    first = client.get(f"{BOOKS}/stats")
    assert first.status_code == 200
    assert client.get(f"{BOOKS}/stats").content == first.content
