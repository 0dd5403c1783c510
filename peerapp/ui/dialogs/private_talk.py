"""The "Private conversation" window: one per (circle, member), non-modal, so a
facilitator can keep the circle in view while talking with one person.

Rules:
- It reads the conversation (`private_messages`) when opened and marks it read
  (`private_read`); a `private_message` event for it adds the row (`arrived`) and, while
  the window is active, marks it read again.
- Sending (`private_send`, Ctrl+Enter or the button) adds the row from the result's view
  (nothing is read back); a refusal is shown in the window in the engine's words (the
  one error route's wording, failure_message), and the text stays in the composer.
- Whether one may write is the engine's (`may_write`, core/private_talk.py): when one
  may not (a plain member who was not written to, someone removed), the composer is
  hidden and a line says why in plain words.
- Texts come from peers: every row is plain text (PlainText labels, never rich text).
- A search result (issue 15) opens the window at its message (`show_message`): once the
  first page is shown (at most LOAD_WAIT_SECONDS), older pages of MAX_PAGE are read
  (`before` the oldest shown) until the message is shown, at most MAX_OLDER_PAGES; then
  it is the current row, in the middle of the list. Not there: False, the caller says so.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerapp.core import private_talk_policy
from peerapp.core.api.private_talk import (
    PrivateHistory,
    PrivateMessageView,
    PrivateRead,
    PrivateSend,
)
from peerapp.ui import clock, style
from peerapp.ui.async_slot import async_slot, settle_quietly, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.form_dialog import failure_message
from peerapp.ui.text import common, conversation, private_talk
from peerapp.ui.widgets.plain_label import plain_label

COMPOSER_HEIGHT = 80
LOAD_WAIT_SECONDS = 15.0
# older pages of MAX_PAGE a jump to a message reads at most (a conversation's messages
# are bounded per day: this reaches far back without an unbounded walk)
MAX_OLDER_PAGES = 40


def row_text(view: PrivateMessageView) -> str:
    who = private_talk.you() if view.mine else view.author_name or conversation.unnamed_member()
    when = common.ago(max(clock.now_ms() - view.stored_at, 0) / 1000)
    heading = f"{who} · {when}"
    if view.mine and not view.delivered:
        heading = f"{heading} · {private_talk.not_delivered_yet()}"
    return f"{heading}\n{view.text}"


class PrivateTalkDialog(QDialog):
    sent = Signal(object)  # the PrivateMessageView we sent
    readChanged = Signal(str)  # member id: its unread count is now 0

    def __init__(
        self,
        bridge: EngineBridge,
        circle: str,
        member: str,
        name: str,
        parent: QWidget | None = None,
        *,
        may_write: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("privateTalkDialog")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.bridge = bridge
        self.circle = circle
        self.member = member
        shown_name = name or conversation.unnamed_member()
        self.setWindowTitle(private_talk.window_title(shown_name))
        self.ids: list[str] = []
        self.has_older = True  # until a page shorter than asked comes back
        self._loaded = asyncio.Event()  # the first page is shown (or failed)
        self.explanation = plain_label(private_talk.explanation(shown_name), "muted")
        self.list = QListWidget()
        self.list.setObjectName("privateMessages")
        self.list.setWordWrap(True)
        self.list.setAccessibleName(private_talk.window_title(shown_name))
        self.empty = plain_label(private_talk.empty(), "muted")
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        style.set_role(self.error, "error")
        self.error.hide()
        self.cannot_write = plain_label(private_talk.cannot_write(), "muted")
        self.composer = QPlainTextEdit()
        self.composer.setPlaceholderText(private_talk.composer_placeholder())
        self.composer.setAccessibleName(private_talk.composer_placeholder())
        self.composer.setFixedHeight(COMPOSER_HEIGHT)
        self.composer.setTabChangesFocus(True)
        self.send_button = QPushButton(private_talk.send())
        self.send_button.setAutoDefault(False)
        self.send_button.clicked.connect(self.send)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self.composer)
        shortcut.activated.connect(self.send)
        write = QHBoxLayout()
        write.addWidget(self.composer, 1)
        write.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.error)
        layout.addWidget(self.cannot_write)
        layout.addLayout(write)
        self.resize(440, 520)
        self.set_may_write(may_write)

    def set_may_write(self, may_write: bool) -> None:
        self.may_write = may_write
        self.composer.setVisible(may_write)
        self.send_button.setVisible(may_write)
        self.cannot_write.setVisible(not may_write)

    # -- reading ------------------------------------------------------------------------

    @async_slot()
    async def load(self) -> None:
        try:
            result = await self.bridge.request(
                PrivateHistory(circle=self.circle, member=self.member)
            )
        except Exception as error:
            if still_alive(self):
                self.show_error(failure_message(error, private_talk.to_read()))
                self.has_older = False
                self._loaded.set()
            return
        if not still_alive(self):
            return
        self.list.clear()
        self.ids = []
        for view in result.messages:
            self.add(view)
        self.has_older = len(result.messages) >= private_talk_policy.DEFAULT_PAGE
        self.empty.setVisible(not self.ids)
        self._loaded.set()
        self.mark_read()

    async def load_older(self) -> bool:
        """Read the page before the oldest row shown; False when none came."""
        if not self.ids or not self.has_older:
            return False
        page = private_talk_policy.MAX_PAGE
        try:
            older = PrivateHistory(
                circle=self.circle, member=self.member, before=self.ids[0], limit=page
            )
            result = await self.bridge.request(older)
        except Exception as error:
            if still_alive(self):
                self.show_error(failure_message(error, private_talk.to_read()))
            return False
        if not still_alive(self):
            return False
        views = [view for view in result.messages if view.id not in self.ids]
        for row, view in enumerate(views):
            self.list.insertItem(row, self._item(view))
        self.ids[:0] = [view.id for view in views]
        self.has_older = len(result.messages) >= page
        return bool(views)

    async def show_message(self, message_id: str) -> bool:
        """Bring a message into view, reading older pages as needed; False when it is
        not in this conversation (or further back than the bound)."""
        try:
            await asyncio.wait_for(self._loaded.wait(), LOAD_WAIT_SECONDS)
        except TimeoutError:
            return False
        for _ in range(MAX_OLDER_PAGES):
            if not still_alive(self) or message_id in self.ids:
                break
            if not await self.load_older():
                break
        if not still_alive(self) or message_id not in self.ids:
            return False
        item = self.list.item(self.ids.index(message_id))
        self.list.setCurrentItem(item)
        self.list.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.list.setFocus()
        return True

    def add(self, view: PrivateMessageView) -> None:
        if view.id in self.ids:
            return
        self.list.addItem(self._item(view))
        self.ids.append(view.id)
        self.empty.hide()
        self.list.scrollToBottom()

    def _item(self, view: PrivateMessageView) -> QListWidgetItem:
        item = QListWidgetItem(row_text(view))
        item.setData(Qt.ItemDataRole.UserRole, view.id)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, row_text(view))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        return item

    def texts(self) -> list[str]:
        """The rows' message texts, in order (for tests and accessibility checks)."""
        return [self.list.item(row).text().split("\n", 1)[1] for row in range(self.list.count())]

    def arrived(self, view: PrivateMessageView) -> None:
        """A `private_message` event of this conversation."""
        self.add(view)
        if self.isActiveWindow():
            self.mark_read()

    def mark_read(self) -> None:
        settle_quietly(
            self.bridge.request(PrivateRead(circle=self.circle, member=self.member)),
            "private_read",
        )
        self.readChanged.emit(self.member)

    # -- writing ------------------------------------------------------------------------

    @Slot()
    def send(self) -> None:
        if self.may_write and self.composer.toPlainText().strip():
            self._send()

    @async_slot()
    async def _send(self) -> None:
        text = self.composer.toPlainText()
        self.send_button.setEnabled(False)
        try:
            result = await self.bridge.request(
                PrivateSend(circle=self.circle, member=self.member, text=text)
            )
        except Exception as error:
            if still_alive(self):
                self.send_button.setEnabled(True)
                self.show_error(failure_message(error, private_talk.to_send()))
            return
        if not still_alive(self):
            return
        self.send_button.setEnabled(True)
        self.error.hide()
        self.composer.clear()
        self.add(result.view)
        self.sent.emit(result.view)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
