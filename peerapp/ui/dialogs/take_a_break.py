"""Taking a break, from one circle or from everything: on or off now, optional quiet
hours every day, and whether members may see "taking a break".

Rules:
- Scope: `circle` None is the global break (every circle), otherwise that circle only.
- The dialog reads the current setting with `breaks` when it opens and saves it with one
  `set_break {circle?, on, quiet_hours, status}`; quiet hours are sent as
  {start, end} ("HH:MM", daily, the end may be past midnight) or null when unticked.
- While a break is on or its quiet hours run, the engine marks the circle quiet: no
  notifications, no unread badge (the window and the circle list act on `quiet`).
- Showing the status is a choice, off by default: the engine announces it to the circles
  concerned; nothing else about the break leaves this computer.
"""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QTimeEdit, QWidget

from peerapp.core.api.boundaries import AllBreaks, BreaksOf, BreakView, QuietHoursView, SetBreak
from peerapp.ui import style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.text import boundaries, circles, common

TIME_FORMAT = "HH:mm"
DEFAULT_QUIET_HOURS = ("22:00", "07:00")


def set_break_command(circle: str | None, setting: BreakView) -> SetBreak:
    """The `set_break` that gives `setting` in its scope."""
    return SetBreak(
        circle=circle, on=setting.on, quiet_hours=setting.quiet_hours, status=setting.status
    )


def _time_edit(text: str) -> QTimeEdit:
    edit = QTimeEdit(QTime.fromString(text, TIME_FORMAT))
    edit.setDisplayFormat(TIME_FORMAT)
    return edit


class TakeABreakDialog(EngineCommandDialog):
    def __init__(
        self,
        bridge: EngineBridge,
        circle: str | None = None,
        circle_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            bridge,
            title=boundaries.take_a_break_title(),
            explanation=(
                boundaries.take_a_break_text()
                if circle is None
                else boundaries.take_a_break_from_text(circle_name or circles.unnamed_circle())
            ),
            primary_text=boundaries.save_break(),
            parent=parent,
        )
        self.circle = circle
        self.loaded = False
        self.on_box = QCheckBox(boundaries.break_on_label())
        self.quiet_box = QCheckBox(boundaries.quiet_hours_label())
        self.start_edit = _time_edit(DEFAULT_QUIET_HOURS[0])
        self.end_edit = _time_edit(DEFAULT_QUIET_HOURS[1])
        self.start_edit.setAccessibleName(boundaries.quiet_hours_from())
        self.end_edit.setAccessibleName(boundaries.quiet_hours_to())
        self.quiet_note = QLabel(boundaries.quiet_hours_note())
        self.quiet_note.setWordWrap(True)
        style.set_role(self.quiet_note, "muted")
        self.status_box = QCheckBox(boundaries.break_status_label())
        self.status_note = QLabel(boundaries.break_status_note())
        self.status_note.setWordWrap(True)
        style.set_role(self.status_note, "muted")

        hours = QHBoxLayout()
        hours.setContentsMargins(24, 0, 0, 0)
        hours.addWidget(QLabel(boundaries.quiet_hours_from()))
        hours.addWidget(self.start_edit)
        hours.addWidget(QLabel(boundaries.quiet_hours_to()))
        hours.addWidget(self.end_edit)
        hours.addStretch(1)
        self.form.addWidget(self.on_box)
        self.form.addWidget(self.quiet_box)
        self.form.addLayout(hours)
        self.form.addWidget(self.quiet_note)
        self.form.addWidget(self.status_box)
        self.form.addWidget(self.status_note)

        self.quiet_box.toggled.connect(self._quiet_toggled)
        self._quiet_toggled(False)
        self.primary_button.clicked.connect(self.submit)
        self.on_box.setFocus()

    # -- the setting shown --------------------------------------------------------------

    def show_setting(self, setting: BreakView) -> None:
        self.on_box.setChecked(setting.on)
        hours = setting.quiet_hours
        self.quiet_box.setChecked(hours is not None)
        self._quiet_toggled(hours is not None)
        if hours is not None:
            self.start_edit.setTime(QTime.fromString(hours.start, TIME_FORMAT))
            self.end_edit.setTime(QTime.fromString(hours.end, TIME_FORMAT))
        self.status_box.setChecked(setting.status)

    def setting(self) -> BreakView:
        """What the form says now."""
        hours = None
        if self.quiet_box.isChecked():
            hours = QuietHoursView(
                self.start_edit.time().toString(TIME_FORMAT),
                self.end_edit.time().toString(TIME_FORMAT),
            )
        return BreakView(self.on_box.isChecked(), hours, self.status_box.isChecked())

    def _quiet_toggled(self, checked: bool) -> None:
        self.start_edit.setEnabled(checked)
        self.end_edit.setEnabled(checked)

    # -- the engine ---------------------------------------------------------------------

    @async_slot()
    async def load(self) -> None:
        """Read the current break of this scope into the form (call once, after opening)."""
        result = await self.run_command(
            common.one_moment(), boundaries.to_save_break(), lambda: self.bridge.request(BreaksOf())
        )
        if result is None:
            if still_alive(self):
                self.set_submittable(True)  # saving a break works without the current one
            return
        if not isinstance(result, AllBreaks):
            return
        self.show_setting(result.of(self.circle))
        self.loaded = True
        self.set_idle()
        self.set_submittable(True)

    @async_slot()
    async def submit(self) -> None:
        if self.busy:
            return
        command = set_break_command(self.circle, self.setting())
        await self.run_and_accept(
            common.one_moment(),
            boundaries.to_save_break(),
            lambda: self.bridge.request(command),
        )
