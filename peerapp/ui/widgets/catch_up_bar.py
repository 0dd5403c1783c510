"""A slim bar above a circle's messages while a large sync is under way: "Catching up:
3,400 of 10,000" and a thin progress line.

It shows while `received` is short of `total` and hides when the pull is complete (or
`finish()` is called, on the engine's HistoryChanged). A pull that breaks off without a
last word would otherwise leave the bar up for good, so it also hides once no progress has
come for STALE_MS.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QWidget

from peerapp.ui import style
from peerapp.ui.text import conversation

STALE_MS = 20_000


class CatchUpBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catchUpBar")
        self.label = QLabel()
        style.set_role(self.label, "muted")
        self.bar = QProgressBar()
        self.bar.setObjectName("catchUpProgress")
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(conversation.catch_up_accessible())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 6, 20, 6)
        layout.setSpacing(12)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        self._stale = QTimer(self)
        self._stale.setSingleShot(True)
        self._stale.setInterval(STALE_MS)
        self._stale.timeout.connect(self.finish)
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text()

    def show_progress(self, received: int, total: int) -> None:
        if total <= 0 or received >= total:
            self.finish()
            return
        received = max(received, 0)
        self.label.setText(conversation.catching_up(received, total))
        self.bar.setAccessibleDescription(self.label.text())
        # QProgressBar counts in ints; keep both ends in its range whatever the totals
        self.bar.setRange(0, total)
        self.bar.setValue(received)
        self._stale.start()
        self.show()

    @Slot()
    def finish(self) -> None:
        self._stale.stop()
        self.hide()
