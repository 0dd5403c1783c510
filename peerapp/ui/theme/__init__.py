"""Light, dark and follow-the-system themes, applied to the whole application.

Rules:
- The person chooses Follow the system (the default), Light or Dark (ThemeChoice); the
  choice is kept with the session's other preferences (ui/preferences.py).
- Follow the system reads the platform's colour scheme (QStyleHints.colorScheme) and
  follows its changes while Hearth runs; an unknown scheme reads as light.
- Applying a theme sets three things from one Palette: the QPalette (so native parts --
  menus, checkboxes, combo popups, scroll areas, message boxes -- follow), the style sheet
  (stylesheet.py), and the palette the delegates paint with (`current()`).
- Fusion is the style under both, on every platform: a native style may ignore the
  QPalette (the dark-on-dark lists and menus of issue 14).
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from peerapp.ui.theme.palette import DARK, LIGHT, Palette
from peerapp.ui.theme.stylesheet import stylesheet

STYLE = "Fusion"


class ThemeChoice(enum.Enum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


_current: Palette = LIGHT


def current() -> Palette:
    """The palette of the theme in use (delegates read it each time they paint)."""
    return _current


def resolve(choice: ThemeChoice, scheme: Qt.ColorScheme) -> Palette:
    if choice is ThemeChoice.LIGHT:
        return LIGHT
    if choice is ThemeChoice.DARK:
        return DARK
    return DARK if scheme == Qt.ColorScheme.Dark else LIGHT


def qt_palette(palette: Palette) -> QPalette:
    """The QPalette for native drawing, from the same roles as the style sheet."""
    qt = QPalette()
    role = QPalette.ColorRole
    colours = {
        role.Window: palette.window,
        role.WindowText: palette.text,
        role.Base: palette.surface,
        role.AlternateBase: palette.sidebar,
        role.Text: palette.text,
        role.PlaceholderText: palette.muted,
        role.Button: palette.surface,
        role.ButtonText: palette.text,
        role.BrightText: palette.error_text,
        role.Highlight: palette.accent_soft,
        role.HighlightedText: palette.text,
        role.ToolTipBase: palette.surface,
        role.ToolTipText: palette.text,
        role.Link: palette.link,
        role.LinkVisited: palette.link,
        role.Light: palette.surface,
        role.Midlight: palette.divider,
        role.Mid: palette.outline,
        role.Dark: palette.outline,
        role.Shadow: palette.window if palette.dark else palette.outline,
        role.Accent: palette.accent,
    }
    for colour_role, colour in colours.items():
        qt.setColor(colour_role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for colour_role in (role.WindowText, role.Text, role.ButtonText, role.HighlightedText):
        qt.setColor(disabled, colour_role, QColor(palette.disabled_text))
    return qt


def apply(app: QApplication, palette: Palette) -> None:
    global _current  # noqa: PLW0603 - one theme per application
    _current = palette
    if app.style().name().lower() != STYLE.lower():
        app.setStyle(STYLE)
    app.setPalette(qt_palette(palette))
    app.setStyleSheet(stylesheet(palette))


class ThemeFollower(QObject):
    """Holds the choice and applies it, again whenever the system's scheme changes."""

    changed = Signal(object)  # the Palette now in use

    def __init__(self, app: QApplication, choice: ThemeChoice = ThemeChoice.SYSTEM) -> None:
        super().__init__(app)
        self._app = app
        self.choice = choice
        hints = QGuiApplication.styleHints()
        self.scheme = hints.colorScheme()  # the system's, as last told
        hints.colorSchemeChanged.connect(self.system_scheme_changed)
        self._apply()

    def choose(self, choice: ThemeChoice) -> None:
        self.choice = choice
        self._apply()

    @Slot(Qt.ColorScheme)
    def system_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        self.scheme = scheme
        if self.choice is ThemeChoice.SYSTEM:
            self._apply()

    def _apply(self) -> None:
        palette = resolve(self.choice, self.scheme)
        if palette is _current and self._app.styleSheet():
            return  # nothing to redo: re-polishing every widget is not free
        apply(self._app, palette)
        self.changed.emit(palette)


def follower(app: QApplication) -> ThemeFollower:
    """The application's one follower, made (following the system) on first use."""
    existing = app.findChild(ThemeFollower)
    return existing if isinstance(existing, ThemeFollower) else ThemeFollower(app)
