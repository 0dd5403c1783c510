"""What an invite code may be: how long it stays valid, how many people may use it, and
the choices the GUI offers. The engine enforces the bounds; fronts offer the choices.

Stated once here so the engine's checks and the dialog's offer cannot drift apart.
"""

from __future__ import annotations

MIN_USES = 1
MAX_USES = 1000
MIN_SECONDS = 60
MAX_SECONDS = 90 * 24 * 3600
DEFAULT_SECONDS = 7 * 24 * 3600
DEFAULT_USES = 1
# with join approval on a facilitator reviews everyone who uses a code, so one code can
# safely go to a whole group
APPROVAL_USES = 20

# what the invite dialog offers (each within the bounds; the defaults among them)
EXPIRY_CHOICES: tuple[int, ...] = (3600, 24 * 3600, DEFAULT_SECONDS, 30 * 24 * 3600)
USES_CHOICES: tuple[int, ...] = (DEFAULT_USES, 5, APPROVAL_USES)


def default_uses(join_approval: bool) -> int:
    """How many people may use a code when its maker does not say."""
    return APPROVAL_USES if join_approval else DEFAULT_USES
