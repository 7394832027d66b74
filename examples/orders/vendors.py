"""The three vendors through their official SDKs, each retried as the variant says.

The SDKs' own retries are switched off so that the variant alone decides what is tried again."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import github
import stripe
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from examples.orders.retry import Transient, retry_after_seconds, with_retries
from examples.orders.settings import Settings
from examples.orders.variants import Variant

T = TypeVar("T")
log = logging.getLogger("examples.orders")
VENDOR_TIMEOUT_SECONDS = 10


def stripe_transient(error: Exception) -> Transient | None:
    """A 429, a 5xx, or no reply at all: Stripe asks to be asked again (with the same key)."""
    if isinstance(error, stripe.RateLimitError) or (
        isinstance(error, stripe.APIError) and (error.http_status or 0) >= 500
    ):
        return Transient(retry_after_seconds(error.headers))
    if isinstance(error, stripe.APIConnectionError):
        return Transient(None)
    return None


def slack_transient(error: Exception) -> Transient | None:
    # Only a 429: a message whose reply was lost may have been posted, and posting is not
    # idempotent at Slack, so anything else is not tried again.
    if isinstance(error, SlackApiError) and error.response.status_code == 429:
        return Transient(retry_after_seconds(error.response.headers))
    return None


def github_transient(error: Exception) -> Transient | None:
    # As for Slack: a second "create issue" after a lost reply would file the issue twice.
    if isinstance(error, github.RateLimitExceededException) or (
        isinstance(error, github.GithubException) and error.status == 429
    ):
        return Transient(retry_after_seconds(error.headers))
    return None


@dataclass(frozen=True)
class Charge:
    payment_intent: str
    status: str


class Declined(Exception):
    """The card was declined: a 402 from Stripe, which no retry changes."""

    def __init__(self, reason: str, payment_intent: str | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.payment_intent = payment_intent


class Payments:
    def __init__(self, settings: Settings) -> None:
        self.variant: Variant = settings.variant
        self.client = stripe.StripeClient(
            settings.stripe_api_key,
            base_addresses={"api": settings.stripe_api_base},
            max_network_retries=0,
            http_client=stripe.RequestsClient(timeout=VENDOR_TIMEOUT_SECONDS),
        )
        self.customers: dict[str, str] = {}

    def customer_for(self, email: str) -> str:
        known = self.customers.get(email)
        if known is not None:
            return known
        customer = self._write(
            lambda options: self.client.v1.customers.create(
                params={"email": email}, options=options
            ),
            key=f"customer-{hashlib.sha256(email.encode()).hexdigest()[:32]}",
        )
        self.customers[email] = customer.id
        return customer.id

    def charge(
        self, order_id: str, customer: str, amount: int, currency: str, item: str, method: str
    ) -> Charge:
        """Create and confirm a payment intent in one request: a lost reply may mean money moved."""
        try:
            intent = self._write(
                lambda options: self.client.v1.payment_intents.create(
                    params={
                        "amount": amount,
                        "currency": currency,
                        "customer": customer,
                        "payment_method": method,
                        "confirm": True,
                        "description": item,
                        "metadata": {"order_id": order_id},
                    },
                    options=options,
                ),
                key=f"order-{order_id}-payment",
            )
        except stripe.CardError as error:
            raise Declined(_decline_reason(error), _declined_intent(error)) from error
        return Charge(payment_intent=intent.id, status=intent.status)

    def refund(self, order_id: str, payment_intent: str) -> str:
        refund = self._write(
            lambda options: self.client.v1.refunds.create(
                params={"payment_intent": payment_intent}, options=options
            ),
            key=f"order-{order_id}-refund",
        )
        return refund.id

    def _write(self, call: Callable[[stripe.RequestOptions], T], key: str) -> T:
        options: stripe.RequestOptions = (
            {"idempotency_key": key} if self.variant.idempotent_payments else {}
        )
        return with_retries(
            lambda: call(options), attempts=self.variant.attempts, transient=stripe_transient
        )


def _decline_reason(error: stripe.CardError) -> str:
    details = error.error
    code = (details.decline_code or details.code) if details is not None else None
    return code or error.code or "card_declined"


def _declined_intent(error: stripe.CardError) -> str | None:
    intent = getattr(error.error, "payment_intent", None) if error.error is not None else None
    if isinstance(intent, str):
        return intent
    identifier = getattr(intent, "id", None) or (
        intent.get("id") if isinstance(intent, dict) else None
    )
    return identifier if isinstance(identifier, str) else None


class Notifier:
    """Messages to the team's Slack channel; a failure to notify is logged, not raised."""

    def __init__(self, settings: Settings) -> None:
        self.attempts = settings.variant.attempts
        self.channel = settings.slack_channel
        self.client = WebClient(
            token=settings.slack_token,
            base_url=settings.slack_api_base,
            timeout=VENDOR_TIMEOUT_SECONDS,
            retry_handlers=[],
        )

    def say(self, text: str) -> bool:
        try:
            with_retries(
                lambda: self.client.chat_postMessage(channel=self.channel, text=text),
                attempts=self.attempts,
                transient=slack_transient,
            )
        except Exception as error:  # any failure: the order itself stands
            log.warning("could not notify %s: %s", self.channel, error)
            return False
        return True


class IssueTracker:
    """Issues in the team's GitHub repository; a failure to file is logged, not raised."""

    def __init__(self, settings: Settings) -> None:
        self.attempts = settings.variant.attempts
        self.repo_name = settings.github_repo
        self.client = github.Github(
            base_url=settings.github_api_base,
            auth=github.Auth.Token(settings.github_token),
            timeout=VENDOR_TIMEOUT_SECONDS,
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=None,
        )

    def file(self, title: str, body: str) -> str | None:
        """The issue's URL, or None when it could not be filed."""
        try:
            repo = self.client.get_repo(self.repo_name, lazy=True)
            issue = with_retries(
                lambda: repo.create_issue(title=title, body=body, labels=["bug"]),
                attempts=self.attempts,
                transient=github_transient,
            )
        except Exception as error:  # any failure: the order's outcome is already decided
            log.warning("could not file an issue in %s: %s", self.repo_name, error)
            return None
        return str(issue.html_url)
