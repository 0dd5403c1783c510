"""The "your name in this circle" field: a pseudonym, and the reassurance that it is the
only thing about the person the circle sees."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout

from peerapp.core.circle_events import MAX_NAME_CHARS
from peerapp.ui import messages, style
from peerapp.ui.widgets.field import field


def member_name_field() -> tuple[QLineEdit, QVBoxLayout]:
    edit = QLineEdit()
    edit.setPlaceholderText(messages.YOUR_NAME_PLACEHOLDER)
    edit.setMaxLength(MAX_NAME_CHARS)
    hint = QLabel(messages.YOUR_NAME_HINT)
    hint.setWordWrap(True)
    style.set_role(hint, "muted")
    return edit, field(messages.YOUR_NAME_LABEL, edit, hint)
