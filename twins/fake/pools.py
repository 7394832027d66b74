"""Pools of realistic values, drawn once from Faker with a fixed seed and then picked from.

Building a Faker instance and reseeding it are slow; picking from a tuple with our own `Rng` is
fast and replays exactly. The pools are the same in every process because Faker's seeded
providers are, and no provider used here reads the clock (`user_agent`, `date_time` would).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

_SEED = 20240101
_SIZE = 64

# Fixed lists read better than Faker's uniform draws ("BZD", "ku"): these are what APIs show.
CURRENCIES = ("usd", "eur", "gbp", "jpy", "cad", "aud", "chf", "sek", "nzd", "sgd", "inr", "brl")
LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "ja", "zh", "ko", "sv", "pl")
LOCALES = ("en-US", "en-GB", "fr-FR", "de-DE", "es-ES", "it-IT", "pt-BR", "ja-JP", "nl-NL")
TIMEZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "America/Chicago",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Asia/Tokyo",
    "Asia/Singapore",
    "Australia/Sydney",
    "UTC",
)
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")
TLDS = ("com", "org", "net", "io", "dev")


@dataclass(frozen=True, slots=True)
class Pools:
    """Realistic values by kind; every field is a non-empty tuple."""

    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    companies: tuple[str, ...]
    domain_words: tuple[str, ...]
    words: tuple[str, ...]
    sentences: tuple[str, ...]
    paragraphs: tuple[str, ...]
    jobs: tuple[str, ...]
    streets: tuple[str, ...]
    secondary_addresses: tuple[str, ...]
    cities: tuple[str, ...]
    states: tuple[str, ...]
    state_codes: tuple[str, ...]
    countries: tuple[str, ...]
    country_codes: tuple[str, ...]
    postal_codes: tuple[str, ...]
    phones: tuple[str, ...]
    mime_types: tuple[str, ...]
    file_names: tuple[str, ...]
    url_paths: tuple[str, ...]


def _draw(
    make: Callable[[], str], size: int = _SIZE, keep: Callable[[str], bool] = bool
) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for _ in range(size * 4):
        value = make()
        if keep(value):
            seen[value] = None
        if len(seen) >= size:
            break
    return tuple(seen)


def _plain(value: str) -> bool:
    return value.isascii() and value.isalpha()


@functools.cache
def default_pools() -> Pools:
    """The pools every `DataFaker` shares; built on first use (about a quarter of a second)."""
    from faker import Faker  # imported here: importing Faker alone takes a tenth of a second

    fake = Faker("en_US")
    fake.seed_instance(_SEED)
    return Pools(
        first_names=_draw(fake.first_name, keep=_plain),
        last_names=_draw(fake.last_name, keep=_plain),
        companies=_draw(fake.company),
        domain_words=_draw(fake.domain_word, keep=lambda w: w.isascii() and w.isalnum()),
        words=_draw(fake.word, size=128, keep=_plain),
        sentences=_draw(fake.sentence, size=128),
        paragraphs=_draw(lambda: fake.paragraph(nb_sentences=3)),
        jobs=_draw(fake.job),
        streets=_draw(fake.street_address),
        secondary_addresses=_draw(fake.secondary_address),
        cities=_draw(fake.city),
        states=_draw(fake.state),
        state_codes=_draw(fake.state_abbr),
        countries=_draw(fake.country, keep=str.isascii),
        country_codes=_draw(fake.country_code),
        postal_codes=_draw(fake.postcode),
        phones=_draw(fake.phone_number),
        mime_types=_draw(fake.mime_type),
        file_names=_draw(fake.file_name),
        url_paths=_draw(fake.uri_path),
    )
