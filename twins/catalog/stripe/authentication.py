"""3D Secure, completed: the page `next_action` sends the customer to.

At Stripe the customer authenticates on a page Stripe hosts, then returns to the merchant's
`return_url`. The twin stands in for that page at `GET /3d_secure_2/authenticate/{intent}`
(the URL in `next_action.redirect_to_url.url` and `use_stripe_sdk.stripe_js`): following it
authenticates and the payment goes on (succeeds, waits for capture, or is declined after all);
`&outcome=fail` fails authentication. It answers with a redirect to the `return_url` (with
`payment_intent`, `payment_intent_client_secret` and `redirect_status`, as Stripe adds them),
or with a short page when there is none. It needs no API key: a browser follows it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from twins.behaviour.call import Call, Reply
from twins.catalog.stripe.attempts import (
    AUTHENTICATION_PATH,
    authentication_failed,
    charge_card,
)
from twins.catalog.stripe.cards import TestCard
from twins.catalog.stripe.facts import facts
from twins.catalog.stripe.instruments import instrument_of
from twins.catalog.stripe.kinds import PAYMENT_INTENT, PAYMENT_METHOD
from twins.catalog.stripe.params import text
from twins.catalog.stripe.routes import routes
from twins.catalog.stripe.session import opened
from twins.spec.model import Operation, Parameter

LABEL = f"GET {AUTHENTICATION_PATH}/{{intent}}"


def authentication_operation() -> Operation:
    """The route of the stand-in page (no spec declares it)."""
    text_schema = {"type": "string", "maxLength": 5000}
    return Operation(
        method="GET",
        path=f"{AUTHENTICATION_PATH}/{{intent}}",
        operation_id="dtuStripeAuthenticate",
        summary="Complete (or fail) 3D Secure for a payment intent",
        parameters=(
            Parameter("intent", "path", True, text_schema, "simple", False, ""),
            Parameter("client_secret", "query", True, text_schema, "form", True, ""),
            Parameter(
                "outcome",
                "query",
                False,
                {"type": "string", "enum": ["complete", "fail"]},
                "form",
                True,
                "",
            ),
        ),
        request_body=None,
        responses={},
        security=(),
        pointer="",
    )


@routes(LABEL)
def authenticate(call: Call) -> Reply:
    with call.store.transaction():  # a GET runs outside one; the payment must land whole
        objects = opened(call)
        ident = call.path_params.get("intent", "")
        intent = objects.get(PAYMENT_INTENT, ident)
        if intent is None or text(call.query, "client_secret") != intent["client_secret"]:
            return _page(404, "No payment is waiting for authentication here.")
        if intent["status"] != "requires_action":
            return _page(409, f"This payment is {intent['status']}; nothing to authenticate.")
        method = objects.get(PAYMENT_METHOD, str(intent.get("payment_method")))
        instrument = instrument_of(objects, method) if method is not None else None
        if (
            method is None
            or not isinstance(instrument, TestCard)
            or text(call.query, "outcome") == "fail"
        ):
            authentication_failed(objects, intent)
        else:
            charge_card(objects, intent, method, instrument, authenticated=True)
        objects.save(intent)
    return_url = facts(objects, ident).get("return_url")
    if not return_url:
        return _page(200, f"Authentication finished: the payment is {intent['status']}.")
    status = "succeeded" if intent["status"] in ("succeeded", "requires_capture") else "failed"
    query = urlencode(
        {
            "payment_intent": ident,
            "payment_intent_client_secret": intent["client_secret"],
            "redirect_status": status,
        }
    )
    separator = "&" if "?" in return_url else "?"
    return Reply(302, None, None, [("Location", f"{return_url}{separator}{query}")])


def _page(status: int, message: str) -> Reply:
    html = f"<!doctype html><title>3D Secure</title><p>{message}</p>"
    return Reply(status, html, "text/html")
