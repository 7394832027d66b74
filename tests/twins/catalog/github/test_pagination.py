"""GitHub's page-number pagination: `per_page`, `page` and the `Link` header."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

BASE = "/_s/s/github"
LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


def _labels_url(api: TestClient) -> str:
    full_name = api.post(f"{BASE}/user/repos", json={"name": "paged"}).json()["full_name"]
    return f"{BASE}/repos/{full_name}/labels"  # a new repository has GitHub's nine labels


def _links(answer_link: str) -> dict[str, str]:
    return {rel: url for url, rel in LINK.findall(answer_link)}


def test_a_middle_page_links_to_every_other_page_on_the_twin(api: TestClient) -> None:
    url = _labels_url(api)
    answer = api.get(url, params={"per_page": 4, "page": 2})
    assert len(answer.json()) == 4
    links = _links(answer.headers["Link"])
    assert links == {
        "next": f"http://twin.test{url}?per_page=4&page=3",
        "last": f"http://twin.test{url}?per_page=4&page=3",
        "prev": f"http://twin.test{url}?per_page=4&page=1",
        "first": f"http://twin.test{url}?per_page=4&page=1",
    }


def test_the_first_page_has_no_way_back_and_the_last_no_way_on(api: TestClient) -> None:
    url = _labels_url(api)
    first = _links(api.get(url, params={"per_page": 4}).headers["Link"])
    assert sorted(first) == ["last", "next"]
    last = api.get(url, params={"per_page": 4, "page": 3})
    assert len(last.json()) == 1
    assert sorted(_links(last.headers["Link"])) == ["first", "prev"]


def test_a_list_that_fits_one_page_has_no_link_header(api: TestClient) -> None:
    answer = api.get(_labels_url(api))
    assert len(answer.json()) == 9
    assert "Link" not in answer.headers


def test_per_page_is_capped_at_a_hundred_and_bad_values_fall_back(api: TestClient) -> None:
    url = _labels_url(api)
    assert len(api.get(url, params={"per_page": 1000}).json()) == 9
    assert len(api.get(url, params={"per_page": 0}).json()) == 9
    assert api.get(url, params={"page": 5}).json() == []
