"""Keyboard rules that hold in every window of the app (issue 14, item 7).

Enter presses the focused button. Qt's own rule differs: in a dialog, Enter on a button
that is not "auto default" presses the dialog's default button instead (so Enter on a
focused "Delete" pressed Cancel, silently), and outside dialogs Enter on a button does
nothing at all. One application-wide event filter makes Enter (and keypad Enter) on a
focused, enabled push or tool button press THAT button, everywhere; Space already does.
Dialogs keep their default button for Enter pressed anywhere else (in a text field).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QPushButton, QToolButton

ENTER_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
# keypad Enter carries the keypad modifier; any other modifier means another shortcut
PLAIN = frozenset({Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier})


class EnterPressesFocusedButton(QObject):
    """The event filter; installed once on the application by `install`."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if Qt.Key(event.key()) not in ENTER_KEYS or event.modifiers() not in PLAIN:
            return False
        if not isinstance(watched, QPushButton | QToolButton):
            return False
        if not (watched.hasFocus() and watched.isEnabled() and watched.isVisible()):
            return False
        if event.isAutoRepeat():
            return True  # a held key presses once
        watched.animateClick()
        return True


def install(app: QApplication) -> None:
    """Make Enter press the focused button in every window (once per application)."""
    if app.findChild(EnterPressesFocusedButton) is None:
        app.installEventFilter(EnterPressesFocusedButton(app))
