"""The sidebar's requests to join that a facilitator has not answered yet.

Rules:
- The engine knows the requests still waiting (joins_waiting); the list is asked for
  again when the window starts, when a request is made (the join dialog, join_pending)
  and when one is answered.
- Each waiting request shows greyed, "Waiting for approval", with "Cancel request"
  (cancel_join; the engine's refusal, if any, is shown in the row).
- join_approved: the request goes (the circle itself now shows in the list above).
- join_rejected: the row stays, with the kind message ("The facilitators of X did not
  approve this request.", or the engine's reason when the request ended otherwise, e.g.
  the invite was revoked meanwhile) and "Dismiss", until dismissed: the engine forgets
  the request, the person should still learn what happened.
- Nothing waiting and nothing to tell: the section is hidden.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from peerapp.core.api.joins import CancelJoin, JoinsWaiting, WaitingJoinList
from peerapp.core.errors import HearthError
from peerapp.ui import style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.form_dialog import failure_message
from peerapp.ui.engine_query import Latest
from peerapp.ui.text import circles, common, joins

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WaitingJoin:
    circle: str
    name: str  # the circle's name
    declined: bool = False
    message: str = ""  # why it ended, once declined


def waiting_joins_from(result: WaitingJoinList) -> list[WaitingJoin]:
    """joins_waiting's requests (a circle's name comes from its members: it may be blank)."""
    return [
        WaitingJoin(join.circle, join.name or circles.unnamed_circle()) for join in result.joins
    ]


class WaitingRow(QFrame):
    cancelRequested = Signal(str)  # circle id
    dismissRequested = Signal(str)

    def __init__(self, join: WaitingJoin, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waitingJoin")
        self.join = join
        self.name_label = QLabel(join.name)
        self.name_label.setObjectName("waitingName")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label = QLabel(join.message if join.declined else joins.waiting_for_approval())
        self.state_label.setWordWrap(True)
        style.set_role(self.state_label, "muted")
        self.button = QPushButton(common.dismiss() if join.declined else joins.cancel_request())
        style.set_role(self.button, "quiet")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(2)
        layout.addWidget(self.name_label)
        layout.addWidget(self.state_label)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        signal = self.dismissRequested if join.declined else self.cancelRequested
        self.button.clicked.connect(lambda: signal.emit(join.circle))

    def show_error(self, text: str) -> None:
        self.state_label.setText(text)
        self.button.setEnabled(True)


class WaitingJoins(QFrame):
    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waitingJoins")
        self.bridge = bridge
        self.heading = QLabel(joins.asked_to_join_heading())
        style.set_role(self.heading, "muted")
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setSpacing(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addLayout(self.rows_layout)
        self.joins: list[WaitingJoin] = []
        self.rows: list[WaitingRow] = []
        self._waiting = Latest()
        self.hide()

    # -- contents -----------------------------------------------------------------------

    def _show(self, joins: list[WaitingJoin]) -> None:
        self.joins = joins
        for row in self.rows:
            self.rows_layout.removeWidget(row)
            row.deleteLater()
        self.rows = []
        for join in joins:
            row = WaitingRow(join, self)
            row.cancelRequested.connect(self.cancel)
            row.dismissRequested.connect(self.dismiss)
            self.rows_layout.addWidget(row)
            self.rows.append(row)
        self.setVisible(bool(joins))

    def row_for(self, circle: str) -> WaitingRow | None:
        return next((row for row in self.rows if row.join.circle == circle), None)

    def circles(self) -> list[str]:
        return [join.circle for join in self.joins]

    def add_waiting(self, circle: str, name: str) -> None:
        """A request just made (the engine is asked too; this shows it at once)."""
        if circle not in self.circles():
            self._show([*self.joins, WaitingJoin(circle, name)])
        self.refresh()

    def declined(self, circle: str, name: str, message: str) -> None:
        others = [join for join in self.joins if join.circle != circle]
        ended = WaitingJoin(circle, name or circles.unnamed_circle(), True, message)
        self._show([*others, ended])

    def name_of(self, circle: str, fallback: str) -> str:
        """The circle's name as this list knows it, else `fallback`."""
        return next((join.name for join in self.joins if join.circle == circle), fallback)

    def approved(self, circle: str) -> None:
        self._show([join for join in self.joins if join.circle != circle])
        self.refresh()

    def dismiss(self, circle: str) -> None:
        self._show([join for join in self.joins if join.circle != circle])

    # -- the engine ---------------------------------------------------------------------

    @async_slot()
    async def refresh(self) -> None:
        asked = self._waiting.ask()
        try:
            result = await self.bridge.request(JoinsWaiting())
        except HearthError as error:
            log.info("could not list waiting joins: %s", type(error).__name__)
            return
        # answers can overtake each other; an older one must not undo a newer one
        if not still_alive(self) or not self._waiting.take(asked):
            return
        waiting = waiting_joins_from(result)
        ids = {join.circle for join in waiting}
        told = [join for join in self.joins if join.declined and join.circle not in ids]
        self._show([*waiting, *told])

    @async_slot(str)
    async def cancel(self, circle: str) -> None:
        row = self.row_for(circle)
        if row is not None:
            row.button.setEnabled(False)
        try:
            await self.bridge.request(CancelJoin(circle=circle))
        except Exception as error:
            if still_alive(self):
                row = self.row_for(circle)
                if row is not None:
                    row.show_error(failure_message(error, joins.to_cancel_request()))
            return
        if not still_alive(self):
            return
        self._show([join for join in self.joins if join.circle != circle])
        self.refresh()
