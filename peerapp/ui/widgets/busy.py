"""An indeterminate progress line with a short sentence, for work that takes a moment."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from peerapp.ui import style


class BusyIndicator(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        style.set_role(self.label, "busy")
        self._bar = QProgressBar()
        self._bar.setObjectName("busyBar")
        self._bar.setRange(0, 0)  # no known end: Argon2id and the engine do not report progress
        self._bar.setTextVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        row = QHBoxLayout()
        row.addWidget(self.label)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self._bar)
        self.hide()

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.show()

    def finish(self) -> None:
        self.hide()
        self.label.clear()
