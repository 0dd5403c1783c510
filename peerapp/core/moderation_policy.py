"""How long a facilitator may mute someone and how slow slow mode may be, with the choices
the GUI offers. The engine enforces the bounds; fronts offer the choices.

Stated once here so the engine's checks and the menus cannot drift apart.
"""

from __future__ import annotations

import unicodedata

MAX_MUTE_DAYS = 30
MAX_MUTE_SECONDS = MAX_MUTE_DAYS * 24 * 3600

# the member menu's usual mute lengths, and the units of a length of one's own choosing
MUTE_CHOICES: tuple[int, ...] = (10 * 60, 3600, 24 * 3600)
MUTE_UNITS: tuple[int, ...] = (60, 3600, 24 * 3600)

# the circle settings' slow mode lengths (0: off); a custom one may go up to
# circle_events.MAX_SLOW_MODE_SECONDS, which the log's own validation enforces
SLOW_MODE_CHOICES: tuple[int, ...] = (0, 10, 30, 60, 5 * 60)

# A facilitator's reason for a removal, ban, mute or delete: short plain words, shown to
# the member it is about and in the moderation log (the signed body's optional `reason`).
# One line of text: a control character (a newline, an escape) is no part of it, since a
# hostile member's reason is shown to everyone; the app folds whitespace before signing.
MAX_REASON_CHARS = 280


def is_plain_reason(value: object) -> bool:
    """A reason as the log accepts it: text of 1..MAX_REASON_CHARS characters, not only
    spaces, with no control character (Unicode category Cc)."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_REASON_CHARS
        and bool(value.strip())
        and not any(unicodedata.category(char) == "Cc" for char in value)
    )


def clean_reason(text: str) -> str:
    """A reason as typed, ready to sign: whitespace runs (newlines and tabs too) folded
    into one space, ends trimmed; "" means none."""
    return " ".join(text.split())
