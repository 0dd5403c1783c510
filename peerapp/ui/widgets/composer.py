"""Writing to a circle: a growing text box, a Send button, a character counter, and the
reason when a message could not be sent.

Enter sends and Shift+Enter starts a new line. Near the limit a counter appears
("3,950 / 4,000"); over it, sending is blocked until the text is shortened. The draft is
only cleared once the engine has taken the message, so a failure never loses it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFontMetrics, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.circle_events import MAX_TEXT_CHARS
from peerapp.ui import messages, style

COUNTER_FROM = MAX_TEXT_CHARS - 200
MAX_VISIBLE_LINES = 8
BREATHING_ROOM = 6
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class MessageEdit(QPlainTextEdit):
    """A plain text box where Enter submits and Shift+Enter breaks the line."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ENTER_KEYS:
            modifiers = event.modifiers()
            if modifiers & Qt.KeyboardModifier.ShiftModifier:
                self.textCursor().insertText("\n")
                self.ensureCursorVisible()
            elif not modifiers & (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier
            ):
                self.submitted.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class Composer(QFrame):
    sendRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composerBar")
        self.edit = MessageEdit()
        self.edit.setObjectName("composer")
        self.edit.setPlaceholderText(messages.COMPOSER_PLACEHOLDER)
        self.edit.setToolTip(messages.COMPOSER_HINT)
        self.edit.setTabChangesFocus(True)
        self.send_button = QPushButton(messages.SEND)
        style.mark_primary(self.send_button)
        self.send_button.setAutoDefault(False)
        self.counter = QLabel()
        style.set_role(self.counter, "counter")
        self.counter.hide()
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        style.set_role(self.error_label, "error")
        self.error_label.hide()

        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.edit, 1)
        side = QVBoxLayout()
        side.setSpacing(4)
        side.addStretch(1)
        side.addWidget(self.counter, 0, Qt.AlignmentFlag.AlignRight)
        side.addWidget(self.send_button)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.setSpacing(6)
        layout.addWidget(self.error_label)
        layout.addLayout(row)

        self._sending = False
        self.edit.textChanged.connect(self._text_changed)
        self.edit.submitted.connect(self.submit)
        self.send_button.clicked.connect(self.submit)
        self._text_changed()

    # -- state --------------------------------------------------------------------------

    def text(self) -> str:
        """What would be sent: the draft without surrounding blank space."""
        return self.edit.toPlainText().strip()

    def can_send(self) -> bool:
        text = self.text()
        return bool(text) and len(text) <= MAX_TEXT_CHARS and not self._sending

    @property
    def sending(self) -> bool:
        return self._sending

    @Slot()
    def submit(self) -> None:
        """Hand the draft over (once: it stays read-only until `sent` or `failed`)."""
        if self.can_send():
            text = self.text()
            self.set_sending(True)
            self.sendRequested.emit(text)

    def set_sending(self, sending: bool) -> None:
        """While the engine takes the message the draft is read-only, so nothing typed
        meanwhile is lost when it is cleared."""
        self._sending = sending
        self.edit.setReadOnly(sending)
        if sending:
            self.clear_error()
        self._refresh()

    def sent(self) -> None:
        self.edit.clear()
        self.set_sending(False)
        self.edit.setFocus()

    def failed(self, reason: str) -> None:
        self.set_sending(False)
        self.show_error(reason)
        self.edit.setFocus()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    # -- reacting to typing -------------------------------------------------------------

    @Slot()
    def _text_changed(self) -> None:
        count = len(self.text())
        over = count > MAX_TEXT_CHARS
        self.counter.setVisible(count >= COUNTER_FROM)
        self.counter.setText(messages.character_count(count, MAX_TEXT_CHARS))
        self.counter.setToolTip(messages.too_long(MAX_TEXT_CHARS) if over else "")
        style.set_role(self.counter, "counter-over" if over else "counter")
        self._fit_height()
        self._refresh()

    def _refresh(self) -> None:
        self.send_button.setEnabled(self.can_send())

    def _fit_height(self) -> None:
        # a QPlainTextEdit's document height is counted in (wrapped) lines
        lines = max(1, min(int(self.edit.document().size().height()), MAX_VISIBLE_LINES))
        line_height = QFontMetrics(self.edit.font()).lineSpacing()
        margins = self.edit.contentsMargins()  # the stylesheet's border and padding
        document_margin = int(self.edit.document().documentMargin() * 2)
        extra = margins.top() + margins.bottom() + document_margin + BREATHING_ROOM
        self.edit.setFixedHeight(lines * line_height + extra)
        # a scroll bar only once the box has stopped growing
        self.edit.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if lines >= MAX_VISIBLE_LINES
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_height()  # the stylesheet's padding is known only once shown
