"""Reporting a message to the circle's facilitators, with a few words on why (the engine's
`report`; what becomes of reports is the facilitators' business, elsewhere)."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from peerapp.core.api.safety import Report
from peerapp.core.mailbox_messages import MAX_REASON_CHARS
from peerapp.ui.async_slot import async_slot
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.text import conversation, moderation
from peerapp.ui.widgets.field import field

REASON_HEIGHT = 96


class ReportMessageDialog(EngineCommandDialog):
    def __init__(
        self, bridge: EngineBridge, circle: str, message: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            bridge,
            title=moderation.report_title(),
            explanation=moderation.report_text(),
            primary_text=moderation.report_send(),
            parent=parent,
        )
        self.circle = circle
        self.message = message
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(moderation.report_reason_placeholder())
        self.reason_edit.setFixedHeight(REASON_HEIGHT)
        self.reason_edit.setTabChangesFocus(True)
        self.form.addLayout(field(moderation.report_reason_label(), self.reason_edit))
        self.reason_edit.textChanged.connect(self._refresh)
        self.primary_button.clicked.connect(self.submit)
        self.reason_edit.setFocus()

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _refresh(self) -> None:
        reason = self.reason()
        self.set_submittable(0 < len(reason) <= MAX_REASON_CHARS)
        if len(reason) > MAX_REASON_CHARS:
            self.show_error(conversation.too_long(MAX_REASON_CHARS))
        else:
            self.clear_error()

    @async_slot()
    async def submit(self) -> None:
        reason = self.reason()
        if self.busy or not reason:
            return
        await self.run_and_accept(
            moderation.report_sending(),
            moderation.to_report(),
            lambda: self.bridge.request(
                Report(circle=self.circle, message=self.message, reason=reason)
            ),
        )
