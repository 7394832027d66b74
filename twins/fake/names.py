"""What a field's name says about its value: `created_at` is a time, `avatar_url` an image URL.

`kind_of(name)` names the kind; the tables below give the maker of a string of that kind, and
the usual range of an integer or a number of that kind.
"""

from __future__ import annotations

import functools
import re

from twins.fake import values as v

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[^a-z0-9]+")

# Whole names, after camelCase and separators are turned into snake_case.
_EXACT: dict[str, str] = {
    "id": "id",
    "uuid": "uuid",
    "guid": "uuid",
    "node_id": "node_id",
    "name": "name",
    "full_name": "full_name",
    "display_name": "full_name",
    "account_holder_name": "full_name",
    "cardholder_name": "full_name",
    "contact_name": "full_name",
    "first_name": "first_name",
    "given_name": "first_name",
    "firstname": "first_name",
    "last_name": "last_name",
    "family_name": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "login": "username",
    "handle": "username",
    "nickname": "username",
    "screen_name": "username",
    "line1": "street",
    "address1": "street",
    "address_line1": "street",
    "street_address": "street",
    "line2": "line2",
    "address2": "line2",
    "address_line2": "line2",
    "postal_code": "postal_code",
    "zip_code": "postal_code",
    "country_name": "country",
    "time": "time",
    "ip_address": "ipv4",
    "remote_addr": "ipv4",
    "user_agent": "user_agent",
    "last4": "last4",
    "last_four": "last4",
    "default_branch": "branch",
    "job_title": "job",
    "statement_descriptor": "sentence",
    "exp_month": "month",
    "exp_year": "year",
    "content_type": "mime_type",
    "media_type": "mime_type",
    "mime_type": "mime_type",
    "file_name": "file_name",
    "filename": "file_name",
    "file_path": "path",
    "api_version": "version",
    "time_zone": "timezone",
    "api_key": "secret",
    "client_secret": "secret",
    "access_token": "secret",
    "html_url": "url",
}

# The last word of a name, when the whole name is not known: `billing_email`, `repos_url`.
_LAST_WORD: dict[str, str] = {
    "name": "name",
    "email": "email",
    "username": "username",
    "phone": "phone",
    "mobile": "phone",
    "telephone": "phone",
    "fax": "phone",
    "url": "url",
    "uri": "url",
    "href": "url",
    "link": "url",
    "website": "url",
    "homepage": "url",
    "blog": "url",
    "avatar": "image_url",
    "image": "image_url",
    "photo": "image_url",
    "picture": "image_url",
    "icon": "image_url",
    "logo": "image_url",
    "address": "street",
    "street": "street",
    "city": "city",
    "town": "city",
    "locality": "city",
    "state": "state_code",
    "province": "state_code",
    "country": "country_code",
    "zip": "postal_code",
    "zipcode": "postal_code",
    "postcode": "postal_code",
    "company": "company",
    "organization": "company",
    "organisation": "company",
    "employer": "company",
    "description": "sentence",
    "summary": "sentence",
    "bio": "sentence",
    "about": "sentence",
    "note": "sentence",
    "notes": "sentence",
    "reason": "sentence",
    "memo": "sentence",
    "caption": "sentence",
    "title": "title",
    "subject": "title",
    "headline": "title",
    "body": "paragraph",
    "text": "paragraph",
    "message": "paragraph",
    "content": "paragraph",
    "comment": "paragraph",
    "details": "paragraph",
    "currency": "currency",
    "id": "id",
    "uuid": "uuid",
    "ip": "ipv4",
    "ipv4": "ipv4",
    "ipv6": "ipv6",
    "host": "hostname",
    "hostname": "hostname",
    "domain": "hostname",
    "color": "color",
    "colour": "color",
    "language": "language",
    "lang": "language",
    "locale": "locale",
    "timezone": "timezone",
    "tz": "timezone",
    "at": "timestamp",
    "created": "timestamp",
    "updated": "timestamp",
    "modified": "timestamp",
    "timestamp": "timestamp",
    "datetime": "timestamp",
    "expires": "timestamp",
    "date": "date",
    "birthday": "date",
    "dob": "date",
    "sha": "sha",
    "hash": "hex",
    "checksum": "hex",
    "fingerprint": "hex",
    "etag": "hex",
    "digest": "hex",
    "token": "secret",
    "secret": "secret",
    "password": "password",
    "passwd": "password",
    "slug": "slug",
    "permalink": "slug",
    "version": "version",
    "path": "path",
    "status": "status",
    "type": "word",
    "kind": "word",
    "category": "word",
    "label": "word",
    "tag": "word",
    "topic": "word",
    "keyword": "word",
    "branch": "branch",
    "ref": "branch",
    "location": "location",
    "job": "job",
    "occupation": "job",
    "number": "digits",
    "count": "count",
    "total": "amount",
    "amount": "amount",
    "price": "amount",
    "cost": "amount",
    "fee": "amount",
    "balance": "amount",
    "subtotal": "amount",
    "tax": "amount",
    "quantity": "quantity",
    "size": "count",
    "year": "year",
    "month": "month",
    "day": "day",
    "hour": "hour",
    "minute": "minute",
    "second": "minute",
    "age": "age",
    "port": "port",
    "percent": "percent",
    "percentage": "percent",
    "rate": "percent",
    "position": "index",
    "index": "index",
    "rank": "index",
    "priority": "index",
    "seconds": "seconds",
    "timeout": "seconds",
    "ttl": "seconds",
    "latitude": "latitude",
    "lat": "latitude",
    "longitude": "longitude",
    "lng": "longitude",
    "lon": "longitude",
    "score": "rating",
    "rating": "rating",
}

