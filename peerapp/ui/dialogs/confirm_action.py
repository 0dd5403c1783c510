"""Asking before something that cannot be taken back (removing or banning someone,
handing on the founder role, deleting a message, leaving a circle), naming who or what
it is about; confirmed, it runs the one engine command and closes once it went through.
A refusal shows inline, the dialog staying open."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from peerapp.core.api.contract import Result
from peerapp.core.api.moderation import DeleteMessage
from peerapp.ui.async_slot import async_slot
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.dialogs.form_dialog import cancel_by_default
from peerapp.ui.text import common, moderation


class ConfirmActionDialog(EngineCommandDialog):
    def __init__(
        self,
        bridge: EngineBridge,
        *,
        title: str,
        explanation: str,
        confirm_text: str,
        command: Callable[[], asyncio.Future[Result]],
        busy_text: str = common.one_moment(),
        what: str = moderation.to_moderate(),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            bridge,
            title=title,
            explanation=explanation,
            primary_text=confirm_text,
            parent=parent,
        )
        self._command = command
        self._busy_text = busy_text
        self._what = what
        cancel_by_default(self)
        self.set_submittable(True)
        self.primary_button.clicked.connect(self.confirm)

    @async_slot()
    async def confirm(self) -> None:
        if self.busy:
            return
        await self.run_and_accept(self._busy_text, self._what, self._command)


def confirm_delete_message(
    bridge: EngineBridge, circle: str, message_id: str, parent: QWidget | None = None
) -> ConfirmActionDialog:
    """The question every "delete for everyone" asks first (message menu, review list)."""
    return ConfirmActionDialog(
        bridge,
        title=moderation.delete_message_title(),
        explanation=moderation.delete_message_text(),
        confirm_text=moderation.delete_confirm(),
        command=lambda: bridge.request(DeleteMessage(circle=circle, message=message_id)),
        what=moderation.to_delete_message(),
        parent=parent,
    )
