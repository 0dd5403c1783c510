"""One circle on screen: its header, its messages, the composer and its members.

The pane asks the engine for the latest page of history when it is created, then keeps
itself current: messages that arrive are appended (`add_arrived`), a message sent from
here is appended once the engine has stored it, and older pages are fetched when the
person scrolls to the top. Messages that arrive while the first page is still on its way
wait, so they land after it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from peerapp.core.errors import HearthError
from peerapp.core.events import MessageView
from peerapp.ui import messages, style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.form_dialog import failure_message
from peerapp.ui.widgets.circle_header import CircleHeader
from peerapp.ui.widgets.composer import Composer
from peerapp.ui.widgets.member_list import MemberPanel, members_from
from peerapp.ui.widgets.message_list import MessageList
from peerapp.ui.widgets.message_model import MessageModel, message_views

log = logging.getLogger(__name__)

HISTORY_PAGE = 100
SENT_LOOKUP = 20  # how far back to look for a message just sent


class CirclePane(QWidget):
    inviteRequested = Signal(str)  # circle id

    history_page = HISTORY_PAGE

    def __init__(
        self,
        bridge: EngineBridge,
        circle_id: str,
        name: str,
        member_count: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.circle_id = circle_id
        self.name = name
        self.model = MessageModel(self)
        self.header = CircleHeader(name, member_count)
        self.message_list = MessageList(self.model)
        self.placeholder = QLabel(messages.LOADING_MESSAGES)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        style.set_role(self.placeholder, "muted")
        self.messages_area = QStackedWidget()
        self.messages_area.addWidget(self.placeholder)
        self.messages_area.addWidget(self.message_list)
        self.composer = Composer()
        self.member_panel = MemberPanel()

        conversation = QVBoxLayout()
        conversation.setContentsMargins(0, 0, 0, 0)
        conversation.setSpacing(0)
        conversation.addWidget(self.messages_area, 1)
        conversation.addWidget(self.composer)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addLayout(conversation, 1)
        body.addWidget(self.member_panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addLayout(body, 1)

        self.loaded = False
        self.has_older = False
        self.loading_older = False
        self._waiting: list[MessageView] = []
        self._members_asked = 0
        self._members_shown = 0

        self.header.invite_button.clicked.connect(lambda: self.inviteRequested.emit(circle_id))
        self.header.members_button.toggled.connect(self.member_panel.setVisible)
        self.composer.sendRequested.connect(self.send)
        self.message_list.nearTop.connect(self.load_older)
        self.model.rowsInserted.connect(self._show_messages)

    # -- what the window tells the pane -------------------------------------------------

    def set_name(self, name: str) -> None:
        self.name = name
        self.header.set_name(name)

    def add_arrived(self, message: MessageView) -> None:
        if self.loaded:
            self.model.append([message])
        else:
            self._waiting.append(message)

    def focus_composer(self) -> None:
        self.composer.edit.setFocus()

    # -- history ------------------------------------------------------------------------

    @async_slot()
    async def load(self) -> None:
        self.refresh_members()
        try:
            result = await self.bridge.history(self.circle_id, limit=self.history_page)
        except HearthError as error:
            log.info("could not load a circle's history: %s", type(error).__name__)
            if still_alive(self):
                self.placeholder.setText(error.message)
            return
        if not still_alive(self):
            return
        views = message_views(result.get("messages", []))
        self.has_older = len(views) >= self.history_page
        self.model.append(views)
        self.model.append(self._waiting)
        self._waiting.clear()
        self.loaded = True
        self.message_list.scroll_to_end()
        if self.model.rowCount() == 0:
            self.placeholder.setText(messages.NO_MESSAGES_YET)

    @async_slot()
    async def load_older(self) -> None:
        first = self.model.first_message()
        if not self.loaded or not self.has_older or self.loading_older or first is None:
            return
        self.loading_older = True
        try:
            result = await self.bridge.history(
                self.circle_id, limit=self.history_page, before=first.id
            )
        except HearthError as error:
            log.info("could not load older messages: %s", type(error).__name__)
            if still_alive(self):
                self.loading_older = False
            return
        if not still_alive(self):
            return
        views = message_views(result.get("messages", []))
        self.has_older = len(views) >= self.history_page
        self.message_list.keep_position_for_older()
        self.model.prepend(views)
        self.loading_older = False

    @Slot()
    def _show_messages(self) -> None:
        self.messages_area.setCurrentWidget(self.message_list)

    # -- sending ------------------------------------------------------------------------

    @async_slot(str)
    async def send(self, text: str) -> None:
        """Send what the composer handed over (it waits, read-only, for the outcome)."""
        try:
            result = await self.bridge.send(self.circle_id, text)
        except Exception as error:
            if still_alive(self):
                reason = failure_message(error, messages.TO_SEND)
                self.composer.failed(messages.not_sent(reason))
            return
        if not still_alive(self):
            return
        self.composer.sent()
        self.message_list.scroll_to_end()
        await self._show_sent(str(result.get("message", "")))

    async def _show_sent(self, message_id: str) -> None:
        """The engine answers a send with the id only: read the stored message back."""
        try:
            result = await self.bridge.history(self.circle_id, limit=SENT_LOOKUP)
        except HearthError as error:
            log.info("could not read back a sent message: %s", type(error).__name__)
            return
        if not still_alive(self):
            return
        sent = [m for m in message_views(result.get("messages", [])) if m.id == message_id]
        if not sent:
            log.info("a sent message was not among the latest; it shows when reopened")
        elif self.loaded:
            self.message_list.scroll_to_end()
            self.model.append(sent)
        else:
            self._waiting.extend(sent)

    # -- members ------------------------------------------------------------------------

    @async_slot()
    async def refresh_members(self) -> None:
        self._members_asked += 1
        asked = self._members_asked
        try:
            result = await self.bridge.members(self.circle_id)
        except HearthError as error:
            log.info("could not list members: %s", type(error).__name__)
            return
        # answers can overtake each other; an older one must not undo a newer one
        if not still_alive(self) or asked < self._members_shown:
            return
        self._members_shown = asked
        members = members_from(result.get("members", []))
        self.member_panel.set_members(members)
        self.header.set_members(members)
