"""A real webhook receiver for tests: an HTTP server on a free port, in a thread.

It records every request and answers with the statuses it is told, in turn (then 200), the way
respx takes a side-effect sequence: `Receiver(answers=[503, 503])` fails twice, then succeeds.
A `HANG` among them holds the request for `HANG_SECONDS` before answering 200.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson

HANG = -1
HANG_SECONDS = 2.0


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


class Receiver:
    def __init__(self, answers: Sequence[int] = ()) -> None:  # statuses, or HANG
        self.received: list[Received] = []
        self._answers = list(answers)
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, *statuses: int) -> None:
        """Answer the next requests with these statuses, in turn (then 200)."""
        with self._changed:
            self._answers = list(statuses)

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Received]:
        """The first `count` requests, once they have arrived (AssertionError after timeout)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.received)} of {count} webhooks arrived")
                self._changed.wait(left)
            return list(self.received[:count])

    def _record(self, request: Received) -> int:
        with self._changed:
            self.received.append(request)
            self._changed.notify_all()
            return self._answers.pop(0) if self._answers else 200

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the name http.server looks for)
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                headers = {name.lower(): value for name, value in self.headers.items()}
                status = receiver._record(Received(self.path, headers, body))
                if status == HANG:
                    time.sleep(HANG_SECONDS)
                    status = 200
                answer = b'{"received": true}' if status < 300 else b'{"error": "try later"}'
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: pytest shows what matters

        return Handler

    @contextmanager
    def running(self) -> Iterator[Receiver]:
        thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=5)
