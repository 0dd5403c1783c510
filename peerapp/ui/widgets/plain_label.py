"""A label that shows text as it is (never as rich text: names and messages come from
peers), wrapped, optionally with a style role."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from peerapp.ui import style


def plain_label(text: str, role: str | None = None, *, selectable: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role is not None:
        style.set_role(label, role)
    return label
