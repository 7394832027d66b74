"""An order service on Stripe, Slack and GitHub, with flawed variants (see README.md)."""
