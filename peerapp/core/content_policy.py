"""Replies, reactions and edits (issue 15): the reaction set, what one emoji is, how long
an author may edit, how many reactions one member may leave on one message.

Stated once here so the log's validation (core/circle_events.py), the rules every
replica applies (core/content_rules.py) and the GUI's choices cannot drift apart.
"""

from __future__ import annotations

import unicodedata

# Reactions chosen for support, not for likes: the fixed set's wire words (the GUI shows
# each with its own words and symbol, ui/text/content.py), then any single emoji.
SUPPORT_REACTIONS: tuple[str, ...] = (
    "heart",
    "hug",
    "me too",
    "thinking of you",
    "thank you",
    "strong",
)

# the symbol each of the support set shows as (a chip under a message: symbol and count)
SUPPORT_SYMBOLS: tuple[str, ...] = (
    "\u2764\ufe0f",  # heart
    "\U0001fac2",  # hug (people hugging)
    "\U0001f64b",  # me too (a raised hand)
    "\U0001f56f\ufe0f",  # thinking of you (a candle)
    "\U0001f64f",  # thank you (folded hands)
    "\U0001f4aa",  # strong
)


def symbol_of(reaction: str) -> str:
    """What a reaction shows as: its symbol for one of the support set, else itself (an
    emoji)."""
    if reaction in SUPPORT_REACTIONS:
        return SUPPORT_SYMBOLS[SUPPORT_REACTIONS.index(reaction)]
    return reaction


# An author may edit a message for a day after sending it: by the original's ts against
# the edit's (core/content_rules.py); a ts cannot run ahead of real time (core/admission).
EDIT_WINDOW_MS = 24 * 3600 * 1000

# A member's reactions on one message at a time (the fixed set plus a few emoji): a
# hostile member cannot fill every replica with thousands of toggles on one message.
MAX_REACTIONS_PER_MEMBER_PER_MESSAGE = 8

# how much of the message a reply answers its quote shows (the rest is a click away)
QUOTE_CHARS = 200

# One emoji, as strictly as the standard's sequences allow: a ZWJ sequence of at most
# MAX_EMOJI_PARTS parts, at most MAX_EMOJI_CODE_POINTS code points in all.
MAX_EMOJI_PARTS = 8
MAX_EMOJI_CODE_POINTS = 32

_ZWJ = "\u200d"
_VS16 = "\ufe0f"
_KEYCAP = "\u20e3"
_SKIN_TONES = range(0x1F3FB, 0x1F400)
_REGIONAL = range(0x1F1E6, 0x1F200)
_TAGS = range(0xE0020, 0xE007F)
_CANCEL_TAG = "\U000e007f"
# where emoji live (each code point must be a symbol, "So", as well)
_EMOJI_BLOCKS = (
    range(0x1F000, 0x1FB00),
    range(0x2190, 0x2200),
    range(0x2300, 0x2400),
    range(0x25A0, 0x2800),
    range(0x2900, 0x2980),
    range(0x2B00, 0x2C00),
)
_EMOJI_SINGLES = frozenset({0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x24C2, 0x3030,
                            0x303D, 0x3297, 0x3299})  # fmt: skip


def _is_base(char: str) -> bool:
    point = ord(char)
    if point in _SKIN_TONES or point in _REGIONAL:
        return False
    in_block = point in _EMOJI_SINGLES or any(point in block for block in _EMOJI_BLOCKS)
    return in_block and unicodedata.category(char) == "So"


def _is_part(part: str) -> bool:
    """One part of a ZWJ sequence: a base, then either VS16 or a skin tone (or neither),
    then optionally a tag sequence ending with CANCEL TAG (a subdivision flag)."""
    if not part or not _is_base(part[0]):
        return False
    rest = part[1:]
    if rest and (rest[0] == _VS16 or ord(rest[0]) in _SKIN_TONES):
        rest = rest[1:]
    if rest.endswith(_CANCEL_TAG) and len(rest) > 1:
        return all(ord(c) in _TAGS for c in rest[:-1])
    return rest == ""


def is_single_emoji(value: str) -> bool:
    """One emoji: a flag (two regional indicators), a keycap, or a ZWJ sequence of parts."""
    if not 0 < len(value) <= MAX_EMOJI_CODE_POINTS:
        return False
    if len(value) == 2 and all(ord(c) in _REGIONAL for c in value):
        return True
    if value[0] in "0123456789#*" and value[1:] in (_KEYCAP, _VS16 + _KEYCAP):
        return True
    parts = value.split(_ZWJ)
    return len(parts) <= MAX_EMOJI_PARTS and all(_is_part(part) for part in parts)


def is_valid_reaction(value: object) -> bool:
    """A reaction as the log accepts it: one of the support set's words, or one emoji."""
    return isinstance(value, str) and (value in SUPPORT_REACTIONS or is_single_emoji(value))
