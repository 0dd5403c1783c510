"""A circle's moderation log: every change its facilitators made, oldest first. Every
member may read it (the engine's `moderation_log`).

Shown as a list, one entry per row, read like a sentence: what happened on the first line,
then who did it, to whom and when in quieter words, then the reason when there is one --
not a spreadsheet of columns."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.api.moderation import ModerationLogOf
from peerapp.ui import style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.form_dialog import FormDialog, failure_message
from peerapp.ui.notices import LogLine, log_lines
from peerapp.ui.text import moderation

LIST_SIZE = (560, 320)


class ModerationLogDialog(FormDialog):
    def __init__(self, bridge: EngineBridge, circle: str, parent: QWidget | None = None) -> None:
        super().__init__(
            title=moderation.moderation_log_title(),
            heading=moderation.moderation_log_title(),
            explanation=moderation.moderation_log_text(),
            primary_text=moderation.moderation_log_close(),
            parent=parent,
        )
        self.bridge = bridge
        self.circle = circle
        self.lines: list[LogLine] = []
        self.loaded = False
        self.entries = QListWidget()
        self.entries.setObjectName("moderationLog")
        self.entries.setAccessibleName(moderation.moderation_log_entries_name())
        self.entries.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.entries.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.entries.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.entries.setMinimumSize(*LIST_SIZE)
        self.empty_label = QLabel(moderation.moderation_log_empty())
        style.set_role(self.empty_label, "muted")
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.entries)
        layout.addWidget(self.empty_label)
        self.empty_label.hide()
        self.secondary_button.hide()
        self.primary_button.clicked.connect(self.accept)
        self.set_submittable(True)

    @async_slot()
    async def load(self) -> None:
        self.set_busy(moderation.moderation_log_loading())
        try:
            result = await self.bridge.request(ModerationLogOf(circle=self.circle))
        except Exception as error:
            if still_alive(self):
                self.set_idle()
                self.show_error(failure_message(error, moderation.to_read_moderation_log()))
            return
        if not still_alive(self):
            return
        self.set_idle()
        self.show_lines(log_lines(result.entries))

    def show_lines(self, lines: list[LogLine]) -> None:
        self.lines = lines
        self.entries.clear()
        for line in lines:
            row = entry_row(line)
            item = QListWidgetItem()
            # the row's words, for screen readers (the row widget shows them)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, row.accessibleName())
            self.entries.addItem(item)
            self.entries.setItemWidget(item, row)
            item.setSizeHint(row.sizeHint())
        self.entries.scrollToBottom()  # the latest changes first in sight
        self.entries.setVisible(bool(lines))
        self.empty_label.setVisible(not lines)
        self.loaded = True


def entry_row(line: LogLine) -> QFrame:
    """One entry: what happened, then by whom, about whom and when, then the reason."""
    row = QFrame()
    row.setObjectName("moderationEntry")
    layout = QVBoxLayout(row)
    layout.setContentsMargins(10, 8, 10, 8)
    layout.setSpacing(2)
    # names and reasons are members' words: plain text, never markup
    what = QLabel(line.what)
    what.setTextFormat(Qt.TextFormat.PlainText)
    what.setObjectName("moderationWhat")
    layout.addWidget(what)
    by = QLabel(moderation.moderation_log_by(line.who, line.whom, line.when))
    by.setTextFormat(Qt.TextFormat.PlainText)
    style.set_role(by, "muted")
    layout.addWidget(by)
    words = [line.what, by.text()]
    if line.reason:
        reason = QLabel(moderation.moderation_log_reason(line.reason))
        reason.setObjectName("moderationLogReason")
        reason.setTextFormat(Qt.TextFormat.PlainText)
        reason.setWordWrap(True)
        layout.addWidget(reason)
        words.append(reason.text())
    row.setAccessibleName(". ".join(words))
    return row
