"""A twin's coverage on the control plane: a self-contained HTML page and its JSON."""

from __future__ import annotations

from starlette.testclient import TestClient


def test_the_coverage_page_is_html_without_scripts(client: TestClient) -> None:
    response = client.get("/_twin/twins/bookshop/coverage")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "bookshop: implementation coverage" in response.text
    assert "<code>POST /orders/{orderId}/cancel</code>" in response.text
    assert "<script" not in response.text


def test_the_coverage_json_counts_each_level(client: TestClient) -> None:
    found = client.get("/_twin/twins/bookshop/coverage.json").json()
    assert found["counts"] == {"pack": 0, "crud": 15, "generated": 1, "unsupported": 0}
    assert found["operations"][0] == {
        "label": "GET /authors",
        "method": "GET",
        "path": "/authors",
        "level": "crud",
        "behaviour": "list",
        "resource": "authors",
        "action": None,
        "operation_id": "listAuthors",
        "reason": "",
        "does": "list authors",
    }


def test_coverage_of_an_unknown_twin_is_404(client: TestClient) -> None:
    assert client.get("/_twin/twins/nope/coverage").status_code == 404
    assert client.get("/_twin/twins/nope/coverage.json").status_code == 404
