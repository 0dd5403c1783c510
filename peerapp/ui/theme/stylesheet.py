"""The application's style sheet, generated from a Palette.

Widgets never set colours themselves. They carry a role as a dynamic property (`role`,
`primary`, `strength`, `presence`) or an object name, and this sheet decides what that
looks like, so the whole look changes here without touching a dialog.

The template names palette roles as `$role` (string.Template), so the contrast test can
read back which foreground is drawn on which background (`template_rules`). Font sizes
are in points, so the system's font scale applies; paddings and radii stay in pixels.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from peerapp.ui.resources import resource_path
from peerapp.ui.theme.palette import Palette

STRENGTHS = ("too_short", "weak", "fair", "strong")

_STRENGTH_RULES = "\n".join(
    f'QProgressBar#strengthBar[strength="{name.replace("_", " ")}"]::chunk {{ '
    f"background: $strength_{name}; border-radius: 3px; }}\n"
    f'QLabel#strengthLabel[strength="{name.replace("_", " ")}"] {{ color: $strength_{name}; }}'
    for name in STRENGTHS
)

TEMPLATE = (
    """
QWidget {
    color: $text;
}
QMainWindow, QDialog {
    background: $window;
}
QMenuBar {
    background: $window;
    color: $text;
}
QMenuBar::item:selected {
    background: $accent_soft;
    color: $text;
}
QMenu {
    background: $surface;
    color: $text;
    border: 1px solid $outline;
    padding: 4px 0;
}
QMenu::item {
    padding: 5px 24px 5px 20px;
}
QMenu::item:selected {
    background: $accent_soft;
    color: $text;
}
QMenu::item:disabled {
    color: $disabled_text;
}
QMenu::separator {
    height: 1px;
    background: $divider;
    margin: 4px 8px;
}
QMenu::indicator {
    width: 10px;
    height: 10px;
    border-radius: 3px;
    left: 6px;
}
QMenu::indicator:unchecked {
    background: $surface;
    border: 1px solid $outline;
}
QMenu::indicator:checked {
    background: $accent;
    border: 1px solid $accent;
}
QToolTip {
    background: $surface;
    color: $text;
    border: 1px solid $outline;
    padding: 4px 6px;
}
QStatusBar {
    background: $sidebar;
    border-top: 1px solid $divider;
}
QStatusBar QLabel {
    color: $muted;
    padding: 2px 8px;
}

QLabel[role="heading"] {
    font-size: 15pt;
    font-weight: 600;
}
QLabel[role="subheading"] {
    font-size: 11pt;
    font-weight: 600;
}
QLabel[role="muted"] {
    color: $muted;
    font-size: 9pt;
}
QLabel[role="error"] {
    color: $error_text;
}
QLabel[role="busy"] {
    color: $muted;
    font-style: italic;
}

QLineEdit, QPlainTextEdit, QSpinBox, QTimeEdit {
    background: $surface;
    color: $text;
    border: 1px solid $outline;
    border-radius: 6px;
    padding: 6px 8px;
    min-height: 20px;
    selection-background-color: $accent_soft;
    selection-color: $text;
}
QLineEdit:focus, QPlainTextEdit:focus, QSpinBox:focus, QTimeEdit:focus {
    border: 2px solid $focus;
    padding: 5px 7px;
}
QLineEdit:disabled, QPlainTextEdit:disabled, QSpinBox:disabled, QTimeEdit:disabled {
    color: $disabled_text;
}

