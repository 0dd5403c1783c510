"""Starting a circle: its name, optional guidelines, and one's own name in it."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from peerapp.core.api.circles import CreateCircle
from peerapp.core.circle_events import MAX_NAME_CHARS
from peerapp.ui import messages
from peerapp.ui.async_slot import async_slot
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.widgets.field import field
from peerapp.ui.widgets.member_name import member_name_field

GUIDELINES_HEIGHT = 96


class CreateCircleDialog(EngineCommandDialog):
    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            bridge,
            title=messages.CREATE_CIRCLE_TITLE,
            explanation=messages.CREATE_CIRCLE_EXPLANATION,
            primary_text=messages.CREATE,
            parent=parent,
        )
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(messages.CIRCLE_NAME_PLACEHOLDER)
        self.name_edit.setMaxLength(MAX_NAME_CHARS)
        self.guidelines_edit = QPlainTextEdit()
        self.guidelines_edit.setPlaceholderText(messages.GUIDELINES_PLACEHOLDER)
        self.guidelines_edit.setFixedHeight(GUIDELINES_HEIGHT)
        self.guidelines_edit.setTabChangesFocus(True)
        self.member_name_edit, member_name = member_name_field()
        self.form.addLayout(field(messages.CIRCLE_NAME_LABEL, self.name_edit))
        self.form.addLayout(field(messages.GUIDELINES_LABEL, self.guidelines_edit))
        self.form.addLayout(member_name)
        self.name_edit.textChanged.connect(self._refresh)
        self.member_name_edit.textChanged.connect(self._refresh)
        self.primary_button.clicked.connect(self.submit)
        self.name_edit.setFocus()

    def _refresh(self) -> None:
        self.set_submittable(
            bool(self.name_edit.text().strip() and self.member_name_edit.text().strip())
        )

    @async_slot()
    async def submit(self) -> None:
        name = self.name_edit.text().strip()
        guidelines = self.guidelines_edit.toPlainText().strip()
        member_name = self.member_name_edit.text().strip()
        if self.busy or not name or not member_name:
            return
        await self.run_and_accept(
            messages.CREATING_CIRCLE,
            messages.TO_CREATE_CIRCLE,
            lambda: self.bridge.request(
                CreateCircle(name=name, guidelines=guidelines or None, member_name=member_name)
            ),
        )