STRING_MAKERS: dict[str, v.Maker] = {
    "id": v.identifier,
    "uuid": v.uuid,
    "node_id": v.node_id,
    "name": v.thing_name,
    "full_name": v.full_name,
    "first_name": v.first_name,
    "last_name": v.last_name,
    "username": v.username,
    "email": v.email,
    "phone": v.phone,
    "url": v.url,
    "image_url": v.image_url,
    "street": v.street,
    "line2": v.line2,
    "city": v.city,
    "state_code": v.state_code,
    "country": v.country,
    "country_code": v.country_code,
    "postal_code": v.postal_code,
    "company": v.company,
    "sentence": v.sentence,
    "title": v.title,
    "paragraph": v.paragraph,
    "currency": v.currency,
    "ipv4": v.ipv4,
    "ipv6": v.ipv6,
    "hostname": v.hostname,
    "color": v.color,
    "language": v.language,
    "locale": v.locale,
    "timezone": v.timezone,
    "timestamp": v.date_time,
    "date": v.date,
    "time": v.time,
    "sha": v.sha,
    "hex": v.hex_digest,
    "secret": v.secret,
    "password": v.password,
    "slug": v.slug,
    "version": v.version,
    "path": v.uri_reference,
    "mime_type": v.mime_type,
    "file_name": v.file_name,
    "status": v.status,
    "word": v.word,
    "branch": v.branch,
    "location": v.location,
    "job": v.job,
    "digits": v.digits,
    "last4": v.last4,
    "user_agent": v.user_agent,
}

# Usual integer ranges by kind; a schema's own bounds always win over these.
TIMESTAMP_RANGE = (v.EPOCH - 2 * 365 * 86_400, v.EPOCH)
INT_RANGES: dict[str, tuple[int, int]] = {
    "id": (1, 9_999_999),
    "timestamp": TIMESTAMP_RANGE,
    "amount": (100, 20_000),
    "count": (0, 50),
    "quantity": (1, 10),
    "digits": (1, 9_999),
    "year": (2015, 2030),
    "month": (1, 12),
    "day": (1, 28),
    "hour": (0, 23),
    "minute": (0, 59),
    "age": (18, 90),
    "port": (1024, 65_535),
    "percent": (0, 100),
    "index": (0, 100),
    "seconds": (1, 3_600),
    "rating": (1, 5),
    "latitude": (-90, 90),
    "longitude": (-180, 180),
}
DEFAULT_INT_RANGE = (1, 1_000)
NUMBER_RANGES: dict[str, tuple[float, float]] = {
    "amount": (1.0, 500.0),
    "percent": (0.0, 100.0),
    "rating": (1.0, 5.0),
    "latitude": (-90.0, 90.0),
    "longitude": (-180.0, 180.0),
}
DEFAULT_NUMBER_RANGE = (0.0, 1_000.0)


# Kinds whose values tell records apart: a spec's one example would make every record alike.
UNIQUE_KINDS = frozenset(
    {"id", "uuid", "node_id", "email", "username", "secret", "password", "sha", "hex", "digits",
     "last4", "url", "image_url", "phone", "timestamp", "date", "time"}
)  # fmt: skip


def words_of(name: str) -> tuple[str, ...]:
    """`avatarURL`, `avatar-url` and `avatar_url` all give ("avatar", "url")."""
    snake = _CAMEL.sub("_", name).lower()
    return tuple(word for word in _SEPARATORS.split(snake) if word)


@functools.lru_cache(maxsize=8192)
def kind_of(name: str) -> str | None:
    """The kind of value a field called `name` holds, or None when the name says nothing."""
    words = words_of(name)
    if not words:
        return None
    whole = "_".join(words)
    if whole in _EXACT:
        return _EXACT[whole]
    if len(words) > 1 and words[-1] in ("id", "ids"):
        return "id"
    return _LAST_WORD.get(words[-1]) or _LAST_WORD.get(singular(words[-1]))


_IRREGULAR_PLURALS = {"addresses": "address", "statuses": "status", "children": "child"}


@functools.lru_cache(maxsize=8192)
def singular(name: str) -> str:
    """The name of one item of an array field: `emails` -> `email`, `categories` -> `category`."""
    if name in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[name]
    if name.endswith("ies") and len(name) > 4:
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss") and len(name) > 2:
        return name[:-1]
    return name
