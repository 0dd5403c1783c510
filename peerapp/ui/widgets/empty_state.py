"""What the main window shows before the person belongs to any circle."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from peerapp.ui import messages, style


class EmptyState(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(messages.EMPTY_STATE_HEADING)
        style.set_role(heading, "heading")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(messages.EMPTY_STATE_TEXT)
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setMaximumWidth(440)
        self.create_button = QPushButton(messages.CREATE_A_CIRCLE)
        style.mark_primary(self.create_button)
        self.join_button = QPushButton(messages.JOIN_WITH_INVITE)

        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.join_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addStretch(1)
        layout.addWidget(heading)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addStretch(2)
