"""String formats: one maker per `format` whose values pass jsonschema_rs's format checks."""

from __future__ import annotations

from twins.fake import values as v
from twins.fake.pools import Pools
from twins.fake.rng import Rng


def _regex(rng: Rng, pools: Pools) -> str:
    return rng.choice(("^[a-z0-9-]+$", r"^\d{4}-\d{2}-\d{2}$", "^[A-Z][a-z]+$", ".*"))


def _json_pointer(rng: Rng, pools: Pools) -> str:
    return f"/{rng.choice(pools.words)}/{rng.randint(0, 9)}"


def _relative_json_pointer(rng: Rng, pools: Pools) -> str:
    return f"{rng.randint(0, 3)}/{rng.choice(pools.words)}"


def _decimal(rng: Rng, pools: Pools) -> str:
    return f"{rng.randint(0, 9999)}.{rng.randint(0, 99):02d}"


def _integer_text(rng: Rng, pools: Pools) -> str:
    return str(rng.randint(1, 9_999_999))


FORMATS: dict[str, v.Maker] = {
    "date-time": v.date_time,
    "date": v.date,
    "time": v.time,
    "duration": v.duration,
    "email": v.email,
    "idn-email": v.email,
    "hostname": v.hostname,
    "idn-hostname": v.hostname,
    "ipv4": v.ipv4,
    "ip": v.ipv4,
    "ipv6": v.ipv6,
    "uri": v.url,
    "url": v.url,
    "iri": v.url,
    "uri-reference": v.uri_reference,
    "iri-reference": v.uri_reference,
    "uri-template": v.uri_template,
    "uuid": v.uuid,
    "regex": _regex,
    "json-pointer": _json_pointer,
    "relative-json-pointer": _relative_json_pointer,
    "byte": v.base64_bytes,
    "binary": v.lower_token,
    "password": v.password,
    "phone": v.phone,
    "color": v.color,
    "decimal": _decimal,
    "int32": _integer_text,
    "int64": _integer_text,
    "currency": v.currency,
    "country-code": v.country_code,
    "language": v.language,
}

# Formats of URLs, where a name such as `avatar_url` can pick a more telling kind of URL.
URL_FORMATS = frozenset({"uri", "url", "iri"})
