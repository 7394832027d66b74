"""The service's configuration comes from the environment and is checked before it starts."""

from __future__ import annotations

import pytest

from examples.orders.settings import SettingsError, settings_from

TWIN = "http://127.0.0.1:8080/_s/run-17"
ENV = {
    "STRIPE_API_BASE": f"{TWIN}/stripe",
    "STRIPE_API_KEY": "sk_test_x",
    "SLACK_API_BASE": f"{TWIN}/slack",
    "SLACK_TOKEN": "xoxb-x",
    "SLACK_CHANNEL": "#orders",
    "GITHUB_API_BASE": f"{TWIN}/github/",
    "GITHUB_TOKEN": "ghp_x",
    "GITHUB_REPO": "acme/shop",
}


def test_the_variant_is_correct_unless_the_environment_names_another() -> None:
    assert settings_from(ENV).variant.name == "correct"
    assert settings_from(ENV | {"ORDERS_VARIANT": "silent"}).variant.name == "silent"


@pytest.mark.parametrize(
    "base", [f"{TWIN}/slack", f"{TWIN}/slack/", f"{TWIN}/slack/api", f"{TWIN}/slack/api/"]
)
def test_a_slack_twin_url_is_taken_with_or_without_its_api_root(base: str) -> None:
    assert settings_from(ENV | {"SLACK_API_BASE": base}).slack_api_base == f"{TWIN}/slack/api/"


def test_base_urls_lose_their_trailing_slash() -> None:
    assert settings_from(ENV).github_api_base == f"{TWIN}/github"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"STRIPE_API_KEY": ""}, "STRIPE_API_KEY is not set"),
        ({"GITHUB_API_BASE": "api.github.com"}, "GITHUB_API_BASE must be an http(s) URL"),
        ({"GITHUB_REPO": "shop"}, "GITHUB_REPO must be owner/name"),
        ({"ORDERS_VARIANT": "sloppy"}, "ORDERS_VARIANT 'sloppy' is unknown"),
    ],
)
def test_a_bad_environment_is_refused_naming_the_variable(
    change: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        settings_from(ENV | change)
