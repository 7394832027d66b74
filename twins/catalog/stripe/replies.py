"""Answering with an object: expanded as the request asks, shaped by the operation's schema."""

from __future__ import annotations

from twins.behaviour.call import Call, Reply
from twins.behaviour.render import success
from twins.catalog.stripe.expand import expanded
from twins.catalog.stripe.objects import Obj, Objects
from twins.catalog.stripe.params import expand_paths


def respond(call: Call, objects: Objects, obj: Obj) -> Reply:
    body = expanded(objects, obj, expand_paths(call))
    return success(call.twin.tools, call.operation, (200,), body, call.rng("reply"))


def path_id(call: Call) -> str:
    """The id the path names (its one parameter: `customer`, `intent`, `id`...)."""
    return next(iter(call.path_params.values()), "")
