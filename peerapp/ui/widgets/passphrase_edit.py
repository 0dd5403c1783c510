"""A passphrase box: hidden as typed, with an eye to show it, and a Caps Lock hint.

Rules:
- Hidden (password echo) until the person asks: the eye button at the box's end shows the
  text and becomes "Hide passphrase"; pressed again, hides it. Its name and tooltip say
  which it will do, for screen readers and mice alike. It is a real button inside the
  box (not the icon Qt draws for a line edit's action, which never takes focus): Tab
  reaches it right after the box, Space presses it, and it shows the focus ring.
- The Caps Lock hint (`caps_lock_hint`, a label the caller puts under the box) shows while
  typing with Caps Lock on, and hides when it is off, when the box is left, or emptied.
- Detecting Caps Lock: Qt has no portable way to ask for its state (QGuiApplication
  knows Shift, Ctrl, Alt and Meta, never the locks). So it is inferred from what is
  typed: a letter whose case disagrees with Shift ("A" with Shift up, "a" with Shift
  down) means Caps Lock is on; one that agrees means it is off. Other keys say nothing,
  and a press of Caps Lock itself flips what was known. Until a letter is typed the
  state is unknown and no hint shows. (Some layouts have no cased letters: no hint there.)
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QAction, QFocusEvent, QIcon, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QToolButton, QWidget

from peerapp.ui import style
from peerapp.ui.resources import resource_path
from peerapp.ui.text import profile


def caps_lock_from(event: QKeyEvent) -> bool | None:
    """What a key press says about Caps Lock: on, off, or nothing (None)."""
    text = event.text()
    if len(text) != 1 or text.lower() == text.upper():
        return None  # not a cased letter: digits, symbols, Enter, arrows...
    shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
    return text.isupper() != shift


class PassphraseEdit(QLineEdit):
    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setPlaceholderText(placeholder)
        self.caps_lock: bool | None = None  # unknown until a letter is typed
        self.caps_lock_hint = QLabel(profile.caps_lock_on())
        self.caps_lock_hint.setObjectName("capsLockHint")
        self.caps_lock_hint.setWordWrap(True)
        style.set_role(self.caps_lock_hint, "muted")
        self.caps_lock_hint.hide()
        self.show_action = QAction(self)
        self.show_action.setObjectName("showPassphrase")
        self.show_action.setCheckable(True)
        self.show_action.toggled.connect(self._show_toggled)
        self.eye = QToolButton(self)
        self.eye.setObjectName("showPassphraseButton")
        self.eye.setDefaultAction(self.show_action)
        self.eye.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it (issue 14)
        self.eye.setCursor(Qt.CursorShape.ArrowCursor)
        self.eye.setIconSize(QSize(16, 16))
        self._describe_show_action(shown=False)
        self.textChanged.connect(self._text_changed)

    # -- showing the text ---------------------------------------------------------------

    def is_shown(self) -> bool:
        return self.echoMode() == QLineEdit.EchoMode.Normal

    @Slot(bool)
    def _show_toggled(self, shown: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self._describe_show_action(shown)

    def _describe_show_action(self, shown: bool) -> None:
        words = profile.hide_passphrase() if shown else profile.show_passphrase()
        icon = "eye-off.svg" if shown else "eye.svg"
        action = self.show_action
        action.setIcon(QIcon(str(resource_path("icons", icon))))
        action.setText(words)
        action.setToolTip(words)
        for button in action.associatedObjects():
            if isinstance(button, QWidget):
                button.setAccessibleName(words)

    def show_button(self) -> QWidget | None:
        """The eye button (for tests and accessibility checks)."""
        return self.eye

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The eye sits at the box's end, inside it; the text stops before it."""
        super().resizeEvent(event)
        hint = self.eye.sizeHint()
        side = min(hint.height(), self.height() - 4)
        width = max(hint.width(), side)
        self.eye.setGeometry(self.width() - width - 3, (self.height() - side) // 2, width, side)
        self.setTextMargins(0, 0, width + 2, 0)

    # -- Caps Lock ----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_CapsLock:
            if self.caps_lock is not None:
                self._set_caps_lock(not self.caps_lock)
        else:
            told = caps_lock_from(event)
            if told is not None:
                self._set_caps_lock(told)
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # the lock may change while the focus is elsewhere: say nothing until told again
        self.caps_lock = None
        self.caps_lock_hint.hide()
        super().focusOutEvent(event)

    def _set_caps_lock(self, on: bool) -> None:
        self.caps_lock = on
        self.caps_lock_hint.setVisible(on)

    @Slot(str)
    def _text_changed(self, text: str) -> None:
        if not text:
            self.caps_lock_hint.hide()
