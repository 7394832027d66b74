"""How the service behaves when vendors misbehave: the correct strategy and three flawed ones.

Each flawed variant differs from `correct` in one field, so what the gate catches is one bug."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str
    # Attempts per vendor call, the first included: a 429, a 5xx or a lost reply is tried again.
    attempts: int
    # Stripe writes carry a key derived from the order, so a retry replays the first answer
    # instead of acting again. Without it the SDK still sends a key, but a fresh random one
    # per call, which protects nothing across our own retries.
    idempotent_payments: bool
    notify_on_success: bool
    notify_on_refund: bool


CORRECT = Variant(
    name="correct",
    attempts=3,
    idempotent_payments=True,
    notify_on_success=True,
    notify_on_refund=True,
)

VARIANTS: dict[str, Variant] = {
    "correct": CORRECT,
    # Wrong: a 429 or 503 is the vendor asking to be asked again later. Giving up on the first
    # one fails an order that would have gone through a moment later.
    "no_retry": Variant(
        name="no_retry",
        attempts=1,
        idempotent_payments=True,
        notify_on_success=True,
        notify_on_refund=True,
    ),
    # Wrong: it retries, but each retry of "create and confirm the payment" is a new request.
    # When the reply was lost after Stripe charged the card (a timeout, a dropped connection),
    # the retry charges the customer a second time.
    "double_charge": Variant(
        name="double_charge",
        attempts=3,
        idempotent_payments=False,
        notify_on_success=True,
        notify_on_refund=True,
    ),
    # Wrong: the money moves back but nobody is told; the team watching the channel sees the
    # sale and never the refund, so the channel's tally is off.
    "silent": Variant(
        name="silent",
        attempts=3,
        idempotent_payments=True,
        notify_on_success=True,
        notify_on_refund=False,
    ),
}
