"""Stripe: what its API does that no spec says.

- payment intents live their lifecycle: confirm charges the payment method, and Stripe's test
  payment methods decide how (`pm_card_visa` succeeds, `pm_card_chargeDeclined` answers 402
  card_declined, `pm_card_threeDSecure2Required` needs 3D Secure, `pm_usBankAccount_success`
  is processing before it settles); `capture_method=manual` waits in requires_capture;
- confirmations make charges; refunds change the charge (`amount_refunded`, `refunded`);
- `expand[]` turns ids into objects; lists are newest first, paged by object ids;
- every state change records an event (`GET /v1/events`) and owes it, signed, to the webhook
  endpoints that listen;
- subscriptions make invoices and pay them;
- errors are Stripe's `{"error": {...}}`, with Stripe's statuses.

It serves our own `openapi/stripe.yaml` and Stripe's published spec alike: handlers are keyed
by label with path parameter names erased, and records live where the generic engine keeps them.
"""

from twins.catalog.stripe.pack import StripePack

__all__ = ["StripePack"]
