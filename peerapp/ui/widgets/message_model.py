"""A circle's messages as a list model: day separators and messages, in the engine's order.

Messages are only ever added, at the end (live or just sent) or at the start (older
history), each with a row insertion: a view on this model never rebuilds for one message.
A message already shown (by id) is not added twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from peerapp.core.events import MessageView
from peerapp.ui import timeline
from peerapp.ui.timeline import DayRow, MessageRow, Row

ROW_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


class MessageModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._ids: set[str] = set()

    # -- reading ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return describe(row, date.today())
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and isinstance(self._rows[index.row()], MessageRow):
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled

    def row(self, number: int) -> Row:
        return self._rows[number]

    def messages(self) -> list[MessageView]:
        return [row.message for row in self._rows if isinstance(row, MessageRow)]

    def first_message(self) -> MessageView | None:
        return next((r.message for r in self._rows if isinstance(r, MessageRow)), None)

    def last_message(self) -> MessageView | None:
        return next((r.message for r in reversed(self._rows) if isinstance(r, MessageRow)), None)

    def __contains__(self, message_id: object) -> bool:
        return message_id in self._ids

    # -- adding -------------------------------------------------------------------------

    def append(self, batch: Iterable[MessageView]) -> int:
        """Add messages after the last one; returns how many were new."""
        new = self._unseen(batch)
        if not new:
            return 0
        rows = timeline.rows_for(new, self.last_message())
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._ids.update(message.id for message in new)
        self.endInsertRows()
        return len(new)

    def prepend(self, batch: Iterable[MessageView]) -> int:
        """Add older messages before the first one; returns how many were new."""
        new = self._unseen(batch)
        if not new:
            return 0
        self._join_with_older(new[-1])
        rows = timeline.rows_for(new, None)
        self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
        self._rows[0:0] = rows
        self._ids.update(message.id for message in new)
        self.endInsertRows()
        return len(new)

    def _join_with_older(self, older: MessageView) -> None:
        """Fix the current top rows for `older` coming right before them."""
        if len(self._rows) < 2 or not isinstance(self._rows[0], DayRow):
            return
        top = self._rows[1]
        if not isinstance(top, MessageRow):
            return
        position = 1
        if timeline.day_of(older.ts) == self._rows[0].day:
            # the same day goes on: its separator moves up with the older messages
            self.beginRemoveRows(QModelIndex(), 0, 0)
            del self._rows[0]
            self.endRemoveRows()
            position = 0
        starts_group = not timeline.continues(older, top.message)
        if starts_group != top.starts_group:
            self._rows[position] = MessageRow(top.message, starts_group)
            changed = self.index(position)
            self.dataChanged.emit(changed, changed)

    def _unseen(self, batch: Iterable[MessageView]) -> list[MessageView]:
        fresh: dict[str, MessageView] = {}
        for message in batch:
            if message.id not in self._ids:
                fresh.setdefault(message.id, message)
        return list(fresh.values())


def describe(row: Row, today: date) -> str:
    """What a screen reader (and a copy of the row) says."""
    if isinstance(row, DayRow):
        return timeline.day_label(row.day, today)
    message = row.message
    return f"{message.author_name}, {timeline.clock(message.ts)}: {message.text}"


def message_views(rows: Sequence[dict[str, Any]]) -> list[MessageView]:
    """The engine's history rows as MessageViews, skipping any that are malformed."""
    views = []
    for row in rows:
        try:
            views.append(
                MessageView(
                    id=str(row["id"]),
                    author=str(row["author"]),
                    author_name=str(row["author_name"]),
                    text=str(row["text"]),
                    ts=int(row["ts"]),
                    mine=bool(row["mine"]),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return views
