"""A tiny app under test: adds and reads authors through the bookshop twin.

The twin's URL comes from BOOKSHOP_URL. With RETRIES=N it retries a failed call N times,
waiting out Retry-After and keeping the Idempotency-Key; with RETRIES=0 it gives up at once."""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

TWIN = os.environ["BOOKSHOP_URL"]
RETRIES = int(os.environ.get("RETRIES", "0"))
AUTH = {"Authorization": "Bearer app-token"}


def call_twin(method: str, path: str, body: Any = None) -> tuple[int, Any]:
    headers = {**AUTH, "Idempotency-Key": str(uuid.uuid4())} if method == "POST" else AUTH
    for attempt in range(RETRIES + 1):
        try:
            reply = httpx.request(method, f"{TWIN}{path}", json=body, headers=headers, timeout=10)
        except httpx.TransportError:
            if attempt == RETRIES:
                return 502, {"error": "the bookshop did not answer"}
            continue
        if reply.status_code == 429 and attempt < RETRIES:
            # first value: the twin currently repeats a Retry-After given in a fault rule
            time.sleep(float(reply.headers.get("Retry-After", "1").split(",")[0]))
            continue
        if reply.status_code >= 500 and attempt < RETRIES:
            continue
        if reply.status_code >= 500 or reply.status_code == 429:
            return 502, {"error": f"the bookshop answered {reply.status_code}"}
        return reply.status_code, reply.json()
    return 502, {"error": "unreachable"}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/health":
            self._answer(200, {"ok": True})
        elif self.path.startswith("/authors/"):
            self._answer(*call_twin("GET", self.path))
        else:
            self._answer(404, {"error": "not found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/authors":
            self._answer(
                *call_twin("POST", "/authors", {"name": body["name"], "country": body["country"]})
            )
        else:
            self._answer(404, {"error": "not found"})

    def _answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
