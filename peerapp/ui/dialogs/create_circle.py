"""Starting a circle: its name, optional guidelines, and one's own name in it."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from peerapp.core.api.circles import CreateCircle
from peerapp.core.circle_events import MAX_NAME_CHARS
from peerapp.ui.async_slot import async_slot
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.text import circles
from peerapp.ui.widgets.field import field
from peerapp.ui.widgets.member_name import member_name_field

GUIDELINES_HEIGHT = 96


class CreateCircleDialog(EngineCommandDialog):
    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            bridge,
            title=circles.create_circle_title(),
            explanation=circles.create_circle_explanation(),
            primary_text=circles.create(),
            parent=parent,
        )
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(circles.circle_name_placeholder())
        self.name_edit.setMaxLength(MAX_NAME_CHARS)
        self.guidelines_edit = QPlainTextEdit()
        self.guidelines_edit.setPlaceholderText(circles.guidelines_placeholder())
        self.guidelines_edit.setFixedHeight(GUIDELINES_HEIGHT)
        self.guidelines_edit.setTabChangesFocus(True)
        self.member_name_edit, member_name = member_name_field()
        self.form.addLayout(field(circles.circle_name_label(), self.name_edit))
        self.form.addLayout(field(circles.guidelines_label(), self.guidelines_edit))
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
            circles.creating_circle(),
            circles.to_create_circle(),
            lambda: self.bridge.request(
                CreateCircle(name=name, guidelines=guidelines or None, member_name=member_name)
            ),
        )
