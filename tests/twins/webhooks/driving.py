"""Steps the webhook tests take through the twins and the control plane."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

SECRET = "whsec_test"
BOOKSHOP_AUTH = {"Authorization": "Bearer test-token"}


def add_endpoint(
    client: TestClient, session: str, url: str, style: str = "stripe", secret: str = SECRET
) -> None:
    response = client.post(
        f"/_s/{session}/payments/v1/webhook_endpoints",
        json={"url": url, "secret": secret, "style": style},
    )
    assert response.status_code == 200, response.text


def pay(client: TestClient, session: str, amount: int = 500, **more: Any) -> dict[str, Any]:
    response = client.post(
        f"/_s/{session}/payments/v1/payment_intents", json={"amount": amount, **more}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def retry_fast(client: TestClient, session: str, attempts: int = 5) -> None:
    response = client.put(
        f"/_twin/sessions/{session}/webhooks/retry",
        json={"attempts": attempts, "backoff": 0.05, "factor": 2, "timeout": 5},
    )
    assert response.status_code == 200, response.text


def flush(client: TestClient, session: str, **options: Any) -> dict[str, Any]:
    response = client.post(f"/_twin/sessions/{session}/webhooks/flush", json=options)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    assert result["settled"], result
    return result


def deliveries(client: TestClient, session: str, **query: Any) -> list[dict[str, Any]]:
    response = client.get(f"/_twin/sessions/{session}/webhooks/deliveries", params=query)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found
