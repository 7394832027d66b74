"""Rate limits: quotas per credential, session and operation, on the session's clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from starlette.testclient import TestClient

from tests.conftest import OWN_SPECS
from twins.app import TwinServer
from twins.catalog.pack import Pack
from twins.server import build_server

AUTH = {"Authorization": "Bearer first-secret-token"}
OTHER = {"Authorization": "Bearer second-secret-token"}
AUTHORS = "/_s/s1/bookshop/v1/authors"
EPOCH = 1_700_000_000.0


@pytest.fixture
def server() -> TwinServer:
    return build_server({"bookshop": OWN_SPECS / "bookshop.yaml"}, db="memory", seed=7)


@pytest.fixture
def client(server: TwinServer) -> Iterator[TestClient]:
    with TestClient(server, base_url="http://twin.test", headers=AUTH) as test_client:
        test_client.post("/_twin/sessions/s1/clock", json={"frozen_at": EPOCH})
        yield test_client


def limit(client: TestClient, *quotas: dict[str, Any], session: str = "s1") -> None:
    response = client.put(f"/_twin/sessions/{session}/limits", json={"quotas": list(quotas)})
    assert response.status_code == 200, response.text


def advance(client: TestClient, seconds: float, session: str = "s1") -> None:
    client.post(f"/_twin/sessions/{session}/clock", json={"advance": seconds})


def statuses(client: TestClient, times: int, url: str = AUTHORS, **kwargs: Any) -> list[int]:
    return [client.get(url, **kwargs).status_code for _ in range(times)]


def test_replies_a_quota_covers_carry_the_rate_limit_headers(client: TestClient) -> None:
    limit(client, {"operation": "GET /authors", "limit": 3, "window": 60})
    first = client.get(AUTHORS)
    second = client.get(AUTHORS)
    assert first.status_code == 200
    assert first.headers["X-RateLimit-Limit"] == "3"
    assert first.headers["X-RateLimit-Remaining"] == "2"
    assert second.headers["X-RateLimit-Remaining"] == "1"
    assert first.headers["X-RateLimit-Reset"] == str(int(EPOCH + 60))


def test_a_request_over_quota_is_refused_with_retry_after_and_a_429_body(
    client: TestClient,
) -> None:
    limit(client, {"operation": "GET /authors", "limit": 2, "window": 60})
    statuses(client, 2)
    advance(client, 15)
    refused = client.get(AUTHORS)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "45"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert "rate limit exceeded" in refused.json()["detail"]


def test_waiting_as_long_as_retry_after_says_refills_the_quota(client: TestClient) -> None:
    limit(client, {"operation": "GET /authors", "limit": 1, "window": 30})
    client.get(AUTHORS)
    refused = client.get(AUTHORS)
    advance(client, float(refused.headers["Retry-After"]))
    again = client.get(AUTHORS)
    assert again.status_code == 200
    assert again.headers["X-RateLimit-Remaining"] == "0"
    assert again.headers["X-RateLimit-Reset"] == str(int(EPOCH + 60))


def test_refused_requests_do_not_use_up_the_next_window(client: TestClient) -> None:
    limit(client, {"operation": "GET /authors", "limit": 2, "window": 10})
    assert statuses(client, 5) == [200, 200, 429, 429, 429]
    advance(client, 10)
    assert statuses(client, 3) == [200, 200, 429]


def test_quotas_per_credential_count_each_credential_apart(client: TestClient) -> None:
    limit(client, {"operation": "GET /authors", "limit": 1, "window": 60, "per": "credential"})
    assert statuses(client, 2) == [200, 429]
    assert statuses(client, 2, headers=OTHER) == [200, 429]


def test_a_quota_per_session_counts_every_credential_together(client: TestClient) -> None:
    limit(client, {"operation": "GET /authors", "limit": 2, "window": 60, "per": "session"})
    assert statuses(client, 1) + statuses(client, 2, headers=OTHER) == [200, 200, 429]


def test_a_quota_per_operation_counts_each_operation_apart(client: TestClient) -> None:
    limit(client, {"operation": "GET *", "limit": 1, "window": 60, "per": "operation"})
    assert statuses(client, 2) == [200, 429]
    assert statuses(client, 2, url="/_s/s1/bookshop/v1/books") == [200, 429]


def test_operations_outside_the_glob_are_neither_counted_nor_labelled(client: TestClient) -> None:
    limit(client, {"operation": "POST /*", "limit": 1, "window": 60})
    for _ in range(3):
        reply = client.get(AUTHORS)
        assert reply.status_code == 200
        assert "X-RateLimit-Limit" not in reply.headers


def test_repeated_reads_are_counted_even_though_replies_are_cached(client: TestClient) -> None:
    limit(client, {"operation": "GET /authors", "limit": 3, "window": 60})
    assert statuses(client, 4) == [200, 200, 200, 429]


def test_the_tightest_quota_speaks_in_the_headers_and_any_spent_one_refuses(
    client: TestClient,
) -> None:
    limit(
        client,
        {"operation": "*", "limit": 100, "window": 3600},
        {"operation": "GET /authors", "limit": 2, "window": 60},
    )
    first = client.get(AUTHORS)
    assert (first.headers["X-RateLimit-Limit"], first.headers["X-RateLimit-Remaining"]) == (
        "2",
        "1",
    )
    assert statuses(client, 2) == [200, 429]
    books = client.get("/_s/s1/bookshop/v1/books")
    assert books.headers["X-RateLimit-Limit"] == "100"
    assert books.headers["X-RateLimit-Remaining"] == "97", "the refused request did not count"


def test_twin_quotas_apply_to_every_session_without_its_own(client: TestClient) -> None:
    response = client.put(
        "/_twin/twins/bookshop/limits",
        json={"quotas": [{"operation": "GET /authors", "limit": 1, "window": 60}]},
    )
    assert response.status_code == 200
    assert statuses(client, 2) == [200, 429]
    assert statuses(client, 2, url="/_s/s2/bookshop/v1/authors") == [200, 429]


def test_a_sessions_own_quotas_replace_the_twins(client: TestClient) -> None:
    client.put(
        "/_twin/twins/bookshop/limits",
        json={"quotas": [{"operation": "GET /authors", "limit": 1, "window": 60}]},
    )
    limit(client, {"twin": "book*", "operation": "GET /authors", "limit": 3, "window": 60})
    assert statuses(client, 4) == [200, 200, 200, 429]
    limit(client, session="s2")  # an empty list: no limits at all in s2
    assert statuses(client, 3, url="/_s/s2/bookshop/v1/authors") == [200, 200, 200]


class LimitedPack(Pack):
    name: ClassVar[str] = "limited"
    rate_limits: ClassVar[tuple[tuple[str, int, float, str], ...]] = (
        ("GET /authors", 1, 60.0, "credential"),
    )
    rate_limit_headers: ClassVar[tuple[tuple[str, str], ...]] = (
        ("limit", "X-RateLimit-Limit"),
        ("remaining", "X-RateLimit-Remaining"),
        ("used", "X-RateLimit-Used"),
        ("resource", "X-RateLimit-Resource"),
    )


class SilentPack(Pack):
    name: ClassVar[str] = "silent"
    rate_limits: ClassVar[tuple[tuple[str, int, float, str], ...]] = (
        ("GET /authors", 1, 60.0, "session"),
    )
    rate_limit_headers: ClassVar[tuple[tuple[str, str], ...]] = ()


def test_a_packs_default_quotas_and_header_names_apply_until_replaced(
    server: TwinServer, client: TestClient
) -> None:
    twin = server.twins["bookshop"]
    twin.pack = LimitedPack("bookshop", twin.spec)
    first = client.get(AUTHORS)
    assert first.headers["X-RateLimit-Used"] == "1"
    assert first.headers["X-RateLimit-Resource"] == "GET /authors"
    assert "X-RateLimit-Reset" not in first.headers
    assert client.get(AUTHORS).status_code == 429
    described = client.get("/_twin/twins/bookshop/limits").json()
    assert described["source"] == "pack"
    client.put("/_twin/twins/bookshop/limits", json={"quotas": []})
    assert client.get(AUTHORS).status_code == 200
    assert client.delete("/_twin/twins/bookshop/limits").json()["source"] == "pack"
    assert client.get(AUTHORS).status_code == 429


def test_a_pack_without_rate_limit_headers_still_refuses_with_retry_after(
    server: TwinServer, client: TestClient
) -> None:
    twin = server.twins["bookshop"]
    twin.pack = SilentPack("bookshop", twin.spec)
    assert not [h for h in client.get(AUTHORS).headers if h.lower().startswith("x-ratelimit")]
    refused = client.get(AUTHORS)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"


def test_a_session_reset_forgets_its_quotas_and_open_windows(client: TestClient) -> None:
    limit(client, {"operation": "GET /authors", "limit": 1, "window": 3600})
    statuses(client, 1)
    assert client.post("/_twin/sessions/s1/reset").status_code == 200
    assert client.get("/_twin/sessions/s1/limits").json()["quotas"] is None
    assert statuses(client, 3) == [200, 200, 200]


def test_credentials_are_kept_as_hashes_never_in_clear(client: TestClient) -> None:
    limit(client, {"operation": "GET /authors", "limit": 1, "window": 60})
    statuses(client, 2)
    usage = client.get("/_twin/sessions/s1/limits").json()["usage"]
    journal = client.get("/_twin/sessions/s1/journal").text
    assert [u["scope"].startswith("credential:") for u in usage] == [True]
    assert "first-secret-token" not in str(usage) + journal


def test_the_journal_says_which_quota_refused_a_request(client: TestClient) -> None:
    limit(client, {"operation": "GET /authors", "limit": 1, "window": 60, "per": "session"})
    statuses(client, 2)
    entries = client.get("/_twin/sessions/s1/journal").json()
    assert [e["status"] for e in entries] == [200, 429]
    note = entries[1]["extra"]["rate_limit"]
    assert (note["operation"], note["limit"], note["per"], note["retry_after"]) == (
        "GET /authors",
        1,
        "session",
        60.0,
    )


KEYED_SPEC = """
openapi: 3.0.3
info: {title: Keyed, version: "1"}
security: [{key: []}]
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Api-Key}
"""


def test_an_api_key_the_spec_names_is_the_credential_a_quota_counts_by(tmp_path: Path) -> None:
    spec = tmp_path / "keyed.yaml"
    spec.write_text(KEYED_SPEC)
    with TestClient(build_server({"keyed": spec}, db="memory"), base_url="http://t") as keyed:
        keyed.put(
            "/_twin/twins/keyed/limits",
            json={"quotas": [{"operation": "GET /things", "limit": 1, "window": 60}]},
        )
        url = "/_s/k/keyed/things"
        assert statuses(keyed, 2, url=url, headers={"X-Api-Key": "one"}) == [200, 429]
        assert statuses(keyed, 2, url=url, headers={"X-Api-Key": "two"}) == [200, 429]
