"""Deciding whether a request may call an operation: the credential, its validity, its scopes.

An operation lists security alternatives; an alternative names schemes, each with the scopes
it needs. A request passes when, for one alternative, every scheme's credential is present,
valid, and grants the scopes. Otherwise the most telling refusal wins, in this order:

    401 Unauthorized  a credential was refused: unknown, expired, revoked ("invalid ...")
    403 Forbidden     a valid credential lacks a scope ("insufficient scope: ...")
    401 Unauthorized  a credential is malformed ("malformed ..."), or none was sent
                      ("missing credentials: ...")

An empty alternative (`{}`) makes authentication optional: a request with no usable credential
passes, but one whose credential was refused does not (vendors answer bad credentials with 401
even where none are needed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from twins.auth.credentials import CHECKABLE, Credential, Malformed, Sent, read_credential
from twins.auth.presence import missing_message
from twins.errors import Forbidden, Unauthorized
from twins.spec.model import Operation, SecurityScheme


@dataclass(frozen=True, slots=True)
class Grant:
    """A valid credential and the scopes it carries (None: every scope)."""

    secret: str
    scopes: frozenset[str] | None

    def lacks(self, needed: tuple[str, ...]) -> list[str]:
        if self.scopes is None:
            return []
        return [scope for scope in needed if scope not in self.scopes]


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a well-formed credential is not valid."""

    reason: str


Judge = Callable[[Credential], Grant | Refusal]


@dataclass(frozen=True, slots=True)
class Passed:
    """The request may proceed; `credential` is the secret it authenticated with, if any."""

    credential: str | None


def decide(
    operation: Operation,
    schemes: Mapping[str, SecurityScheme],
    sent: Sent,
    judge: Judge,
) -> Passed:
    """Pass the request, or raise Unauthorized / Forbidden (see the module's docstring)."""
    if not operation.security:
        return Passed(None)
    judged: dict[str, Grant | Refusal | Malformed | None] = {}

    def outcome(name: str) -> Grant | Refusal | Malformed | None:
        if name not in judged:
            judged[name] = _judge_scheme(schemes[name], sent, judge)
        return judged[name]

    optional = False
    short_of: list[str] = []
    for alternative in operation.security:
        if not alternative:
            optional = True
            continue
        passed = _alternative(alternative, schemes, outcome, short_of)
        if passed is not None:
            return passed
    refused = [o for o in judged.values() if isinstance(o, Refusal)]
    if refused:
        raise Unauthorized(f"invalid credentials: {refused[0].reason}")
    if optional:
        return Passed(None)
    if short_of:
        raise Forbidden(
            f"insufficient scope: this operation needs {', '.join(short_of)}, which the "
            "credential was not granted"
        )
    malformed = [o for o in judged.values() if isinstance(o, Malformed)]
    if malformed:
        raise Unauthorized(f"malformed credentials: {malformed[0].reason}")
    raise Unauthorized(missing_message(operation, schemes))


def _alternative(
    alternative: dict[str, tuple[str, ...]],
    schemes: Mapping[str, SecurityScheme],
    outcome: Callable[[str], Grant | Refusal | Malformed | None],
    short_of: list[str],
) -> Passed | None:
    """Passed when every scheme of the alternative is met; else None (scopes it lacked are
    added to `short_of`)."""
    secret: str | None = None
    lacking: list[str] = []
    for name, needed in alternative.items():
        if name not in schemes or schemes[name].type not in CHECKABLE:
            continue  # a spec problem, or a scheme HTTP cannot carry: not ours to refuse
        found = outcome(name)
        if not isinstance(found, Grant):
            return None
        lacking += found.lacks(needed)
        secret = secret or found.secret
    if lacking:
        short_of.extend(scope for scope in lacking if scope not in short_of)
        return None
    return Passed(secret)


def _judge_scheme(
    scheme: SecurityScheme, sent: Sent, judge: Judge
) -> Grant | Refusal | Malformed | None:
    found = read_credential(scheme, sent)
    if isinstance(found, Credential):
        return judge(found)
    return found
