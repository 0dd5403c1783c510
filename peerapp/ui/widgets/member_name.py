"""The "your name in this circle" field: a pseudonym, and the reassurance that it is the
only thing about the person the circle sees."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout

from peerapp.core.circle_events import MAX_NAME_CHARS
from peerapp.ui import style
from peerapp.ui.text import circles
from peerapp.ui.widgets.field import field


def member_name_field() -> tuple[QLineEdit, QVBoxLayout]:
    edit = QLineEdit()
    edit.setPlaceholderText(circles.your_name_placeholder())
    edit.setMaxLength(MAX_NAME_CHARS)
    hint = QLabel(circles.your_name_hint())
    hint.setWordWrap(True)
    style.set_role(hint, "muted")
    return edit, field(circles.your_name_label(), edit, hint)
