"""Realistic values of one kind each: a maker takes the stream and the pools and returns a string.

Times are drawn around a fixed epoch, never the wall clock, so a replay gives the same bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import string
from collections.abc import Callable

from twins.fake.pools import CURRENCIES, EMAIL_DOMAINS, LANGUAGES, LOCALES, TIMEZONES, TLDS, Pools
from twins.fake.rng import ALPHANUMERIC, LOWER_ALPHANUMERIC, Rng

Maker = Callable[[Rng, Pools], str]

EPOCH = 1_704_067_200  # 2024-01-01T00:00:00Z: the "now" of generated data
_TWO_YEARS = 2 * 365 * 86_400
_STATUSES = ("active", "pending", "completed", "open", "closed", "succeeded")
_BRANCHES = ("main", "develop", "release", "staging")
_USER_AGENTS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
    "curl/8.4.0",
    "python-httpx/0.27.0",
)


def unix_seconds(rng: Rng) -> int:
    """Seconds since 1970 within the two years before `EPOCH`."""
    return EPOCH - rng.randint(0, _TWO_YEARS)


def _moment(rng: Rng) -> dt.datetime:
    return dt.datetime.fromtimestamp(unix_seconds(rng), dt.UTC)


def date_time(rng: Rng, pools: Pools) -> str:
    return _moment(rng).strftime("%Y-%m-%dT%H:%M:%SZ")


def date(rng: Rng, pools: Pools) -> str:
    return _moment(rng).strftime("%Y-%m-%d")


def time(rng: Rng, pools: Pools) -> str:
    return _moment(rng).strftime("%H:%M:%SZ")


def duration(rng: Rng, pools: Pools) -> str:
    return rng.choice(("P1D", "PT1H", "PT30M", "P7D", "P1M", "PT15S", "P1Y"))


def first_name(rng: Rng, pools: Pools) -> str:
    return rng.choice(pools.first_names)


def last_name(rng: Rng, pools: Pools) -> str:
    return rng.choice(pools.last_names)


def full_name(rng: Rng, pools: Pools) -> str:
    return f"{rng.choice(pools.first_names)} {rng.choice(pools.last_names)}"


def thing_name(rng: Rng, pools: Pools) -> str:
    """The name of a thing rather than a person: a repository, a product, a team."""
    if rng.chance(0.5):
        return full_name(rng, pools)
    return f"{rng.choice(pools.words)}-{rng.choice(pools.words)}"


def username(rng: Rng, pools: Pools) -> str:
    first = rng.choice(pools.first_names).lower()
    return rng.choice((first, f"{first}{rng.randint(1, 99)}", f"{first}-{rng.choice(pools.words)}"))


def email(rng: Rng, pools: Pools) -> str:
    first = rng.choice(pools.first_names).lower()
    last = rng.choice(pools.last_names).lower()
    return f"{first}.{last}@{rng.choice(EMAIL_DOMAINS)}"


def hostname(rng: Rng, pools: Pools) -> str:
    return (
        f"{rng.choice(('api', 'www', 'app'))}.{rng.choice(pools.domain_words)}.{rng.choice(TLDS)}"
    )


def url(rng: Rng, pools: Pools) -> str:
    return f"https://{hostname(rng, pools)}/{rng.choice(pools.url_paths)}"


def image_url(rng: Rng, pools: Pools) -> str:
    return f"https://images.{rng.choice(pools.domain_words)}.com/{rng.hex(16)}.png"


def uri_reference(rng: Rng, pools: Pools) -> str:
    return f"/{rng.choice(pools.url_paths)}"


def uri_template(rng: Rng, pools: Pools) -> str:
    return f"https://{hostname(rng, pools)}/{rng.choice(pools.words)}{{/id}}"


def ipv4(rng: Rng, pools: Pools) -> str:
    return (
        f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    )


def ipv6(rng: Rng, pools: Pools) -> str:
    return "2001:db8:" + ":".join(f"{rng.getrandbits(16):x}" for _ in range(6))


def uuid(rng: Rng, pools: Pools) -> str:
    return rng.uuid()


def phone(rng: Rng, pools: Pools) -> str:
    return f"+1{rng.randint(200, 999)}{rng.randint(200, 999)}{rng.randint(1000, 9999)}"


def street(rng: Rng, pools: Pools) -> str:
    return rng.choice(pools.streets)


def sentence(rng: Rng, pools: Pools) -> str:
    return rng.choice(pools.sentences)


def title(rng: Rng, pools: Pools) -> str:
    return rng.choice(pools.sentences).rstrip(".")


def paragraph(rng: Rng, pools: Pools) -> str:
    return rng.choice(pools.paragraphs)


def word(rng: Rng, pools: Pools) -> str:
    return rng.choice(pools.words)


def slug(rng: Rng, pools: Pools) -> str:
    return f"{rng.choice(pools.words)}-{rng.choice(pools.words)}"


def identifier(rng: Rng, pools: Pools) -> str:
    """A short opaque id, as most APIs hand out."""
    return rng.token(rng.randint(14, 24), ALPHANUMERIC)


def node_id(rng: Rng, pools: Pools) -> str:
    return base64.b64encode(
        f"04:{rng.choice(pools.words)}{rng.randint(1, 9_999_999)}".encode()
    ).decode()


def secret(rng: Rng, pools: Pools) -> str:
    return f"{rng.choice(('sk', 'tok', 'key'))}_{rng.token(24)}"


def password(rng: Rng, pools: Pools) -> str:
    return rng.token(8, string.ascii_letters) + rng.token(4, string.digits) + "!"


def sha(rng: Rng, pools: Pools) -> str:
    return rng.hex(40)


def hex_digest(rng: Rng, pools: Pools) -> str:
    return rng.hex(32)


def color(rng: Rng, pools: Pools) -> str:
    return rng.hex(6)


def currency(rng: Rng, pools: Pools) -> str:
    return rng.choice(CURRENCIES)


def language(rng: Rng, pools: Pools) -> str:
    return rng.choice(LANGUAGES)


def locale(rng: Rng, pools: Pools) -> str:
    return rng.choice(LOCALES)


def timezone(rng: Rng, pools: Pools) -> str:
    return rng.choice(TIMEZONES)


def version(rng: Rng, pools: Pools) -> str:
    return f"{rng.randint(0, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 30)}"


def digits(rng: Rng, pools: Pools) -> str:
    return rng.token(rng.randint(6, 12), string.digits)


def last4(rng: Rng, pools: Pools) -> str:
    return rng.token(4, string.digits)


def status(rng: Rng, pools: Pools) -> str:
    return rng.choice(_STATUSES)


def branch(rng: Rng, pools: Pools) -> str:
    return rng.choice((*_BRANCHES, f"feature/{rng.choice(pools.words)}"))


def user_agent(rng: Rng, pools: Pools) -> str:
    return rng.choice(_USER_AGENTS)


def location(rng: Rng, pools: Pools) -> str:
    return f"{rng.choice(pools.cities)}, {rng.choice(pools.state_codes)}"


def base64_bytes(rng: Rng, pools: Pools) -> str:
    return base64.b64encode(rng.getrandbits(96).to_bytes(12, "big")).decode()


def lower_token(rng: Rng, pools: Pools) -> str:
    return rng.token(rng.randint(6, 12), LOWER_ALPHANUMERIC)


def _picker(attribute: str) -> Maker:
    def pick(rng: Rng, pools: Pools) -> str:
        values: tuple[str, ...] = getattr(pools, attribute)
        return rng.choice(values)

    return pick


company = _picker("companies")
job = _picker("jobs")
line2 = _picker("secondary_addresses")
city = _picker("cities")
state_code = _picker("state_codes")
country = _picker("countries")
country_code = _picker("country_codes")
postal_code = _picker("postal_codes")
mime_type = _picker("mime_types")
file_name = _picker("file_names")
