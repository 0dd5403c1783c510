"""How long a facilitator may mute someone and how slow slow mode may be, with the choices
the GUI offers. The engine enforces the bounds; fronts offer the choices.

Stated once here so the engine's checks and the menus cannot drift apart.
"""

from __future__ import annotations

MAX_MUTE_DAYS = 30
MAX_MUTE_SECONDS = MAX_MUTE_DAYS * 24 * 3600

# the member menu's usual mute lengths, and the units of a length of one's own choosing
MUTE_CHOICES: tuple[int, ...] = (10 * 60, 3600, 24 * 3600)
MUTE_UNITS: tuple[int, ...] = (60, 3600, 24 * 3600)

# the circle settings' slow mode lengths (0: off); a custom one may go up to
# circle_events.MAX_SLOW_MODE_SECONDS, which the log's own validation enforces
SLOW_MODE_CHOICES: tuple[int, ...] = (0, 10, 30, 60, 5 * 60)
