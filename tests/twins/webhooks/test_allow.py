"""The webhook allow-list: loopback unless told otherwise, checked without resolving names."""

from __future__ import annotations

import httpx
import pytest

from twins.errors import ConfigError
from twins.webhooks import AllowList


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://127.9.9.9/hook",
        "http://localhost:3000/hook",
        "http://LOCALHOST./hook",
        "http://[::1]:8080/hook",
        "https://[::ffff:127.0.0.1]/hook",
    ],
)
def test_loopback_is_allowed_by_default(url: str) -> None:
    assert AllowList.parse(None).refusal(url) is None


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("http://example.com/hook", "not on the webhook allow-list"),
        ("http://10.0.0.1/hook", "not on the webhook allow-list"),
        ("http://[fe80::1]/hook", "not on the webhook allow-list"),
        ("http://127.0.0.1.nip.io/hook", "not on the webhook allow-list"),
        ("ftp://127.0.0.1/hook", "not an http(s) URL"),
        ("http:///hook", "names no host"),
        ("http://127.0.0.1:99999/hook", "not a usable URL"),
        ("http://127.0.0.1/" + "x" * 3000, "the limit is 2048"),
        ("http://127.0.0.1/\x00", "control characters"),
        ("http://evil.test\t@localhost/", "control characters"),
    ],
)
def test_anything_else_is_refused_saying_why(url: str, complaint: str) -> None:
    refusal = AllowList.parse(None).refusal(url)
    assert refusal is not None and complaint in refusal


def test_names_wildcards_addresses_and_networks_can_be_allowed() -> None:
    allow = AllowList.parse("hooks.test, *.internal.test,10.0.0.0/8,192.168.1.7")
    assert allow.allows("hooks.test") and allow.allows("HOOKS.TEST")
    assert allow.allows("a.b.internal.test") and not allow.allows("internal.test.evil")
    assert allow.allows("10.200.0.1") and not allow.allows("11.0.0.1")
    assert allow.allows("192.168.1.7") and not allow.allows("192.168.1.8")
    assert not allow.allows("sub.hooks.test"), "a name allows itself, not its subdomains"


def test_a_star_allows_every_host() -> None:
    assert AllowList.parse("*").allows("anything.example")


def test_loopback_can_be_left_out() -> None:
    allow = AllowList.parse("hooks.test", loopback=False)
    assert not allow.allows("127.0.0.1") and allow.allows("hooks.test")


@pytest.mark.parametrize("entry", ["bad host", "-x.test", "a..b", "*.", "hoo/ks"])
def test_an_entry_that_is_no_host_is_a_config_error(entry: str) -> None:
    with pytest.raises(ConfigError, match="allow-list entry"):
        AllowList.parse(entry)


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost\\@evil.test/",
        "http://localhost:80@evil.test/",
        "http://localhost%2f@evil.test/",
        "http://127.0.0.1#@evil.test/",
    ],
)
def test_a_url_whose_host_parsers_could_read_differently_is_judged_by_the_real_host(
    url: str,
) -> None:
    # The host httpx would connect to is the one judged.
    allow = AllowList.parse(None)
    assert (allow.refusal(url) is None) == allow.allows(httpx.URL(url).host)
