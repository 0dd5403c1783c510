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

from collections.abc import Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QTimeEdit, QWidget

from peerapp.core.api.boundaries import AllBreaks, BreaksOf, SetBreak
from peerapp.ui import style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.text import boundaries, circles, common

TIME_FORMAT = "HH:mm"
DEFAULT_QUIET_HOURS = ("22:00", "07:00")


@dataclass(frozen=True)
class QuietHours:
    start: str  # "HH:MM", local time
    end: str


@dataclass(frozen=True)
class BreakSetting:
    on: bool = False
    quiet_hours: QuietHours | None = None
    status: bool = False


@dataclass(frozen=True)
class Breaks:
    """What `breaks` answers: the global break and each circle's own."""

    everywhere: BreakSetting = BreakSetting()
    circles: Mapping[str, BreakSetting] = field(default_factory=dict)

    def of(self, circle: str | None) -> BreakSetting:
        if circle is None:
            return self.everywhere
        return self.circles.get(circle, BreakSetting())


def _time_text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    parsed = QTime.fromString(value, TIME_FORMAT)
    return parsed.toString(TIME_FORMAT) if parsed.isValid() else None


def quiet_hours_from(value: object) -> QuietHours | None:
    if not isinstance(value, Mapping):
        return None
    start, end = _time_text(value.get("start")), _time_text(value.get("end"))
    if start is None or end is None:
        return None
    return QuietHours(start, end)


def break_setting_from(row: object) -> BreakSetting:
    """One scope's break as the engine gives it; anything malformed reads as no break."""
    if not isinstance(row, Mapping):
        return BreakSetting()
    return BreakSetting(
        on=row.get("on") is True,
        quiet_hours=quiet_hours_from(row.get("quiet_hours")),
        status=row.get("status") is True,
    )


def breaks_from(result: AllBreaks) -> Breaks:
    return Breaks(
        everywhere=break_setting_from(result.global_break),
        circles={str(circle): break_setting_from(row) for circle, row in result.circles.items()},
    )


def set_break_command(circle: str | None, setting: BreakSetting) -> SetBreak:
    """The `set_break` that gives `setting` in its scope."""
    hours = setting.quiet_hours
    return SetBreak(
        circle=circle,
        on=setting.on,
        quiet_hours=None if hours is None else {"start": hours.start, "end": hours.end},
        status=setting.status,
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

    def show_setting(self, setting: BreakSetting) -> None:
        self.on_box.setChecked(setting.on)
        hours = setting.quiet_hours
        self.quiet_box.setChecked(hours is not None)
        self._quiet_toggled(hours is not None)
        if hours is not None:
            self.start_edit.setTime(QTime.fromString(hours.start, TIME_FORMAT))
            self.end_edit.setTime(QTime.fromString(hours.end, TIME_FORMAT))
        self.status_box.setChecked(setting.status)

    def setting(self) -> BreakSetting:
        """What the form says now."""
        hours = None
        if self.quiet_box.isChecked():
            hours = QuietHours(
                self.start_edit.time().toString(TIME_FORMAT),
                self.end_edit.time().toString(TIME_FORMAT),
            )
        return BreakSetting(self.on_box.isChecked(), hours, self.status_box.isChecked())

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
        self.show_setting(breaks_from(result).of(self.circle))
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
