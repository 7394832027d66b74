"""The order service over HTTP: `python -m examples.orders.app --port 8000` (configured by env)."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: `python examples/orders/app.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from examples.orders.service import OrderError, OrderService
from examples.orders.settings import Settings, SettingsError, settings_from_environment
from examples.orders.vendors import IssueTracker, Notifier, Payments

MAX_BODY_BYTES = 16_384
MAX_AMOUNT = 99_999_999  # Stripe's own ceiling, in the currency's smallest unit
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{1,60}$")
CURRENCY = re.compile(r"^[a-z]{3}$")
PAYMENT_METHOD = re.compile(r"^pm_[A-Za-z0-9_]{1,100}$")
DEFAULT_PAYMENT_METHOD = "pm_card_visa"


class BadRequest(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def build_app(settings: Settings) -> Starlette:
    service = OrderService(Payments(settings), Notifier(settings), IssueTracker(settings))

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "variant": settings.variant.name})

    async def place(request: Request) -> JSONResponse:
        try:
            fields = _order_fields(await _json_body(request))
        except BadRequest as error:
            return JSONResponse({"error": error.message}, status_code=400)
        try:
            order = await run_in_threadpool(service.place, **fields)
        except OrderError as error:
            return _failure(error)
        return JSONResponse(order.view(), status_code=201)

    async def show(request: Request) -> JSONResponse:
        try:
            order = service.get(request.path_params["order_id"])
        except OrderError as error:
            return _failure(error)
        return JSONResponse(order.view())

    async def refund(request: Request) -> JSONResponse:
        try:
            order = await run_in_threadpool(service.refund, request.path_params["order_id"])
        except OrderError as error:
            return _failure(error)
        return JSONResponse(order.view())

    return Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/orders", place, methods=["POST"]),
            Route("/orders/{order_id}", show, methods=["GET"]),
            Route("/orders/{order_id}/refund", refund, methods=["POST"]),
        ]
    )


def _failure(error: OrderError) -> JSONResponse:
    body: dict[str, Any] = {"error": error.message}
    if error.order is not None:
        body |= error.order.view()
    return JSONResponse(body, status_code=error.status)


async def _json_body(request: Request) -> dict[str, Any]:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BadRequest(f"the body is {declared} bytes; at most {MAX_BODY_BYTES}")
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            raise BadRequest(f"the body is over {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(f"the body is not JSON: {error}") from error
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    return data


def _order_fields(data: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(data) - {"email", "amount", "currency", "item", "payment_method"})
    if unknown:
        raise BadRequest(f"unknown field(s): {', '.join(unknown)}")
    email = data.get("email")
    if not isinstance(email, str) or not EMAIL.match(email):
        raise BadRequest("email: must be an email address (at most 254 characters)")
    amount = data.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= MAX_AMOUNT:
        raise BadRequest(f"amount: must be an integer from 1 to {MAX_AMOUNT} (smallest unit)")
    currency = data.get("currency")
    if not isinstance(currency, str) or not CURRENCY.match(currency.lower()):
        raise BadRequest("currency: must be a three-letter ISO code such as 'usd'")
    item = data.get("item")
    if not isinstance(item, str) or not 1 <= len(item.strip()) <= 200:
        raise BadRequest("item: must be a name of 1 to 200 characters")
    method = data.get("payment_method", DEFAULT_PAYMENT_METHOD)
    if not isinstance(method, str) or not PAYMENT_METHOD.match(method):
        raise BadRequest("payment_method: must be a payment method id such as 'pm_card_visa'")
    return {
        "email": email,
        "amount": amount,
        "currency": currency.lower(),
        "item": item.strip(),
        "payment_method": method,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The example order service (see README.md).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = settings_from_environment()
    except SettingsError as error:
        print(f"orders: {error}", file=sys.stderr)
        return 2
    uvicorn.run(build_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


if __name__ == "__main__":
    sys.exit(main())
