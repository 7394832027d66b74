"""The service's configuration: read only from the environment, checked once at startup."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from examples.orders.variants import VARIANTS, Variant

REPO_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")


class SettingsError(ValueError):
    """The environment does not describe a runnable service; the message says which variable."""


@dataclass(frozen=True)
class Settings:
    stripe_api_base: str
    stripe_api_key: str
    slack_api_base: str
    slack_token: str
    slack_channel: str
    github_api_base: str
    github_token: str
    github_repo: str
    variant: Variant


def settings_from(env: Mapping[str, str]) -> Settings:
    def required(name: str) -> str:
        value = env.get(name, "").strip()
        if not value:
            raise SettingsError(f"{name} is not set")
        return value

    def base_url(name: str) -> str:
        value = required(name).rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise SettingsError(f"{name} must be an http(s) URL, not {value!r}")
        return value

    repo = required("GITHUB_REPO")
    if not REPO_PATTERN.match(repo):
        raise SettingsError(f"GITHUB_REPO must be owner/name, not {repo!r}")
    variant_name = env.get("ORDERS_VARIANT", "").strip() or "correct"
    if variant_name not in VARIANTS:
        known = ", ".join(sorted(VARIANTS))
        raise SettingsError(f"ORDERS_VARIANT {variant_name!r} is unknown; one of: {known}")
    return Settings(
        stripe_api_base=base_url("STRIPE_API_BASE"),
        stripe_api_key=required("STRIPE_API_KEY"),
        slack_api_base=slack_web_api(base_url("SLACK_API_BASE")),
        slack_token=required("SLACK_TOKEN"),
        slack_channel=required("SLACK_CHANNEL"),
        github_api_base=base_url("GITHUB_API_BASE"),
        github_token=required("GITHUB_TOKEN"),
        github_repo=repo,
        variant=VARIANTS[variant_name],
    )


def settings_from_environment() -> Settings:
    return settings_from(os.environ)


def slack_web_api(base: str) -> str:
    """slack_sdk wants the Web API root with a trailing slash (`https://slack.com/api/`).

    A twin's URL (`.../_s/run/slack`) is accepted too, so a scenario runner can pass it as is."""
    return (base if base.endswith("/api") else f"{base}/api") + "/"
