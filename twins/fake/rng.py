"""`Rng`: the one seeded source of randomness, and how child streams are derived from a seed."""

from __future__ import annotations

import hashlib
import random
import string
from collections.abc import MutableSequence, Sequence
from typing import TypeVar

T = TypeVar("T")

ALPHANUMERIC = string.ascii_letters + string.digits
LOWER_ALPHANUMERIC = string.ascii_lowercase + string.digits
HEX_DIGITS = "0123456789abcdef"

_FAST_SPAN = 2**32

# A personalisation string keeps our seeds apart from any other blake2b use of the same parts.
_PERSON = b"dtu.rng.v1"


def stable_seed(seed: int | str, *parts: str | int) -> int:
    """A 64-bit seed from `seed` and `parts`, equal in every process (unlike `hash()`)."""
    digest = hashlib.blake2b(digest_size=8, person=_PERSON)
    for part in (seed, *parts):
        # The type tag keeps 17 and "17" apart; the separator keeps ("ab", "c") != ("a", "bc").
        tag = b"i" if isinstance(part, int) else b"s"
        digest.update(tag + str(part).encode() + b"\x00")
    return int.from_bytes(digest.digest(), "big")


class Rng:
    """A seeded stream of random choices; every random decision in dtu goes through one."""

    __slots__ = ("seed", "_random", "random", "getrandbits")

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._random = random.Random(seed)
        # Bound methods stored once: generation calls these in its innermost loops.
        self.random = self._random.random
        self.getrandbits = self._random.getrandbits

    @classmethod
    def derive(cls, seed: int | str, *parts: str | int) -> Rng:
        """A stream determined by `seed` and `parts` alone, e.g. `(seed, "stripe", label, 17)`."""
        return cls(stable_seed(seed, *parts))

    def fork(self, *parts: str | int) -> Rng:
        """A child stream named by `parts`; it does not advance this stream."""
        return Rng.derive(self.seed, *parts)

    def randint(self, low: int, high: int) -> int:
        """An integer in [low, high], both included."""
        span = high - low + 1
        if span <= _FAST_SPAN:
            # Scaling one float is three times faster than `random.randint`; below 2**32 the
            # bias is under one part in 2**20.
            return low + int(self._random.random() * span)
        return self._random.randint(low, high)

    def choice(self, seq: Sequence[T]) -> T:
        return seq[int(self._random.random() * len(seq))]

    def sample(self, seq: Sequence[T], k: int) -> list[T]:
        return self._random.sample(seq, k)

    def shuffle(self, items: MutableSequence[T]) -> None:
        self._random.shuffle(items)

    def uniform(self, low: float, high: float) -> float:
        return self._random.uniform(low, high)

    def chance(self, probability: float) -> bool:
        return self._random.random() < probability

    def token(self, length: int, alphabet: str = ALPHANUMERIC) -> str:
        """`length` characters drawn from `alphabet`, e.g. the tail of an id."""
        return "".join(self._random.choices(alphabet, k=length))

    def hex(self, length: int) -> str:
        return self.token(length, HEX_DIGITS)

    def uuid(self) -> str:
        """A version 4 UUID in canonical form, drawn from this stream."""
        bits = (self._random.getrandbits(128) & ~(0xF000 << 64) & ~(0xC000 << 48)) | (
            (0x4000 << 64) | (0x8000 << 48)
        )
        text = f"{bits:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
