"""A form dialog whose primary button sends one command to the engine.

The engine may refuse (it says why in a message written for people); the dialog shows
that message inline and stays open so nothing typed is lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QVBoxLayout, QWidget

from peerapp.core.api.circles import CircleCreated, Joined
from peerapp.core.api.contract import Result
from peerapp.ui.async_slot import still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.form_dialog import FormDialog, failure_message

R = TypeVar("R", bound=Result)


class EngineCommandDialog(FormDialog):
    def __init__(
        self,
        bridge: EngineBridge,
        *,
        title: str,
        explanation: str,
        primary_text: str,
        offer_help: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            title=title,
            heading=title,
            explanation=explanation,
            primary_text=primary_text,
            offer_help=offer_help,
            parent=parent,
        )
        self.bridge = bridge
        self.result_data: Result | None = None  # the command's, once it went through
        self.form = QVBoxLayout(self.body)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setSpacing(14)

    async def run_command(
        self, busy_text: str, what: str, command: Callable[[], asyncio.Future[R]]
    ) -> R | None:
        """Run `command` while busy; its result, or None once the refusal is shown."""
        self.set_busy(busy_text)
        try:
            result = await command()
        except Exception as error:
            if still_alive(self):
                self.set_idle()
                self.show_error(failure_message(error, what))
            return None
        if not still_alive(self):
            return None
        self.result_data = result
        return result

    async def run_and_accept(
        self, busy_text: str, what: str, command: Callable[[], asyncio.Future[R]]
    ) -> None:
        if await self.run_command(busy_text, what, command) is not None:
            self.finish_accepted()

    def result_circle(self) -> str | None:
        """The circle the command created or joined, once it succeeded."""
        made = self.result_data
        return made.circle if isinstance(made, (CircleCreated, Joined)) else None
