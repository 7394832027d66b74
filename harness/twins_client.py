"""The twins' control plane, as the harness uses it: over HTTP only, for one trial's session."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

JOURNAL_LIMIT = 10_000  # the most entries a trial keeps


class TwinsError(RuntimeError):
    """The twins server refused or could not be reached: a harness error, not the app's."""


class TwinsSession:
    def __init__(self, base_url: str, session: str, client: httpx.Client) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.client = client

    def twin_url(self, twin: str) -> str:
        return f"{self.base_url}/_s/{self.session}/{twin}"

    def twin_names(self) -> list[str]:
        return [str(twin["name"]) for twin in self._call("GET", "/_twin/twins")]

    def reset(self, seed: int) -> None:
        self._call("POST", f"/_twin/sessions/{self.session}/reset")
        self._call("PUT", f"/_twin/sessions/{self.session}/seed", {"seed": seed})

    def fork(self, snapshot: str, seed: int) -> None:
        """The session becomes a copy of the snapshot, drawing from its own `seed`."""
        self._call(
            "POST",
            f"/_twin/snapshots/{quote(snapshot, safe='')}/fork",
            {"session": self.session, "seed": seed},
        )

    def seed_records(
        self, twin: str, resource: str, records: list[Any], parent: dict[str, str] | None
    ) -> None:
        body: dict[str, Any] = {"resource": resource, "records": records}
        if parent:
            body["parent"] = parent
        self._call("POST", f"/_twin/sessions/{self.session}/twins/{twin}/resources", body)

    def set_faults(self, rules: list[dict[str, Any]]) -> None:
        self._call("PUT", f"/_twin/sessions/{self.session}/faults", {"rules": rules})

    def clock(self, change: dict[str, float]) -> None:
        self._call("POST", f"/_twin/sessions/{self.session}/clock", change)

    def journal(self, since: int | None = None) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"limit": JOURNAL_LIMIT}
        if since is not None:
            params["since"] = since
        entries = self._call("GET", f"/_twin/sessions/{self.session}/journal", params=params)
        return [entry for entry in entries if isinstance(entry, dict)]

    def state(self) -> dict[str, Any]:
        exported = self._call("GET", f"/_twin/sessions/{self.session}/state")
        return exported if isinstance(exported, dict) else {}

    def _call(
        self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None
    ) -> Any:
        try:
            reply = self.client.request(method, f"{self.base_url}{path}", json=body, params=params)
        except httpx.HTTPError as error:
            raise TwinsError(
                f"{method} {path}: twins unreachable at {self.base_url}: {error}"
            ) from error
        if reply.status_code >= 400:
            raise TwinsError(f"{method} {path}: {reply.status_code} {reply.text[:500]}")
        return reply.json()
