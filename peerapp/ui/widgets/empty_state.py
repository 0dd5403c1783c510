"""What the main window shows before the person belongs to any circle."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from peerapp.ui import style
from peerapp.ui.resources import app_icon
from peerapp.ui.text import circles

COLUMN_WIDTH = 460
ICON_SIZE = 72


class EmptyState(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(ICON_SIZE, ICON_SIZE))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading = QLabel(circles.empty_state_heading())
        style.set_role(heading, "heading")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(circles.empty_state_text())
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.create_button = QPushButton(circles.create_a_circle())
        style.mark_primary(self.create_button)
        self.join_button = QPushButton(circles.join_with_invite())

        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.join_button)
        buttons.addStretch(1)
        # a fixed-width column, so the wrapped sentence gets the height it needs
        column = QWidget()
        column.setFixedWidth(COLUMN_WIDTH)
        column_layout = QVBoxLayout(column)
        column_layout.setSpacing(14)
        column_layout.addWidget(icon)
        column_layout.addWidget(heading)
        column_layout.addWidget(text)
        column_layout.addSpacing(8)
        column_layout.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(column, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
