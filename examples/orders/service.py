"""Orders: charge, notify, file an issue when payment fails, refund. Kept in memory."""

from __future__ import annotations

import threading
import uuid
from dataclasses import asdict, dataclass
from typing import Any, Literal

import stripe

from examples.orders.vendors import Declined, IssueTracker, Notifier, Payments

Status = Literal["pending", "paid", "declined", "failed", "refunding", "refunded"]
MAX_ORDERS = 10_000  # in memory: the oldest are forgotten past this


@dataclass
class Order:
    id: str
    email: str
    amount: int
    currency: str
    item: str
    status: Status = "pending"
    payment_intent: str | None = None
    refund: str | None = None
    failure: str | None = None
    issue_url: str | None = None

    def view(self) -> dict[str, Any]:
        return asdict(self)


class OrderError(Exception):
    """An order that cannot go on, with the HTTP status that says why."""

    def __init__(self, status: int, message: str, order: Order | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.order = order


class OrderService:
    def __init__(self, payments: Payments, notifier: Notifier, issues: IssueTracker) -> None:
        self.payments = payments
        self.notifier = notifier
        self.issues = issues
        self.variant = payments.variant
        self.orders: dict[str, Order] = {}
        self.lock = threading.Lock()

    def place(
        self, email: str, amount: int, currency: str, item: str, payment_method: str
    ) -> Order:
        order = Order(f"ord_{uuid.uuid4().hex[:16]}", email, amount, currency, item)
        self._keep(order)
        try:
            customer = self.payments.customer_for(email)
            charge = self.payments.charge(
                order.id, customer, amount, currency, item, payment_method
            )
        except Declined as decline:
            order.status, order.failure = "declined", decline.reason
            order.payment_intent = decline.payment_intent
            self._report_failure(order)
            raise OrderError(402, f"payment declined: {decline.reason}", order) from decline
        except stripe.StripeError as error:
            order.status, order.failure = "failed", _describe(error)
            self._report_failure(order)
            raise OrderError(502, f"payment provider failed: {order.failure}", order) from error
        order.payment_intent = charge.payment_intent
        if charge.status != "succeeded":
            # e.g. a card that needs 3D Secure: this service has no customer present to do it
            order.status, order.failure = "failed", f"payment {charge.status}"
            self._report_failure(order)
            raise OrderError(402, f"payment not completed: {charge.status}", order)
        order.status = "paid"
        if self.variant.notify_on_success:
            self.notifier.say(
                f"Order {order.id} paid: {_money(order)} for {order.item} ({order.email})"
            )
        return order

    def get(self, order_id: str) -> Order:
        with self.lock:
            order = self.orders.get(order_id)
        if order is None:
            raise OrderError(404, f"no order {order_id!r}")
        return order

    def refund(self, order_id: str) -> Order:
        order = self.get(order_id)
        with self.lock:  # one refund at a time per order
            if order.status != "paid" or order.payment_intent is None:
                raise OrderError(409, f"order {order_id} is {order.status}, not paid", order)
            order.status = "refunding"
        try:
            order.refund = self.payments.refund(order.id, order.payment_intent)
        except stripe.StripeError as error:
            order.status = "paid"
            raise OrderError(502, f"refund failed: {_describe(error)}", order) from error
        order.status = "refunded"
        if self.variant.notify_on_refund:
            self.notifier.say(f"Order {order.id} refunded: {_money(order)} to {order.email}")
        return order

    def _keep(self, order: Order) -> None:
        with self.lock:
            if len(self.orders) >= MAX_ORDERS:
                del self.orders[next(iter(self.orders))]
            self.orders[order.id] = order

    def _report_failure(self, order: Order) -> None:
        self.notifier.say(f"Order {order.id} failed: {_money(order)}, {order.failure}")
        order.issue_url = self.issues.file(
            f"Payment failed for order {order.id}",
            f"Order `{order.id}` ({order.item}, {_money(order)}, {order.email}) was not paid.\n\n"
            f"- reason: {order.failure}\n- payment intent: {order.payment_intent or 'none'}\n",
        )


# Stripe's amounts are in the currency's smallest unit; these have no decimals at all.
ZERO_DECIMAL = frozenset({"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf"})


def _money(order: Order) -> str:
    if order.currency.lower() in ZERO_DECIMAL:
        return f"{order.amount} {order.currency.upper()}"
    return f"{order.amount / 100:.2f} {order.currency.upper()}"


def _describe(error: stripe.StripeError) -> str:
    status = f"HTTP {error.http_status}" if error.http_status else "no reply"
    return f"{type(error).__name__} ({status}): {error.user_message or error}"
