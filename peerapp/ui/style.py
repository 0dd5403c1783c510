"""The look of Hearth: one warm, calm palette and one stylesheet, applied to the application.

Widgets never set colours themselves. They carry a role as a dynamic property
(`role`, `primary`, `strength`) and this stylesheet decides what that role looks like, so
the whole look can change here without touching a dialog.
"""

from __future__ import annotations

import zlib

from PySide6.QtWidgets import QApplication, QWidget

# Warm neutrals with one ember accent: calm enough for hard conversations, not clinical.
BACKGROUND = "#FBF7F2"
SURFACE = "#FFFFFF"
SIDEBAR = "#F3ECE3"
BORDER = "#E4D8CB"
TEXT = "#3B3028"
MUTED = "#7A6A5D"
ACCENT = "#C4643D"
ACCENT_HOVER = "#B0552F"
ACCENT_PRESSED = "#974725"
ACCENT_SOFT = "#F6E3D8"
ACCENT_DISABLED_TEXT = "#C99A83"
DISABLED_TEXT = "#B9AEA4"
ERROR_TEXT = "#8E3320"
ERROR_BACKGROUND = "#FBE9E3"
ERROR_BORDER = "#E8B7A7"
ONLINE = "#5E9A63"
OFFLINE = "#CDBFB2"
# painted by the message and circle delegates rather than by the stylesheet
BUBBLE_MINE = ACCENT_SOFT
BUBBLE_OTHER = SURFACE
BUBBLE_BORDER = BORDER
BUBBLE_SELECTED = ACCENT
BADGE = ACCENT
DELIVERY_PENDING = MUTED
DELIVERY_PARTLY = MUTED
DELIVERY_HELD = ACCENT
BADGE_TEXT = "#FFFFFF"
# a name keeps its colour in a circle: picked from these by the author id
NAME_COLOURS = ("#B0552F", "#8A6420", "#4F7A4A", "#3F6A80", "#7A4A6E", "#9A4A3A")
STRENGTH_COLOURS = {
    "too short": "#C4533A",
    "weak": "#D9822B",
    "fair": "#CFA93A",
    "strong": "#5E9A63",
}

_STRENGTH_RULES = "\n".join(
    f'QProgressBar#strengthBar[strength="{name}"]::chunk {{ background: {colour}; '
    "border-radius: 3px; }\n"
    f'QLabel#strengthLabel[strength="{name}"] {{ color: {colour}; }}'
    for name, colour in STRENGTH_COLOURS.items()
)

