"""The desktop app's themes a profile may choose (ui/theme), stored in its settings.

Rules:
- one of THEMES; DEFAULT (follow the system) when nothing was chosen;
- a stored value this version cannot read counts as the default, never as an error: a
  look is no reason to refuse to open.
"""

from __future__ import annotations

SYSTEM = "system"
LIGHT = "light"
DARK = "dark"
THEMES = (SYSTEM, LIGHT, DARK)
DEFAULT = SYSTEM


def read_theme(stored: str | None) -> str:
    return stored if stored in THEMES else DEFAULT
