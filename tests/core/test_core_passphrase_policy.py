"""The passphrase policy: minimum length, the repeat check and the strength hint."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerapp.core.passphrase_policy import MIN_LENGTH, Strength, estimate, problem_with

SHORT_MESSAGE = f"Use at least {MIN_LENGTH} characters."
MISMATCH_MESSAGE = "The two passphrases do not match."

# (id, passphrase, expected strength). Ids describe the case so passphrases never
# appear in test names.
STRENGTH_TABLE = [
    ("empty", "", Strength.TOO_SHORT),
    ("one-char", "a", Strength.TOO_SHORT),
    ("nine-mixed-classes", "Aa1!Bb2@C", Strength.TOO_SHORT),
    ("nine-non-ascii", "ééééééééé", Strength.TOO_SHORT),  # 9 characters, 18 bytes
    ("ten-same-letter", "aaaaaaaaaa", Strength.WEAK),
    ("ten-letter-sequence", "abcdefghij", Strength.WEAK),
    ("ten-digit-sequence", "1234567890", Strength.WEAK),
    ("ten-spaces", " " * 10, Strength.WEAK),
    ("ten-random-lowercase", "qwzrtpxmvk", Strength.WEAK),
    ("classic-mixed-11", "Tr0ub4dor&3", Strength.FAIR),
    ("three-words", "kettle river moon", Strength.FAIR),
    ("four-words", "kettle river moon lantern", Strength.STRONG),
    ("diceware-sentence", "correct horse battery staple", Strength.STRONG),
    ("random-14-all-classes", "zq8Jw!pL2#vR9x", Strength.STRONG),
    ("cyrillic-sentence", "пароль для круга", Strength.STRONG),
]


@pytest.mark.parametrize(
    ("passphrase", "strength"),
    [(p, s) for _, p, s in STRENGTH_TABLE],
    ids=[case_id for case_id, _, _ in STRENGTH_TABLE],
)
def test_strength_table(passphrase: str, strength: Strength) -> None:
    assert estimate(passphrase).strength is strength


@pytest.mark.parametrize(
    ("passphrase", "bits"),
    [
        # a run of one character: 1 + 9 * 0.25 effective characters from a pool of 26
        ("aaaaaaaaaa", 3.25 * math.log2(26)),
        # +1 steps count a quarter; 9 -> 0 is a full step: 1 + 8 * 0.25 + 1 over 10 digits
        ("1234567890", 4.0 * math.log2(10)),
        # no steps of -1/0/+1: 11 full characters over 26 + 26 + 10 + 33 symbols
        ("Tr0ub4dor&3", 11 * math.log2(95)),
        # a pool of one (spaces only) carries no information
        (" " * 10, 0.0),
        ("", 0.0),
    ],
    ids=["run", "digit-sequence", "all-ascii-classes", "spaces-only", "empty"],
)
def test_bits_known_values(passphrase: str, bits: float) -> None:
    assert estimate(passphrase).bits == pytest.approx(bits)


def test_thresholds_are_at_50_and_75_bits() -> None:
    # 'k' and 'q' are not neighbours, so every step is a full character over 26 letters:
    # n characters carry n * log2(26) ~ 4.70 n bits. 10 -> 47 (weak), 11 -> 51.7 (fair),
    # 15 -> 70.5 (fair), 16 -> 75.2 (strong).
    def alternating(n: int) -> str:
        return ("kq" * n)[:n]

    assert estimate(alternating(10)).strength is Strength.WEAK
    assert estimate(alternating(11)).strength is Strength.FAIR
    assert estimate(alternating(15)).strength is Strength.FAIR
    assert estimate(alternating(16)).strength is Strength.STRONG


@given(st.text(max_size=MIN_LENGTH - 1))
def test_shorter_than_minimum_is_always_too_short(passphrase: str) -> None:
    assert estimate(passphrase).strength is Strength.TOO_SHORT


@given(st.text(min_size=MIN_LENGTH, max_size=80))
def test_long_enough_strength_follows_bits(passphrase: str) -> None:
    hint = estimate(passphrase)
    expected = (
        Strength.WEAK if hint.bits < 50 else Strength.FAIR if hint.bits < 75 else Strength.STRONG
    )
    assert hint.strength is expected
    assert hint.bits >= 0


@given(st.text(max_size=60), st.characters())
def test_appending_a_character_never_lowers_the_estimate(passphrase: str, extra: str) -> None:
    assert estimate(passphrase + extra).bits >= estimate(passphrase).bits


PROBLEM_TABLE = [
    ("empty", "", "", SHORT_MESSAGE),
    ("nine-matching", "a" * 9, "a" * 9, SHORT_MESSAGE),
    # shortness is reported before a mismatch
    ("nine-mismatched", "a" * 9, "b" * 9, SHORT_MESSAGE),
    ("nine-non-ascii-18-bytes", "é" * 9, "é" * 9, SHORT_MESSAGE),
    ("ten-matching", "a" * 10, "a" * 10, None),
    ("ten-spaces-count", " " * 10, " " * 10, None),
    ("sentence-matching", "kettle river moon", "kettle river moon", None),
    ("mismatch", "kettle river moon", "kettle river mood", MISMATCH_MESSAGE),
    ("repeat-has-trailing-space", "kettle river moon", "kettle river moon ", MISMATCH_MESSAGE),
    ("repeat-empty", "kettle river moon", "", MISMATCH_MESSAGE),
    ("case-differs", "Kettle river moon", "kettle river moon", MISMATCH_MESSAGE),
]


@pytest.mark.parametrize(
    ("passphrase", "repeated", "problem"),
    [(p, r, m) for _, p, r, m in PROBLEM_TABLE],
    ids=[case_id for case_id, *_ in PROBLEM_TABLE],
)
def test_problem_with_table(passphrase: str, repeated: str, problem: str | None) -> None:
    assert problem_with(passphrase, repeated) == problem


@given(st.text(max_size=40), st.text(max_size=40))
def test_problem_with_is_none_exactly_for_long_enough_identical_pairs(
    passphrase: str, repeated: str
) -> None:
    acceptable = len(passphrase) >= MIN_LENGTH and passphrase == repeated
    assert (problem_with(passphrase, repeated) is None) == acceptable
