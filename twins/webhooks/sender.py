"""One HTTP try of a webhook, and what the receiver answered (if anything).

httpx is imported on the first webhook: most runs send none, and it costs a tenth of a second
of every start.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

ANSWER_EXCERPT = 4096  # bytes of a receiver's answer kept; a receiver cannot make us read more
MAX_CONNECTIONS = 32


@dataclass(frozen=True)
class Answer:
    status: int  # 0: nobody answered (refused connection, timeout, broken response)
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""  # the start of the answer's body
    error: str | None = None
    duration_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def new_client() -> httpx.AsyncClient:
    import httpx

    # Redirects are not followed: one could lead to a host the allow-list refuses.
    return httpx.AsyncClient(
        follow_redirects=False,
        limits=httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=8),
        trust_env=False,  # a proxy from the environment would see every webhook
    )


async def post(
    client: httpx.AsyncClient,
    url: str,
    body: bytes,
    headers: list[tuple[str, str]],
    timeout: float,
) -> Answer:
    started = time.perf_counter()
    try:
        # httpx's timeout is per network step; a receiver dripping its answer would outlast it
        async with (
            asyncio.timeout(timeout),
            client.stream("POST", url, content=body, headers=headers, timeout=timeout) as response,
        ):
            excerpt = await _excerpt(response)
            return Answer(
                response.status_code,
                dict(response.headers),
                excerpt.decode("utf-8", "replace"),
                None,
                _since(started),
            )
    except Exception as error:  # any failure to send is a failed try, told as such
        reason = f"{type(error).__name__}: {error}".rstrip(": ")
        return Answer(0, error=reason, duration_ms=_since(started))


async def _excerpt(response: httpx.Response) -> bytes:
    kept = bytearray()
    async for chunk in response.aiter_bytes():
        kept.extend(chunk[: ANSWER_EXCERPT - len(kept)])
        if len(kept) >= ANSWER_EXCERPT:
            break
    return bytes(kept)


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
