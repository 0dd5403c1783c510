"""People waiting to join a circle with approval on, for its facilitators: each with the
name they chose, when they asked, and Approve / Decline.

The panel only shows and asks; the circle pane sends the answer to the engine and gives
the panel the list again. A row whose answer is on its way is disabled, so a second click
cannot answer twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.api.joins import JoinRequestView
from peerapp.ui import style
from peerapp.ui.text import conversation, joins


def oldest_first(requests: Sequence[JoinRequestView]) -> list[JoinRequestView]:
    """pending_joins' requests in the order the panel lists them."""
    return sorted(requests, key=lambda request: request.received_at)


class JoinRequestRow(QWidget):
    approveRequested = Signal(str)  # request id
    declineRequested = Signal(str)

    def __init__(
        self, request: JoinRequestView, now_ms: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.request = request
        self.name_label = QLabel(request.name or conversation.unnamed_member())
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.when_label = QLabel(
            joins.asked_ago((now_ms - request.received_at) / 1000)
            if request.received_at > 0
            else ""
        )
        style.set_role(self.when_label, "muted")
        self.approve_button = QPushButton(joins.approve())
        style.mark_primary(self.approve_button)
        self.decline_button = QPushButton(joins.decline())
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.name_label)
        text.addWidget(self.when_label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(8)
        layout.addLayout(text, 1)
        layout.addWidget(self.decline_button)
        layout.addWidget(self.approve_button)
        self.approve_button.clicked.connect(lambda: self.approveRequested.emit(request.id))
        self.decline_button.clicked.connect(lambda: self.declineRequested.emit(request.id))

    def set_answering(self, answering: bool) -> None:
        self.approve_button.setEnabled(not answering)
        self.decline_button.setEnabled(not answering)


class JoinRequestsPanel(QFrame):
    approveRequested = Signal(str)  # request id
    declineRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("joinRequests")
        heading = QLabel(joins.join_requests_heading())
        style.set_role(heading, "subheading")
        note = QLabel(joins.join_requests_note())
        note.setWordWrap(True)
        style.set_role(note, "muted")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        style.set_role(self.error_label, "error")
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setSpacing(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 10, 16, 10)
        layout.setSpacing(6)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addLayout(self.rows_layout)
        layout.addWidget(self.error_label)
        self.error_label.hide()
        self.rows: list[JoinRequestRow] = []
        self.hide()

    @property
    def requests(self) -> list[JoinRequestView]:
        return [row.request for row in self.rows]

    def set_requests(self, requests: Sequence[JoinRequestView], now_ms: int) -> None:
        """Show `requests` (as pending_joins gives them), oldest first."""
        # a handful of people at most: rebuilding the rows is simplest
        answering = {row.request.id for row in self.rows if not row.approve_button.isEnabled()}
        for row in self.rows:
            self.rows_layout.removeWidget(row)
            row.deleteLater()
        self.rows = []
        for request in oldest_first(requests):
            row = JoinRequestRow(request, now_ms, self)
            row.set_answering(request.id in answering)
            row.approveRequested.connect(self.approveRequested)
            row.declineRequested.connect(self.declineRequested)
            self.rows_layout.addWidget(row)
            self.rows.append(row)

    def row_for(self, request: str) -> JoinRequestRow | None:
        return next((row for row in self.rows if row.request.id == request), None)

    def set_answering(self, request: str, answering: bool) -> None:
        row = self.row_for(request)
        if row is not None:
            row.set_answering(answering)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
