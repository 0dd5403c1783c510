"""A strip above a circle's messages when the circle was made or joined in the other
network mode than this run's: it sleeps (nothing is sent or dialled for it), and the
strip says why and how to reach it (the engine's `asleep` text, core/network_mode.py).
What is written meanwhile is kept and goes out once the profile is switched back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from peerapp.ui import style


class AsleepStrip(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("asleepStrip")
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        style.set_role(self.label, "muted")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 6, 20, 6)
        layout.addWidget(self.label, 1)
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text()

    def show_reason(self, reason: str) -> None:
        """The engine's reason the circle sleeps; "" when it is reachable."""
        self.label.setText(reason)
        self.setVisible(bool(reason))