QComboBox {
    background: $surface;
    color: $text;
    border: 1px solid $outline;
    border-radius: 6px;
    padding: 5px 8px;
    min-height: 20px;
}
QComboBox:focus {
    border: 2px solid $focus;
    padding: 4px 7px;
}
QComboBox:disabled {
    color: $disabled_text;
}
QComboBox::drop-down {
    border: none;
    width: 22px;
}
QComboBox::down-arrow, QSpinBox::down-arrow, QTimeEdit::down-arrow {
    image: url($arrow_down);
    width: 10px;
    height: 6px;
}
QSpinBox::up-arrow, QTimeEdit::up-arrow {
    image: url($arrow_up);
    width: 10px;
    height: 6px;
}
QSpinBox::up-button, QTimeEdit::up-button {
    subcontrol-origin: border;
    subcontrol-position: top right;
    width: 20px;
    border: none;
    background: transparent;
}
QSpinBox::down-button, QTimeEdit::down-button {
    subcontrol-origin: border;
    subcontrol-position: bottom right;
    width: 20px;
    border: none;
    background: transparent;
}
QSpinBox, QTimeEdit {
    padding-right: 22px;
}
QSpinBox:focus, QTimeEdit:focus {
    padding-right: 21px;
}
QComboBox QAbstractItemView {
    background: $surface;
    color: $text;
    border: 1px solid $outline;
    selection-background-color: $accent_soft;
    selection-color: $text;
    outline: none;
}

QCheckBox, QRadioButton {
    color: $text;
    spacing: 8px;
}
QCheckBox:disabled, QRadioButton:disabled {
    color: $disabled_text;
}
QCheckBox::indicator, QRadioButton::indicator {
    width: 14px;
    height: 14px;
    background: $surface;
    border: 1px solid $outline;
}
QCheckBox::indicator {
    border-radius: 3px;
}
QRadioButton::indicator {
    border-radius: 8px;
}
QCheckBox::indicator:checked, QRadioButton::indicator:checked {
    background: $accent;
    border: 1px solid $accent;
}
QCheckBox::indicator:focus, QRadioButton::indicator:focus {
    border: 2px solid $focus;
}
QCheckBox:focus, QRadioButton:focus {
    color: $text;
}

QToolButton {
    background: transparent;
    color: $text;
    border: 1px solid transparent;
    border-radius: 6px;
    padding: 2px 6px;
}
QToolButton:hover {
    border-color: $outline;
}
QToolButton:focus {
    border: 2px solid $focus;
}
QToolButton:disabled {
    color: $disabled_text;
}
QPushButton, QToolButton#contentWarningButton {
    background: $surface;
    color: $text;
    border: 1px solid $outline;
    border-radius: 6px;
    padding: 7px 16px;
    min-width: 72px;
}
QToolButton#contentWarningButton {
    min-width: 0;
    padding: 5px 10px;
}
QToolButton#contentWarningButton::menu-indicator {
    subcontrol-position: right center;
    right: 4px;
}
QPushButton:hover, QToolButton#contentWarningButton:hover {
    border-color: $accent;
}
QPushButton:focus, QToolButton#contentWarningButton:focus {
    border: 2px solid $focus;
}
QPushButton:disabled, QToolButton#contentWarningButton:disabled {
    color: $disabled_text;
    border-color: $divider;
}
QToolBar#helpToolbar {
    background: $window;
    border: none;
    border-bottom: 1px solid $divider;
    padding: 4px 10px;
}
QToolBar#helpToolbar QToolButton {
    color: $error_text;
    background: $error_background;
    border: 1px solid $error_border;
    border-radius: 6px;
    padding: 4px 12px;
    font-weight: 600;
}
QToolBar#helpToolbar QToolButton:hover {
    border-color: $error_text;
}
QToolBar#helpToolbar QToolButton:focus {
    border: 2px solid $focus;
}
QToolBar#helpToolbar QToolButton#careToolbarButton {
    color: $accent_text;
    background: $accent_soft;
    border: 1px solid $accent_text;
}
QToolBar#helpToolbar QToolButton#careToolbarButton:focus {
    border: 2px solid $focus;
}
QPushButton[primary="true"] {
    background: $accent;
    border: 1px solid $accent;
    color: $on_accent;
    font-weight: 600;
}
QPushButton[primary="true"]:hover {
    background: $accent_hover;
    color: $on_accent;
}
QPushButton[primary="true"]:pressed {
    background: $accent_pressed;
    color: $on_accent;
}
QPushButton[primary="true"]:focus {
    border: 2px solid $focus_on_accent;
}
QPushButton#sendButton {
    min-width: 48px;
    padding: 7px 12px;
}
QPushButton[primary="true"]:disabled {
    background: $accent_soft;
    border-color: $accent_soft;
    color: $accent_disabled_text;
}

