"""Joining a circle with an invite code, under a name of one's choosing.

Joining reaches a member over the network and can take several seconds; the dialog says
so while it waits, and shows the engine's reason inline when the circle cannot be joined
(a mistyped code, an expired or used-up invite, nobody reachable).
"""

from __future__ import annotations

from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from peerapp.ui import messages
from peerapp.ui.async_slot import async_slot
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.widgets.field import field
from peerapp.ui.widgets.member_name import member_name_field

CODE_HEIGHT = 72


class JoinCircleDialog(EngineCommandDialog):
    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            bridge,
            title=messages.JOIN_CIRCLE_TITLE,
            explanation=messages.JOIN_CIRCLE_EXPLANATION,
            primary_text=messages.JOIN,
            parent=parent,
        )
        # a code is a few hundred characters: let it wrap so a person can check it
        self.code_edit = QPlainTextEdit()
        self.code_edit.setPlaceholderText(messages.INVITE_CODE_PLACEHOLDER)
        self.code_edit.setFixedHeight(CODE_HEIGHT)
        self.code_edit.setTabChangesFocus(True)
        self.code_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.code_edit.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.name_edit, member_name = member_name_field()
        self.form.addLayout(field(messages.INVITE_CODE_LABEL, self.code_edit))
        self.form.addLayout(member_name)
        self.code_edit.textChanged.connect(self._refresh)
        self.name_edit.textChanged.connect(self._refresh)
        self.primary_button.clicked.connect(self.submit)
        self.code_edit.setFocus()

    def code(self) -> str:
        return self.code_edit.toPlainText().strip()

    def _refresh(self) -> None:
        self.set_submittable(bool(self.code() and self.name_edit.text().strip()))
        if self.error_label.isVisible() and not self.busy:
            self.clear_error()

    @async_slot()
    async def submit(self) -> None:
        code, name = self.code(), self.name_edit.text().strip()
        if self.busy or not code or not name:
            return
        await self.run_and_accept(
            messages.REACHING_THE_CIRCLE,
            messages.TO_JOIN_CIRCLE,
            lambda: self.bridge.join(code, name),
        )
