"""A circle's moderation log: every change its facilitators made, oldest first, as when,
who, what and to whom. Every member may read it (the engine's `moderation_log`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
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

TABLE_SIZE = (620, 320)


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
        self.table = QTableWidget(0, len(moderation.moderation_log_columns()))
        self.table.setObjectName("moderationLog")
        self.table.setHorizontalHeaderLabels(list(moderation.moderation_log_columns()))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumSize(*TABLE_SIZE)
        self.empty_label = QLabel(moderation.moderation_log_empty())
        style.set_role(self.empty_label, "muted")
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
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
        self.table.setRowCount(len(lines))
        for number, line in enumerate(lines):
            for column, text in enumerate((line.when, line.who, line.what, line.whom)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(number, column, item)
        self.table.resizeRowsToContents()
        self.table.scrollToBottom()  # the latest changes first in sight
        self.empty_label.setVisible(not lines)
        self.loaded = True