QProgressBar#strengthBar {
    background: $divider;
    border: none;
    border-radius: 3px;
    max-height: 6px;
    min-height: 6px;
}
"""
    + _STRENGTH_RULES
    + """
QProgressBar#busyBar {
    background: $divider;
    border: none;
    border-radius: 2px;
    max-height: 4px;
    min-height: 4px;
}
QProgressBar#busyBar::chunk {
    background: $accent;
    border-radius: 2px;
}

QFrame#catchUpBar {
    background: $accent_soft;
    border-bottom: 1px solid $divider;
}
QProgressBar#catchUpProgress {
    background: $surface;
    border: none;
    border-radius: 2px;
    max-height: 4px;
    min-height: 4px;
}
QProgressBar#catchUpProgress::chunk {
    background: $accent;
    border-radius: 2px;
}

QFrame#sidebar {
    background: $sidebar;
    border-right: 1px solid $divider;
}
QListWidget#circleList {
    background: transparent;
    border: none;
}
QListWidget#circleList::item {
    padding: 8px 10px;
    border-radius: 6px;
}
QListWidget#circleList::item:selected {
    background: $accent_soft;
    color: $text;
}

QPushButton[role="quiet"] {
    background: transparent;
    border: 1px solid transparent;
    color: $muted;
    min-width: 0;
    padding: 5px 8px;
    text-align: left;
}
QPushButton[role="quiet"]:hover {
    border-color: $outline;
    color: $text;
}
QPushButton[role="quiet"]:focus {
    border: 2px solid $focus;
    color: $text;
}
QPushButton[role="toggle"] {
    min-width: 0;
    padding: 6px 12px;
}
QPushButton[role="toggle"]:checked {
    background: $accent_soft;
    border-color: $accent;
    color: $text;
}

QFrame#circleHeader {
    background: $surface;
    border-bottom: 1px solid $divider;
}
QLabel#circleTitle {
    font-size: 13pt;
    font-weight: 600;
}
QLabel[presence="online"] {
    color: $online;
}
QLabel[presence="offline"] {
    color: $offline;
}
QListView#messageList {
    background: $window;
    border: none;
}
QFrame#composerBar {
    background: $surface;
    border-top: 1px solid $divider;
}
QPlainTextEdit#composer {
    border-radius: 10px;
    padding: 6px 10px;
}
QLabel[role="counter"] {
    color: $muted;
    font-size: 9pt;
}
QLabel[role="counter-over"] {
    color: $error_text;
    font-size: 9pt;
    font-weight: 600;
}
QFrame#memberPanel {
    background: $sidebar;
    border-left: 1px solid $divider;
}
QListWidget#memberList {
    background: transparent;
    border: none;
}
QLabel[role="badge"] {
    background: $accent_soft;
    color: $accent_text;
    border-radius: 8px;
    padding: 1px 8px;
    min-height: 14px;
    font-size: 8pt;
    font-weight: 600;
}
QLabel[role="badge"][compact="true"] {
    padding: 1px 4px;
}
QLineEdit#inviteCode {
    font-family: monospace;
    background: $sidebar;
}
QLabel#qrImage {
    background: white;
    border: 1px solid $divider;
    border-radius: 8px;
    padding: 6px;
}
QFrame#versionCard {
    background: $surface;
    border: 1px solid $divider;
    border-radius: 8px;
}
QLabel#inviteRefusal {
    background: $accent_soft;
    color: $text;
    border-radius: 8px;
    padding: 10px 12px;
}
QFrame#inviteNote {
    background: $accent_soft;
    border-radius: 8px;
}
QFrame#crisisPrompt {
    background: $accent_soft;
    border: 1px solid $divider;
    border-radius: 8px;
}
QFrame#guidelinesStrip {
    background: $accent_soft;
    border-bottom: 1px solid $divider;
}
QLabel#guidelinesHeading {
    font-weight: 600;
}
QScrollArea#guidelinesScroll, QScrollArea#guidelinesScroll > QWidget > QWidget {
    background: transparent;
}
QFrame#joinRequests {
    background: $surface;
    border-bottom: 1px solid $divider;
}
QFrame#waitingJoin {
    border: 1px dashed $outline;
    border-radius: 6px;
}
QLabel#waitingName {
    color: $muted;
    font-style: italic;
}
QLabel#approvalNote {
    color: $accent_text;
}
QFrame#inviteRow {
    background: $surface;
    border: 1px solid $divider;
    border-radius: 6px;
}
QScrollArea#inviteList, QScrollArea#inviteList > QWidget > QWidget {
    background: transparent;
}
QScrollArea#equivocations, QScrollArea#careFlags, QScrollArea#crisisServices {
    background: transparent;
    border: none;
}
QScrollArea#equivocations > QWidget,
QScrollArea#equivocations > QWidget > QWidget,
QScrollArea#careFlags > QWidget,
QScrollArea#careFlags > QWidget > QWidget,
QScrollArea#crisisServices > QWidget,
QScrollArea#crisisServices > QWidget > QWidget {
    background: transparent;
}
QFrame#crisisService {
    background: $surface;
    border: 1px solid $divider;
    border-radius: 8px;
}
QLabel#crisisHeading {
    font-size: 15pt;
    font-weight: 600;
}
QLabel#crisisEmergency {
    color: $error_text;
}
QFrame#countryGuess {
    background: $accent_soft;
    border-radius: 6px;
}
QLabel#countryGuessText {
    color: $text;
}
QFrame#revokeConfirm {
    background: $error_background;
    border: 1px solid $error_border;
    border-radius: 8px;
}
QFrame#removedBar {
    background: $sidebar;
    border-top: 1px solid $divider;
}
QLabel#composerHold {
    color: $accent_text;
}
QListWidget#moderationLog {
    background: $surface;
    color: $text;
    border: 1px solid $divider;
    border-radius: 6px;
}
QListWidget#moderationLog::item {
    border-bottom: 1px solid $divider;
}
QLabel#moderationWhat {
    font-weight: 600;
}

