"""The window's side of taking a break: the global switch and the sign that it is on.

Rules:
- "Take a break…" (in the Profile menu) opens the break dialog for every circle at once
  (peerapp.ui.dialogs.take_a_break); a circle's own break is set from its pane.
- The breaks are read with `breaks` when the engine is ready and after every change made
  here or in a pane; `changed` then asks the window to read the circles again (their
  `quiet` hides badges and notifications).
- Quiet hours begin and end with the clock, not with an event: while any are set, the
  circles are read again every minute (`changed`) so badges follow the schedule.
- While the global break is on, the status bar says "☾ You're on a break" with an
  "End break" button: one click turns it off (`set_break {on: false}`).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from peerapp.core.api.boundaries import NO_BREAKS, BreaksOf, SetBreak
from peerapp.core.errors import HearthError
from peerapp.ui import style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.form_dialog import failure_message
from peerapp.ui.dialogs.take_a_break import TakeABreakDialog
from peerapp.ui.engine_query import Latest
from peerapp.ui.text import boundaries

log = logging.getLogger(__name__)

SCHEDULE_CHECK_MS = 60_000


class BreakIndicator(QWidget):
    """ "☾ You're on a break · End break", for the status bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("breakIndicator")
        self.label = QLabel(f"{boundaries.break_moon()} {boundaries.on_a_break()}")
        style.set_role(self.label, "muted")
        self.end_button = QPushButton(boundaries.end_break())
        self.end_button.setToolTip(boundaries.end_break_tooltip())
        style.set_role(self.end_button, "quiet")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(6)
        layout.addWidget(self.label)
        layout.addWidget(self.end_button)


class BreakControls(QObject):
    changed = Signal()  # the breaks were read again (after a change): circles may differ
    dialogRequested = Signal(object)  # a TakeABreakDialog for the window to open
    statusMessage = Signal(str)
    failed = Signal(str)  # something to tell in the window's banner

    def __init__(self, bridge: EngineBridge, parent: QWidget) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self._parent = parent
        self.breaks = NO_BREAKS
        self.reads = 0  # completed reads of `breaks`
        self._breaks = Latest()
        self.action = QAction(
            f"{boundaries.break_moon()}  {boundaries.take_a_break_action()}", self
        )
        self.action.triggered.connect(self.open_dialog)
        self.indicator = BreakIndicator()
        self.indicator.end_button.clicked.connect(self.end)
        self.indicator.hide()
        self._schedule = QTimer(self)
        self._schedule.setInterval(SCHEDULE_CHECK_MS)
        self._schedule.timeout.connect(self.changed)

    @property
    def on_break(self) -> bool:
        """Whether the global break is on."""
        return self.breaks.global_break.on

    def has_quiet_hours(self) -> bool:
        settings = [self.breaks.global_break, *self.breaks.circles.values()]
        return any(setting.quiet_hours is not None for setting in settings)

    @Slot()
    def open_dialog(self) -> TakeABreakDialog:
        dialog = TakeABreakDialog(self.bridge, None, "", self._parent)
        dialog.accepted.connect(self._saved)
        self.dialogRequested.emit(dialog)
        dialog.load()
        return dialog

    def _saved(self) -> None:
        self.statusMessage.emit(boundaries.break_saved())
        self.refresh()

    @async_slot()
    async def refresh(self) -> None:
        """Read the breaks again and show whether the global one is on."""
        asked = self._breaks.ask()
        try:
            result = await self.bridge.request(BreaksOf())
        except HearthError as error:
            log.info("could not read the breaks: %s", type(error).__name__)
            return
        # answers can overtake each other; an older one must not undo a newer one
        if not still_alive(self._parent) or not self._breaks.take(asked):
            return
        self.breaks = result
        self.indicator.setVisible(self.on_break)
        if self.has_quiet_hours():
            self._schedule.start()
        else:
            self._schedule.stop()
        self.reads += 1
        self.changed.emit()

    @async_slot()
    async def end(self) -> None:
        """One click: the global break ends."""
        self.indicator.end_button.setEnabled(False)
        try:
            await self.bridge.request(SetBreak(on=False))
        except Exception as error:
            if still_alive(self._parent):
                self.indicator.end_button.setEnabled(True)
                self.failed.emit(failure_message(error, boundaries.to_end_break()))
            return
        if still_alive(self._parent):
            self.indicator.end_button.setEnabled(True)
            self.statusMessage.emit(boundaries.break_ended())
            self.refresh()
