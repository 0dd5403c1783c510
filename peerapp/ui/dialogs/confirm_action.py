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
from peerapp.ui.widgets.reason_field import ReasonField


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


class ConfirmWithReasonDialog(ConfirmActionDialog):
    """A confirmation with the optional reason field (removing, banning, a facilitator's
    delete): `command` takes the reason typed (None when none)."""

    def __init__(
        self,
        bridge: EngineBridge,
        *,
        title: str,
        explanation: str,
        confirm_text: str,
        command: Callable[[str | None], asyncio.Future[Result]],
        what: str = moderation.to_moderate(),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            bridge,
            title=title,
            explanation=explanation,
            confirm_text=confirm_text,
            command=lambda: command(self.reason_field.reason()),
            what=what,
            parent=parent,
        )
        self.reason_field = ReasonField()
        self.form.addLayout(self.reason_field.layout)


def confirm_delete_message(
    bridge: EngineBridge,
    circle: str,
    message_id: str,
    parent: QWidget | None = None,
    *,
    with_reason: bool = False,
) -> ConfirmActionDialog:
    """The question every "delete for everyone" asks first (message menu, review list);
    `with_reason`: a facilitator deleting someone else's message may say why."""
    title = moderation.delete_message_title()
    explanation = moderation.delete_message_text()
    what = moderation.to_delete_message()
    if with_reason:
        return ConfirmWithReasonDialog(
            bridge,
            title=title,
            explanation=explanation,
            confirm_text=moderation.delete_confirm(),
            command=lambda reason: bridge.request(
                DeleteMessage(circle=circle, message=message_id, reason=reason)
            ),
            what=what,
            parent=parent,
        )
    return ConfirmActionDialog(
        bridge,
        title=title,
        explanation=explanation,
        confirm_text=moderation.delete_confirm(),
        command=lambda: bridge.request(DeleteMessage(circle=circle, message=message_id)),
        what=what,
        parent=parent,
    )
