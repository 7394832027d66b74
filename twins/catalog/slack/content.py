"""What a message says: text, Block Kit blocks, attachments and metadata, checked as Slack
checks them (a form carries blocks as JSON text, a JSON body as an array)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from twins.catalog.slack.context import Arguments
from twins.catalog.slack.errors import SlackError

MAX_TEXT = 40_000
MAX_BLOCKS = 50
MAX_ATTACHMENTS = 100


@dataclass
class Content:
    text: str | None  # None: not sent
    blocks: list[dict[str, Any]] | None
    attachments: list[dict[str, Any]] | None
    metadata: dict[str, Any] | None

    @property
    def empty(self) -> bool:
        return not self.text and not self.blocks and not self.attachments

    def fields(self) -> dict[str, Any]:
        """The message fields this content sets (those that were sent)."""
        found: dict[str, Any] = {}
        if self.text is not None:
            found["text"] = self.text
        if self.blocks is not None:
            found["blocks"] = self.blocks
        if self.attachments is not None:
            found["attachments"] = self.attachments
        if self.metadata is not None:
            found["metadata"] = self.metadata
        return found


def content_of(args: Arguments) -> Content:
    text = args.text("text") if "text" in args else None
    if text is not None and len(text) > MAX_TEXT:
        raise SlackError("msg_too_long")
    return Content(text, _blocks(args), _attachments(args), _metadata(args))


def _blocks(args: Arguments) -> list[dict[str, Any]] | None:
    blocks = _structured(args, "blocks", "invalid_blocks_format")
    if blocks is None:
        return None
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        raise SlackError("invalid_blocks")
    if not all(isinstance(b, dict) and isinstance(b.get("type"), str) for b in blocks):
        raise SlackError("invalid_blocks")
    return blocks


def _attachments(args: Arguments) -> list[dict[str, Any]] | None:
    attachments = _structured(args, "attachments", "invalid_attachments")
    if attachments is None:
        return None
    if not isinstance(attachments, list) or not all(isinstance(a, dict) for a in attachments):
        raise SlackError("invalid_attachments")
    if len(attachments) > MAX_ATTACHMENTS:
        raise SlackError("too_many_attachments")
    # Slack numbers a message's attachments from 1.
    return [{**attachment, "id": number} for number, attachment in enumerate(attachments, 1)]


def _metadata(args: Arguments) -> dict[str, Any] | None:
    metadata = _structured(args, "metadata", "invalid_metadata_format")
    if metadata is None:
        return None
    if not isinstance(metadata, dict) or not isinstance(metadata.get("event_type"), str):
        raise SlackError("invalid_metadata_format")
    return metadata


def _structured(args: Arguments, name: str, malformed: str) -> Any:
    """A structured argument: JSON text (forms, query strings) or the value itself (JSON)."""
    value = args.raw(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        raise SlackError(malformed) from None
