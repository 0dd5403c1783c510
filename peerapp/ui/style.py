"""The look of Hearth, as widgets ask for it: a role, a primary button, a strength.

Widgets never set colours themselves. They carry a role as a dynamic property
(`role`, `primary`, `strength`, `presence`) and the theme's style sheet
(ui/theme/stylesheet.py) decides what that role looks like, in light and dark alike.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from peerapp.ui import theme


def apply(app: QApplication) -> None:
    """Dress the application in the chosen theme (following the system until told)."""
    theme.follower(app)


def set_role(widget: QWidget, role: str) -> None:
    """Give a widget a look from the stylesheet (heading, muted, error, busy, quiet, ...)."""
    _set_property(widget, "role", role)


def mark_primary(widget: QWidget) -> None:
    """The one button per dialog that does what the person came to do."""
    _set_property(widget, "primary", True)


def set_strength(widget: QWidget, strength: str) -> None:
    _set_property(widget, "strength", strength)


def set_presence(widget: QWidget, online: bool) -> None:
    """A dot or line that says whether someone (or anyone) is connected."""
    _set_property(widget, "presence", "online" if online else "offline")


def name_colour(author: str) -> str:
    """A colour for a member's name, the same wherever it is shown (in this theme)."""
    return theme.current().name_colour(author)


def _set_property(widget: QWidget, name: str, value: object) -> None:
    widget.setProperty(name, value)
    # Qt only re-reads property selectors when the widget is polished again
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
