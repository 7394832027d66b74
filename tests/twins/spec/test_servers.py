"""Base path and hosts from a document's servers."""

from __future__ import annotations

from typing import Any

import pytest

from twins.spec.servers import base_path_and_hosts


@pytest.mark.parametrize(
    ("servers", "base_path", "hosts"),
    [
        (None, "", ()),
        ([{"url": "https://api.example.com/v1/"}], "/v1", ("api.example.com",)),
        ([{"url": "https://api.example.com"}], "", ("api.example.com",)),
        ([{"url": "/"}], "", ()),
        ([{"url": "/api/v3"}], "/api/v3", ()),
        ([{"url": "v1"}], "/v1", ()),
        ([{"url": "HTTPS://API.Example.com:8443/x"}], "/x", ("api.example.com",)),
        (
            [{"url": "https://a.example.com/v1"}, {"url": "https://b.example.com/v2"}],
            "/v1",
            ("a.example.com", "b.example.com"),
        ),
        (
            [
                {
                    "url": "{scheme}://{host}/{version}",
                    "variables": {
                        "scheme": {"default": "https"},
                        "host": {"default": "h.io"},
                        "version": {"default": "v9"},
                    },
                }
            ],
            "/v9",
            ("h.io",),
        ),
    ],
)
def test_base_path_comes_from_the_first_server_and_hosts_from_all(
    servers: Any, base_path: str, hosts: tuple[str, ...]
) -> None:
    document = {} if servers is None else {"servers": servers}
    assert base_path_and_hosts(document) == (base_path, hosts)
