"""Operation callbacks: requests an operation makes to a URL its caller gave.

    paths:
      /subscriptions:
        post:
          callbacks:
            onEvent:
              '{$request.body#/callbackUrl}':
                post:
                  requestBody:
                    content: {application/json: {schema: {$ref: '#/components/schemas/Event'}}}

After a successful call of the operation, the twin POSTs an instance of the callback's schema
(seeded, with the response's fields laid over it) to the URL the expression resolves to.
Callbacks whose operation is not a POST with a JSON body are not sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from twins.spec import refs
from twins.spec.model import Operation, Schema
from twins.webhooks.payloads import followed, request_media


@dataclass(frozen=True)
class Callback:
    name: str  # the callback's key: "onEvent"
    url: str  # a runtime expression template: "{$request.body#/callbackUrl}"
    schema: Schema
    media_type: str


def callbacks_of(document: dict[str, Any], operation: Operation) -> tuple[Callback, ...]:
    """The callbacks an operation declares that the twin can send."""
    node = followed(document, _at(document, operation.pointer))
    declared = node.get("callbacks")
    if not isinstance(declared, dict):
        return ()
    found: list[Callback] = []
    for name, callback in declared.items():
        for url, path_item in followed(document, callback).items():
            post = followed(document, path_item).get("post")
            media = request_media(document, post) if isinstance(post, dict) else None
            if media is not None:
                found.append(Callback(str(name), str(url), media[1], media[0]))
    return tuple(found)


def _at(document: dict[str, Any], pointer: str) -> Any:
    try:
        return refs.resolve(document, pointer)
    except LookupError:
        return None