STYLESHEET = f"""
QWidget {{
    color: {TEXT};
}}
QMainWindow, QDialog {{
    background: {BACKGROUND};
}}
QMenuBar {{
    background: {BACKGROUND};
}}
QStatusBar {{
    background: {SIDEBAR};
    border-top: 1px solid {BORDER};
}}
QStatusBar QLabel {{
    color: {MUTED};
    padding: 2px 8px;
}}

QLabel[role="heading"] {{
    font-size: 20px;
    font-weight: 600;
}}
QLabel[role="subheading"] {{
    font-size: 15px;
    font-weight: 600;
}}
QLabel[role="muted"] {{
    color: {MUTED};
    font-size: 12px;
}}
QLabel[role="error"] {{
    color: {ERROR_TEXT};
}}
QLabel[role="busy"] {{
    color: {MUTED};
    font-style: italic;
}}

QLineEdit, QPlainTextEdit {{
    background: {SURFACE};
    border: 1px solid {BORDER};
    border-radius: 6px;
    padding: 6px 8px;
    min-height: 20px;
    selection-background-color: {ACCENT_SOFT};
    selection-color: {TEXT};
}}
QLineEdit:focus, QPlainTextEdit:focus {{
    border: 1px solid {ACCENT};
}}
QLineEdit:disabled, QPlainTextEdit:disabled {{
    color: {DISABLED_TEXT};
}}

QPushButton {{
    background: {SURFACE};
    border: 1px solid {BORDER};
    border-radius: 6px;
    padding: 7px 16px;
    min-width: 72px;
}}
QPushButton:hover {{
    border-color: {ACCENT};
}}
QPushButton:disabled {{
    color: {DISABLED_TEXT};
    border-color: {BORDER};
}}
QToolBar#helpToolbar {{
    background: {BACKGROUND};
    border: none;
    border-bottom: 1px solid {BORDER};
    padding: 4px 10px;
}}
QToolBar#helpToolbar QToolButton {{
    color: {ERROR_TEXT};
    background: {ERROR_BACKGROUND};
    border: 1px solid {ERROR_BORDER};
    border-radius: 6px;
    padding: 4px 12px;
    font-weight: 600;
}}
QToolBar#helpToolbar QToolButton:hover {{
    border-color: {ERROR_TEXT};
}}
QPushButton[primary="true"] {{
    background: {ACCENT};
    border: 1px solid {ACCENT};
    color: white;
    font-weight: 600;
}}
QPushButton[primary="true"]:hover {{
    background: {ACCENT_HOVER};
}}
QPushButton[primary="true"]:pressed {{
    background: {ACCENT_PRESSED};
}}
QPushButton[primary="true"]:disabled {{
    background: {ACCENT_SOFT};
    border-color: {ACCENT_SOFT};
    color: {ACCENT_DISABLED_TEXT};
}}

QProgressBar#strengthBar {{
    background: {BORDER};
    border: none;
    border-radius: 3px;
    max-height: 6px;
    min-height: 6px;
}}
{_STRENGTH_RULES}
QProgressBar#busyBar {{
    background: {BORDER};
    border: none;
    border-radius: 2px;
    max-height: 4px;
    min-height: 4px;
}}
QProgressBar#busyBar::chunk {{
    background: {ACCENT};
    border-radius: 2px;
}}

QFrame#catchUpBar {{
    background: {ACCENT_SOFT};
    border-bottom: 1px solid {BORDER};
}}
QProgressBar#catchUpProgress {{
    background: {SURFACE};
    border: none;
    border-radius: 2px;
    max-height: 4px;
    min-height: 4px;
}}
QProgressBar#catchUpProgress::chunk {{
    background: {ACCENT};
    border-radius: 2px;
}}

QFrame#sidebar {{
    background: {SIDEBAR};
    border-right: 1px solid {BORDER};
}}
QListWidget#circleList {{
    background: transparent;
    border: none;
}}
QListWidget#circleList::item {{
    padding: 8px 10px;
    border-radius: 6px;
}}
QListWidget#circleList::item:selected {{
    background: {ACCENT_SOFT};
    color: {TEXT};
}}

QPushButton[role="quiet"] {{
    background: transparent;
    border: 1px solid transparent;
    color: {MUTED};
    min-width: 0;
    padding: 5px 8px;
    text-align: left;
}}
QPushButton[role="quiet"]:hover {{
    border-color: {BORDER};
    color: {TEXT};
}}
QPushButton[role="toggle"] {{
    min-width: 0;
    padding: 6px 12px;
}}
QPushButton[role="toggle"]:checked {{
    background: {ACCENT_SOFT};
    border-color: {ACCENT_SOFT};
}}

QFrame#circleHeader {{
    background: {SURFACE};
    border-bottom: 1px solid {BORDER};
}}
QLabel#circleTitle {{
    font-size: 17px;
    font-weight: 600;
}}
QLabel[presence="online"] {{
    color: {ONLINE};
}}
QLabel[presence="offline"] {{
    color: {OFFLINE};
}}
QListView#messageList {{
    background: {BACKGROUND};
    border: none;
}}
QFrame#composerBar {{
    background: {SURFACE};
    border-top: 1px solid {BORDER};
}}
QPlainTextEdit#composer {{
    border-radius: 10px;
    padding: 6px 10px;
}}
QLabel[role="counter"] {{
    color: {MUTED};
    font-size: 12px;
}}
QLabel[role="counter-over"] {{
    color: {ERROR_TEXT};
    font-size: 12px;
    font-weight: 600;
}}
QFrame#memberPanel {{
    background: {SIDEBAR};
    border-left: 1px solid {BORDER};
}}
QListWidget#memberList {{
    background: transparent;
    border: none;
}}
QLabel[role="badge"] {{
    background: {ACCENT_SOFT};
    color: {ACCENT_PRESSED};
    border-radius: 8px;
    padding: 1px 8px;
    min-height: 14px;
    font-size: 10px;
    font-weight: 600;
}}
QLineEdit#inviteCode {{
    font-family: monospace;
    background: {SIDEBAR};
}}
QLabel#qrImage {{
    background: white;
    border: 1px solid {BORDER};
    border-radius: 8px;
    padding: 6px;
}}
QFrame#versionCard {{
    background: {SURFACE};
    border: 1px solid {BORDER};
    border-radius: 8px;
}}
QLabel#inviteRefusal {{
    background: {ACCENT_SOFT};
    border-radius: 8px;
    padding: 10px 12px;
}}
QFrame#inviteNote {{
    background: {ACCENT_SOFT};
    border-radius: 8px;
}}
QFrame#guidelinesStrip {{
    background: {ACCENT_SOFT};
    border-bottom: 1px solid {BORDER};
}}
QLabel#guidelinesHeading {{
    font-weight: 600;
}}
QScrollArea#guidelinesScroll, QScrollArea#guidelinesScroll > QWidget > QWidget {{
    background: transparent;
}}
QFrame#joinRequests {{
    background: {SURFACE};
    border-bottom: 1px solid {BORDER};
}}
QFrame#waitingJoin {{
    border: 1px dashed {BORDER};
    border-radius: 6px;
}}
QLabel#waitingName {{
    color: {MUTED};
    font-style: italic;
}}
QLabel#approvalNote {{
    color: {ACCENT_PRESSED};
}}
QFrame#inviteRow {{
    background: {SURFACE};
    border: 1px solid {BORDER};
    border-radius: 6px;
}}
QScrollArea#inviteList, QScrollArea#inviteList > QWidget > QWidget {{
    background: transparent;
}}
QScrollArea#equivocations {{
    border: none;
}}
QScrollArea#equivocations > QWidget,
QScrollArea#equivocations > QWidget > QWidget {{
    background: transparent;
}}
QFrame#revokeConfirm {{
    background: {ERROR_BACKGROUND};
    border: 1px solid {ERROR_BORDER};
    border-radius: 8px;
}}
QFrame#removedBar {{
    background: {SIDEBAR};
    border-top: 1px solid {BORDER};
}}
QLabel#composerHold {{
    color: {ACCENT_PRESSED};
}}
QTableWidget#moderationLog {{
    background: {SURFACE};
    border: 1px solid {BORDER};
    border-radius: 6px;
}}

/* focus rings (issue 14): 2 px in the text colour on every kind of button, the padding
   one pixel less so nothing moves; at least 3:1 against the button and around it */
QPushButton:focus {{
    border: 2px solid {TEXT};
    padding: 6px 15px;
}}
QPushButton[role="quiet"]:focus {{
    border: 2px solid {TEXT};
    padding: 4px 7px;
}}
QPushButton[role="toggle"]:focus {{
    padding: 5px 11px;
}}
QFrame#errorBanner QPushButton:focus {{
    border: 2px solid {ERROR_TEXT};
    padding: 3px 9px;
}}
QToolBar#helpToolbar QToolButton:focus {{
    border: 2px solid {ERROR_TEXT};
    padding: 3px 11px;
}}
QToolButton:focus {{
    border: 2px solid {TEXT};
    border-radius: 4px;
}}
/* disabled menu entries look disabled (issue 14): the QWidget colour above paints
   every state alike */
QMenu::item:disabled, QMenuBar::item:disabled {{
    color: {DISABLED_TEXT};
}}

QScrollBar:vertical {{
    background: transparent;
    width: 10px;
    margin: 2px;
}}
QScrollBar::handle:vertical {{
    background: {BORDER};
    border-radius: 3px;
    min-height: 32px;
}}
QScrollBar::handle:vertical:hover {{
    background: {MUTED};
}}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{
    height: 0;
}}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{
    background: transparent;
}}

QFrame#errorBanner {{
    background: {ERROR_BACKGROUND};
    border-bottom: 1px solid {ERROR_BORDER};
}}
QFrame#errorBanner QLabel {{
    color: {ERROR_TEXT};
}}
QFrame#errorBanner QPushButton {{
    background: transparent;
    border: 1px solid {ERROR_BORDER};
    color: {ERROR_TEXT};
    min-width: 0;
    padding: 4px 10px;
}}
"""


def apply(app: QApplication) -> None:
    app.setStyleSheet(STYLESHEET)


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
    """A colour for a member's name, the same wherever it is shown."""
    return NAME_COLOURS[zlib.crc32(author.encode()) % len(NAME_COLOURS)]


def _set_property(widget: QWidget, name: str, value: object) -> None:
    widget.setProperty(name, value)
    # Qt only re-reads property selectors when the widget is polished again
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
