"""Care that follows through: which check-ins ask for a follow-up, and how long asking for
support stays news to a facilitator about to mute or remove that person.

Stated once here: the engine fills `MemberView.asked_for_support_at` by it and the GUI
asks it whether to offer help after a check-in and whether to mention the asking before
a mute or a removal (who may be told is core/permissions.py's `someone_to_tell`).
"""

from __future__ import annotations

from peerapp.core.circle_events import MOODS

# "Really struggling" and "Having a hard time": a check-in this low offers, on the spot,
# the crisis resources and telling a facilitator
LOW_MOODS: frozenset[int] = frozenset({MOODS.start, MOODS.start + 1})

# a low check-in or a care flag about someone counts as "asked for support recently" for
# this long: a facilitator deciding on a mute or a removal within it is reminded
SUPPORT_RECENT_SECONDS = 24 * 3600


def is_low(mood: int) -> bool:
    """Whether a check-in's mood asks for a follow-up (0: not a check-in)."""
    return mood in LOW_MOODS


def support_window_start(now_ms: int) -> int:
    """The earliest moment (ms) an asking for support still counts as recent."""
    return now_ms - SUPPORT_RECENT_SECONDS * 1000


def asked_recently(asked_at: int, now_ms: int) -> bool:
    """Whether `asked_at` (ms; 0 for never) is recent enough to mention."""
    return asked_at > 0 and asked_at >= support_window_start(now_ms)
