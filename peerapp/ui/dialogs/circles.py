"""Starting a circle and joining one with an invite code; both ask the engine.

The engine may refuse (it says why in a message written for people); the dialog shows
that message inline and stays open so nothing typed is lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from peerapp.engine.engine import Result
from peerapp.ui import messages
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.form_dialog import FormDialog, failure_message
from peerapp.ui.widgets.field import field

GUIDELINES_HEIGHT = 96


class EngineCommandDialog(FormDialog):
    """A form whose primary button sends one command to the engine."""

    def __init__(
        self,
        bridge: EngineBridge,
        *,
        title: str,
        explanation: str,
        primary_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            title=title,
            heading=title,
            explanation=explanation,
            primary_text=primary_text,
            parent=parent,
        )
        self.bridge = bridge
        self.result_data: Result | None = None
        self.form = QVBoxLayout(self.body)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setSpacing(14)

    async def run_command(
        self, busy_text: str, what: str, command: Callable[[], asyncio.Future[Result]]
    ) -> None:
        self.set_busy(busy_text)
        try:
            result = await command()
        except Exception as error:
            if still_alive(self):
                self.set_idle()
                self.show_error(failure_message(error, what))
            return
        if still_alive(self):
            self.result_data = result
            self.finish_accepted()


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
        self.guidelines_edit = QPlainTextEdit()
        self.guidelines_edit.setPlaceholderText(messages.GUIDELINES_PLACEHOLDER)
        self.guidelines_edit.setFixedHeight(GUIDELINES_HEIGHT)
        self.guidelines_edit.setTabChangesFocus(True)
        self.form.addLayout(field(messages.CIRCLE_NAME_LABEL, self.name_edit))
        self.form.addLayout(field(messages.GUIDELINES_LABEL, self.guidelines_edit))
        self.name_edit.textChanged.connect(self._refresh)
        self.primary_button.clicked.connect(self.submit)
        self.name_edit.setFocus()

    def _refresh(self) -> None:
        self.set_submittable(bool(self.name_edit.text().strip()))

    @async_slot()
    async def submit(self) -> None:
        name = self.name_edit.text().strip()
        guidelines = self.guidelines_edit.toPlainText().strip()
        if self.busy or not name:
            return
        await self.run_command(
            messages.CREATING_CIRCLE,
            messages.TO_CREATE_CIRCLE,
            lambda: self.bridge.create_circle(name, guidelines),
        )


class JoinCircleDialog(EngineCommandDialog):
    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            bridge,
            title=messages.JOIN_CIRCLE_TITLE,
            explanation=messages.JOIN_CIRCLE_EXPLANATION,
            primary_text=messages.JOIN,
            parent=parent,
        )
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText(messages.INVITE_CODE_PLACEHOLDER)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(messages.YOUR_NAME_PLACEHOLDER)
        self.form.addLayout(field(messages.INVITE_CODE_LABEL, self.code_edit))
        self.form.addLayout(field(messages.YOUR_NAME_LABEL, self.name_edit))
        self.code_edit.textChanged.connect(self._refresh)
        self.name_edit.textChanged.connect(self._refresh)
        self.primary_button.clicked.connect(self.submit)
        self.code_edit.setFocus()

    def _refresh(self) -> None:
        self.set_submittable(bool(self.code_edit.text().strip() and self.name_edit.text().strip()))

    @async_slot()
    async def submit(self) -> None:
        code, name = self.code_edit.text().strip(), self.name_edit.text().strip()
        if self.busy or not code or not name:
            return
        await self.run_command(
            messages.JOINING_CIRCLE,
            messages.TO_JOIN_CIRCLE,
            lambda: self.bridge.join(code, name),
        )
