"""Muting a member for a length of one's own choosing (the member menu offers the usual
ones directly): a number and a unit, an optional reason, then the engine's `mute`."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QSpinBox, QWidget

from peerapp.core.api.moderation import Mute
from peerapp.core.moderation_policy import MAX_MUTE_SECONDS, MUTE_UNITS
from peerapp.ui.async_slot import async_slot
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.dialogs.form_dialog import cancel_by_default
from peerapp.ui.text import common, moderation
from peerapp.ui.widgets.field import field
from peerapp.ui.widgets.reason_field import ReasonField

DEFAULT_AMOUNT = 30


class MuteMemberDialog(EngineCommandDialog):
    def __init__(
        self,
        bridge: EngineBridge,
        circle: str,
        member: str,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            bridge,
            title=moderation.mute_title(name),
            explanation=moderation.mute_text(name),
            primary_text=moderation.mute_confirm(),
            parent=parent,
        )
        self.circle = circle
        self.member = member
        self.amount = QSpinBox()
        self.amount.setRange(1, 999)
        self.amount.setValue(DEFAULT_AMOUNT)
        self.unit = QComboBox()
        for seconds in MUTE_UNITS:
            self.unit.addItem(moderation.mute_unit(seconds), seconds)
        row = QHBoxLayout()
        row.addWidget(self.amount)
        row.addWidget(self.unit, 1)
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.form.addLayout(field(moderation.mute_for_label(), holder))
        self.reason_field = ReasonField()
        self.form.addLayout(self.reason_field.layout)
        self.set_submittable(True)
        self.primary_button.clicked.connect(self.submit)
        cancel_by_default(self)  # muting someone is never what a stray Enter does

    def seconds(self) -> int:
        unit = int(self.unit.currentData())
        return min(self.amount.value() * unit, MAX_MUTE_SECONDS)

    @async_slot()
    async def submit(self) -> None:
        if self.busy:
            return
        seconds = self.seconds()
        reason = self.reason_field.reason()
        await self.run_and_accept(
            common.one_moment(),
            moderation.to_moderate(),
            lambda: self.bridge.request(
                Mute(circle=self.circle, member=self.member, seconds=seconds, reason=reason)
            ),
        )
