"""A circle's settings, for its facilitators: slow mode, join approval, whether plain
members may invite, the guidelines, after how many members' harm flags a message is
hidden pending review, and how long a plain member is in the circle before its flags are
accepted (the engine's `set_settings`, sending only what changed). Every member sees a
note in the conversation once they change.

How flags are counted (people, not invitations; after the circle's waiting time) is the
engine's rule: the dialog only states it beside the threshold, with the hours chosen."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.api.moderation import SetSettings
from peerapp.core.circle_events import (
    MAX_FLAG_AFTER_HOURS,
    MAX_GUIDELINES_CHARS,
    MAX_HARM_FLAGS_TO_HIDE,
    MAX_SLOW_MODE_SECONDS,
)
from peerapp.core.moderation_policy import SLOW_MODE_CHOICES
from peerapp.ui import style
from peerapp.ui.async_slot import async_slot
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.notices import Settings
from peerapp.ui.text import around, circle_settings, circles, conversation, safety
from peerapp.ui.widgets.field import FIELD_SPACING, field

GUIDELINES_HEIGHT = 160
CUSTOM = -1  # the slow mode box's "Custom…" entry


class CircleSettingsDialog(EngineCommandDialog):
    def __init__(
        self,
        bridge: EngineBridge,
        circle: str,
        circle_name: str,
        current: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            bridge,
            title=circle_settings.circle_settings_title(),
            explanation=circle_settings.circle_settings_text(circle_name),
            primary_text=circle_settings.save_settings(),
            parent=parent,
        )
        self.circle = circle
        self.current = current

        self.slow_mode_box = QComboBox()
        for seconds in SLOW_MODE_CHOICES:
            self.slow_mode_box.addItem(circle_settings.slow_mode_choice(seconds), seconds)
        self.slow_mode_box.addItem(circle_settings.slow_mode_custom_choice(), CUSTOM)
        self.custom_seconds = QSpinBox()
        self.custom_seconds.setRange(1, MAX_SLOW_MODE_SECONDS)
        self.custom_seconds.setSuffix(circle_settings.slow_mode_custom_suffix())
        slow_hint = QLabel(circle_settings.slow_mode_hint())
        slow_hint.setWordWrap(True)
        style.set_role(slow_hint, "muted")

        self.join_approval_check = QCheckBox(circle_settings.join_approval_check())
        approval_hint = QLabel(circle_settings.join_approval_hint())
        approval_hint.setWordWrap(True)
        style.set_role(approval_hint, "muted")

        self.guidelines_edit = QPlainTextEdit()
        self.guidelines_edit.setPlaceholderText(circles.guidelines_placeholder())
        self.guidelines_edit.setFixedHeight(GUIDELINES_HEIGHT)
        self.guidelines_edit.setTabChangesFocus(True)
        self.guidelines_counter = QLabel()
        style.set_role(self.guidelines_counter, "counter")

        self.form.addLayout(
            field(
                circle_settings.slow_mode_label(),
                self.slow_mode_box,
                self.custom_seconds,
                slow_hint,
            )
        )
        self.members_invite_check = QCheckBox(circle_settings.members_invite_check())
        self.members_invite_check.setObjectName("membersInvite")
        invite_hint = QLabel(circle_settings.members_invite_hint())
        invite_hint.setWordWrap(True)
        style.set_role(invite_hint, "muted")

        # who is typing (issue 15): off by default, some feel watched by it
        self.typing_check = QCheckBox(around.typing_setting())
        self.typing_check.setObjectName("showTyping")
        typing_hint = QLabel(around.typing_setting_hint())
        typing_hint.setWordWrap(True)
        style.set_role(typing_hint, "muted")

        for check, hint in (
            (self.join_approval_check, approval_hint),
            (self.members_invite_check, invite_hint),
            (self.typing_check, typing_hint),
        ):
            column = QVBoxLayout()
            column.setSpacing(FIELD_SPACING)
            column.addWidget(check)
            column.addWidget(hint)
            self.form.addLayout(column)
        self.form.addLayout(
            field(
                circle_settings.circle_guidelines_label(),
                self.guidelines_edit,
                self.guidelines_counter,
            )
        )
        self._build_harm_flags()
        self._show_current()
        self.slow_mode_box.currentIndexChanged.connect(self._refresh)
        self.custom_seconds.valueChanged.connect(self._refresh)
        self.join_approval_check.toggled.connect(self._refresh)
        self.members_invite_check.toggled.connect(self._refresh)
        self.typing_check.toggled.connect(self._refresh)
        self.guidelines_edit.textChanged.connect(self._refresh)
        self.primary_button.clicked.connect(self.submit)
        self._refresh()
        self.slow_mode_box.setFocus()

    def _build_harm_flags(self) -> None:
        self.harm_flags_box = QSpinBox()
        self.harm_flags_box.setObjectName("harmFlagsToHide")
        self.harm_flags_box.setRange(1, MAX_HARM_FLAGS_TO_HIDE)
        self.harm_flags_box.valueChanged.connect(
            lambda count: self.harm_flags_box.setSuffix(safety.harm_flags_suffix(count))
        )
        self.harm_flags_box.setValue(self.current.harm_flags_to_hide)
        self.harm_flags_box.setSuffix(safety.harm_flags_suffix(self.harm_flags_box.value()))
        self.harm_flags_box.valueChanged.connect(self._refresh)
        hint = QLabel(safety.harm_flags_hint())
        hint.setWordWrap(True)
        style.set_role(hint, "muted")
        self.form.addLayout(field(safety.harm_flags_label(), self.harm_flags_box, hint))

        self.flag_after_box = QSpinBox()
        self.flag_after_box.setObjectName("flagAfterHours")
        self.flag_after_box.setRange(0, MAX_FLAG_AFTER_HOURS)
        self.flag_after_box.setSpecialValueText(safety.flag_after_at_once())  # shown for 0
        self.flag_after_box.setValue(self.current.flag_after_hours)
        # the engine's counting rule, said plainly where the numbers are chosen
        self.harm_flags_rule = QLabel()
        self.harm_flags_rule.setObjectName("harmFlagsRule")
        self.harm_flags_rule.setWordWrap(True)
        style.set_role(self.harm_flags_rule, "muted")
        self._show_flag_after(self.flag_after_box.value())
        self.flag_after_box.valueChanged.connect(self._show_flag_after)
        self.flag_after_box.valueChanged.connect(self._refresh)
        self.form.addLayout(
            field(safety.flag_after_label(), self.flag_after_box, self.harm_flags_rule)
        )

    def _show_flag_after(self, hours: int) -> None:
        self.flag_after_box.setSuffix(safety.flag_after_suffix(hours))
        self.harm_flags_rule.setText(safety.harm_flags_rule(hours))

    def _show_current(self) -> None:
        seconds = self.current.slow_mode_seconds
        index = self.slow_mode_box.findData(seconds)
        if index < 0:
            index = self.slow_mode_box.findData(CUSTOM)
            self.custom_seconds.setValue(seconds)
        self.slow_mode_box.setCurrentIndex(index)
        self.join_approval_check.setChecked(self.current.join_approval)
        self.members_invite_check.setChecked(self.current.members_invite)
        self.typing_check.setChecked(self.current.typing)
        self.guidelines_edit.setPlainText(self.current.guidelines or "")

    # -- what is chosen -----------------------------------------------------------------

    def slow_mode_seconds(self) -> int:
        chosen = int(self.slow_mode_box.currentData())
        return self.custom_seconds.value() if chosen == CUSTOM else chosen

    def guidelines(self) -> str:
        return self.guidelines_edit.toPlainText().strip()

    def changes(self) -> dict[str, Any]:
        """The settings that differ from the circle's current ones."""
        changed: dict[str, Any] = {}
        if self.slow_mode_seconds() != self.current.slow_mode_seconds:
            changed["slow_mode_seconds"] = self.slow_mode_seconds()
        if self.join_approval_check.isChecked() != self.current.join_approval:
            changed["join_approval"] = self.join_approval_check.isChecked()
        if self.members_invite_check.isChecked() != self.current.members_invite:
            changed["members_invite"] = self.members_invite_check.isChecked()
        if self.typing_check.isChecked() != self.current.typing:
            changed["typing"] = self.typing_check.isChecked()
        if self.guidelines() != (self.current.guidelines or "").strip():
            changed["guidelines"] = self.guidelines()
        if self.harm_flags_box.value() != self.current.harm_flags_to_hide:
            changed["harm_flags_to_hide"] = self.harm_flags_box.value()
        if self.flag_after_box.value() != self.current.flag_after_hours:
            changed["flag_after_hours"] = self.flag_after_box.value()
        return changed

    def _refresh(self) -> None:
        custom = int(self.slow_mode_box.currentData()) == CUSTOM
        self.custom_seconds.setVisible(custom)
        count = len(self.guidelines())
        over = count > MAX_GUIDELINES_CHARS
        self.guidelines_counter.setText(conversation.character_count(count, MAX_GUIDELINES_CHARS))
        style.set_role(self.guidelines_counter, "counter-over" if over else "counter")
        self.set_submittable(bool(self.changes()) and not over)

    @async_slot()
    async def submit(self) -> None:
        changes = self.changes()
        if self.busy or not changes:
            return
        await self.run_and_accept(
            circle_settings.saving_settings(),
            circle_settings.to_save_settings(),
            lambda: self.bridge.request(SetSettings(circle=self.circle, **changes)),
        )
