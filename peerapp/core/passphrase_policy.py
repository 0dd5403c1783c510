"""What a profile passphrase must be, and a strength hint for the person choosing one.

Rules:
- at least MIN_LENGTH characters (after stripping nothing: spaces count, passphrases are
  often sentences);
- typed twice identically;
- the hint estimates guessing entropy from length and character classes and penalises
  repeats and sequences; it informs, it does not block beyond the minimum length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise

MIN_LENGTH = 10


class Strength(Enum):
    TOO_SHORT = "too short"
    WEAK = "weak"
    FAIR = "fair"
    STRONG = "strong"


@dataclass(frozen=True)
class StrengthHint:
    strength: Strength
    bits: float


def _pool_size(passphrase: str) -> int:
    pool = 0
    if any(c.islower() for c in passphrase):
        pool += 26
    if any(c.isupper() for c in passphrase):
        pool += 26
    if any(c.isdigit() for c in passphrase):
        pool += 10
    if any(c.isspace() for c in passphrase):
        pool += 1
    if any(not c.isalnum() and not c.isspace() for c in passphrase):
        pool += 33
    if any(ord(c) > 127 for c in passphrase):
        pool += 100
    return max(pool, 1)


def _effective_length(passphrase: str) -> float:
    """Length that counts runs of one character and steps of +/-1 only once-ish."""
    if not passphrase:
        return 0.0
    effective = 1.0
    for previous, current in pairwise(passphrase):
        step = ord(current) - ord(previous)
        effective += 0.25 if step in (-1, 0, 1) else 1.0
    return effective


def estimate(passphrase: str) -> StrengthHint:
    bits = _effective_length(passphrase) * math.log2(_pool_size(passphrase))
    if len(passphrase) < MIN_LENGTH:
        return StrengthHint(Strength.TOO_SHORT, bits)
    if bits < 50:
        return StrengthHint(Strength.WEAK, bits)
    if bits < 75:
        return StrengthHint(Strength.FAIR, bits)
    return StrengthHint(Strength.STRONG, bits)


def problem_with(passphrase: str, repeated: str) -> str | None:
    """The reason a new passphrase cannot be used, or None when it can."""
    if len(passphrase) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if passphrase != repeated:
        return "The two passphrases do not match."
    return None