QScrollBar:vertical {
    background: transparent;
    width: 10px;
    margin: 2px;
}
QScrollBar::handle:vertical {
    background: $outline;
    border-radius: 3px;
    min-height: 32px;
}
QScrollBar::handle:vertical:hover {
    background: $muted;
}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {
    height: 0;
}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {
    background: transparent;
}

QFrame#errorBanner {
    background: $error_background;
    border-bottom: 1px solid $error_border;
}
QFrame#errorBanner QLabel {
    color: $error_text;
}
QFrame#errorBanner QPushButton {
    background: transparent;
    border: 1px solid $error_border;
    color: $error_text;
    min-width: 0;
    padding: 4px 10px;
}
QFrame#errorBanner QPushButton:focus {
    border: 2px solid $focus;
}
"""
)


# one grey arrow for both themes: 3:1 and more on either theme's inputs (contrast test)
ARROWS = {
    "arrow_down": resource_path("icons", "arrow-down.svg"),
    "arrow_up": resource_path("icons", "arrow-up.svg"),
}
ARROW_COLOUR = "#8A7B70"


def stylesheet(palette: Palette) -> str:
    values = {name: palette.role(name) for name in _template_roles() if name not in ARROWS}
    values.update({name: path.as_posix() for name, path in ARROWS.items()})
    return string.Template(TEMPLATE).substitute(values)


# -- read back, for the contrast test -----------------------------------------------------

_BLOCK = re.compile(r"([^{}]+)\{([^{}]*)\}")
_DECLARATION = re.compile(r"([a-z-]+)\s*:\s*([^;]+);")
_ROLE = re.compile(r"\$([a-z_]+)")


@dataclass(frozen=True)
class Rule:
    """One block of the template: its selector and, per property, the role it names."""

    selector: str
    roles: dict[str, str]  # "color" -> "muted", "background" -> "surface", "border" -> ...


def template_rules() -> list[Rule]:
    rules = []
    for selector, body in _BLOCK.findall(TEMPLATE):
        roles = {}
        for prop, value in _DECLARATION.findall(body):
            named = _ROLE.search(value)
            if named is not None:
                roles[prop] = named.group(1)
        rules.append(Rule(" ".join(selector.split()), roles))
    return rules


def _template_roles() -> set[str]:
    return set(_ROLE.findall(TEMPLATE))
