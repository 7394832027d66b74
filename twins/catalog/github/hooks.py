"""Repository webhooks: `/repos/{owner}/{repo}/hooks`, and the events a change owes them.

A write that GitHub would announce calls `emit`, which adds one `Outbound` per active hook that
listens for the event to `call.outbound`; the server's dispatcher delivers them once the write
has committed. Deliveries carry GitHub's headers and, when the hook has a secret, are signed
as GitHub signs them (`X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body>`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from twins.behaviour.call import Call, Outbound, Reply
from twins.catalog.github import repos, state
from twins.catalog.github.errors import GitHubError, invalid, not_found
from twins.catalog.github.reply import no_content, ok, paginated
from twins.catalog.github.routes import API, routes
from twins.catalog.github.users import simple, viewer
from twins.fake import Rng

MASK = "********"
USER_AGENT = "GitHub-Hookshot/dtu"
ZEN = "Design for failure."
CONFIG_FIELDS = ("url", "content_type", "secret", "insecure_ssl")
MAX_HOOKS = 20  # what each write may fan out to


def _key(repo: state.Record, hook_id: int | str) -> str:
    return f"{repo['id']}/{state.number_key(hook_id)}"


def render(repo: state.Record, hook: state.Record) -> dict[str, Any]:
    url = f"{API}/repos/{repos.full_name(repo)}/hooks/{hook['id']}"
    config = {k: v for k, v in hook["config"].items() if v is not None}
    if config.get("secret"):
        config["secret"] = MASK  # GitHub never shows a secret back
    return {
        "type": "Repository",
        "id": hook["id"],
        "name": "web",
        "active": hook["active"],
        "events": hook["events"],
        "config": config,
        "updated_at": hook["updated_at"],
        "created_at": hook["created_at"],
        "url": url,
        "test_url": f"{url}/test",
        "ping_url": f"{url}/pings",
        "deliveries_url": f"{url}/deliveries",
        "last_response": {"code": None, "status": "unused", "message": None},
    }


def _load(call: Call, repo: state.Record) -> state.Record:
    found = state.get(call, state.HOOKS, _key(repo, call.path_params["hook_id"]))
    if found is None:
        raise not_found()
    return found


def _config(current: dict[str, Any], sent: Any) -> dict[str, Any]:
    config = dict(current)
    if isinstance(sent, dict):
        config.update({k: sent[k] for k in CONFIG_FIELDS if k in sent})
    if not config.get("url"):
        raise GitHubError(
            422,
            "Validation Failed",
            [
                {
                    "resource": "Hook",
                    "code": "custom",
                    "message": "Config must contain URL for webhooks",
                }
            ],
        )
    if config.get("content_type") not in (None, "json", "form"):
        raise invalid("Hook", "content_type")
    return config


def _save(call: Call, repo: state.Record, hook: state.Record) -> None:
    state.put(call, state.HOOKS, _key(repo, hook["id"]), str(repo["id"]), hook)


@routes("GET /repos/{owner}/{repo}/hooks")
def list_hooks(call: Call) -> Reply:
    repo = repos.load(call)
    hooks = state.rows(call, state.HOOKS, str(repo["id"]))
    return paginated(call, hooks, lambda hook: render(repo, hook))


@routes("POST /repos/{owner}/{repo}/hooks")
def create_hook(call: Call) -> Reply:
    repo = repos.load(call)
    body = call.body if isinstance(call.body, dict) else {}
    if body.get("name", "web") != "web":
        raise invalid("Hook", "name")
    config = _config({"content_type": "form", "insecure_ssl": "0"}, body.get("config"))
    events = sorted(set(body.get("events") or ["push"]))
    existing = state.rows(call, state.HOOKS, str(repo["id"]))
    if len(existing) >= MAX_HOOKS:
        limit = {"resource": "Hook", "code": "custom", "message": f"At most {MAX_HOOKS} hooks"}
        raise GitHubError(422, "Validation Failed", [limit])
    for hook in existing:
        if hook["config"].get("url") == config["url"] and hook["events"] == events:
            raise GitHubError(
                422,
                "Validation Failed",
                [
                    {
                        "resource": "Hook",
                        "code": "custom",
                        "message": "Hook already exists on this repository",
                    }
                ],
            )
    now = state.iso(call.now)
    hook = {
        "id": state.next_id(call, "hook"),
        "active": body.get("active", True) is not False,
        "events": events,
        "config": config,
        "created_at": now,
        "updated_at": now,
    }
    _save(call, repo, hook)
    _ping(call, repo, hook)
    return ok(call, render(repo, hook), 201)


@routes("GET /repos/{owner}/{repo}/hooks/{hook_id}")
def get_hook(call: Call) -> Reply:
    repo = repos.load(call)
    return ok(call, render(repo, _load(call, repo)))


@routes("PATCH /repos/{owner}/{repo}/hooks/{hook_id}")
def update_hook(call: Call) -> Reply:
    repo = repos.load(call)
    hook = _load(call, repo)
    body = call.body if isinstance(call.body, dict) else {}
    if "config" in body:
        hook["config"] = _config(hook["config"], body["config"])
    events = set(body["events"]) if body.get("events") else set(hook["events"])
    events |= set(body.get("add_events") or [])
    events -= set(body.get("remove_events") or [])
    hook["events"] = sorted(events)
    if isinstance(body.get("active"), bool):
        hook["active"] = body["active"]
    hook["updated_at"] = state.iso(call.now)
    _save(call, repo, hook)
    return ok(call, render(repo, hook))


@routes("DELETE /repos/{owner}/{repo}/hooks/{hook_id}")
def delete_hook(call: Call) -> Reply:
    repo = repos.load(call)
    _load(call, repo)
    state.delete(call, state.HOOKS, _key(repo, call.path_params["hook_id"]))
    return no_content()


# -- deliveries ---------------------------------------------------------------------------


def emit(call: Call, repo: state.Record, event: str, payload: dict[str, Any]) -> None:
    """Owe `event` (GitHub's name: "issues", "push", ...) to every hook listening for it."""
    listening = [
        hook
        for hook in state.rows(call, state.HOOKS, str(repo["id"]))
        if hook["active"] and (event in hook["events"] or "*" in hook["events"])
    ]
    if not listening:
        return
    body = {**payload, "repository": repos.render(call, repo), "sender": simple(viewer(call))}
    for hook in listening:
        call.outbound.append(_outbound(call, repo, hook, event, body))


def _ping(call: Call, repo: state.Record, hook: state.Record) -> None:
    """GitHub pings a new hook straight away, whatever events it listens for."""
    body = {
        "zen": ZEN,
        "hook_id": hook["id"],
        "hook": render(repo, hook),
        "repository": repos.render(call, repo),
        "sender": simple(viewer(call)),
    }
    call.outbound.append(_outbound(call, repo, hook, "ping", body))


def _outbound(
    call: Call, repo: state.Record, hook: state.Record, event: str, payload: dict[str, Any]
) -> Outbound:
    # Reply bodies have GitHub's origin rewritten to the twin by the server; deliveries do not
    # pass through it, so they are pointed at the twin here.
    text = json.dumps(payload, separators=(",", ":")).replace(API, call.base_url)
    config = hook["config"]
    if config.get("content_type") == "json":
        body, content_type = text.encode(), "application/json"
    else:
        body, content_type = (
            urlencode({"payload": text}).encode(),
            "application/x-www-form-urlencoded",
        )
    delivery = Rng.derive(call.seed, "github", "delivery", state.next_id(call, "delivery")).uuid()
    headers = [
        ("Content-Type", content_type),
        ("User-Agent", USER_AGENT),
        ("X-GitHub-Event", event),
        ("X-GitHub-Delivery", delivery),
        ("X-GitHub-Hook-ID", str(hook["id"])),
        ("X-GitHub-Hook-Installation-Target-Type", "repository"),
        ("X-GitHub-Hook-Installation-Target-ID", str(repo["id"])),
    ]
    secret = config.get("secret")
    sign = signer(str(secret)) if secret else None
    return Outbound(url=str(config["url"]), event=event, body=body, headers=headers, sign=sign)


def signer(secret: str) -> Callable[[bytes, float], list[tuple[str, str]]]:
    """GitHub's signatures of a delivery body: HMAC-SHA256 (and the legacy SHA-1) with the
    hook's secret."""
    key = secret.encode()

    def sign(body: bytes, at: float) -> list[tuple[str, str]]:
        sha256 = hmac.new(key, body, hashlib.sha256).hexdigest()
        sha1 = hmac.new(key, body, hashlib.sha1).hexdigest()
        return [("X-Hub-Signature-256", f"sha256={sha256}"), ("X-Hub-Signature", f"sha1={sha1}")]

    return sign
