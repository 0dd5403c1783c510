"""The circle switcher (Ctrl+K): type part of a circle's name, Enter opens it.

A small dialog with a filter line and the circles whose names contain what was typed
(ignoring case), in the sidebar's order. Up and Down move the choice while typing; Enter
opens the chosen one (the first match unless moved); Esc closes. With nothing matching,
Enter does nothing and a line says so.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerapp.ui import style
from peerapp.ui.text import navigation

ID_ROLE = Qt.ItemDataRole.UserRole + 1
WIDTH = 360
MOVE_KEYS = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}
ENTER_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})


def matching(circles: Sequence[tuple[str, str]], typed: str) -> list[tuple[str, str]]:
    """The (id, name) pairs whose name contains `typed`, ignoring case and the spaces
    around it; all of them for nothing typed."""
    wanted = typed.strip().casefold()
    return [(circle, name) for circle, name in circles if wanted in name.casefold()]


class CircleSwitcher(QDialog):
    circleChosen = Signal(str)  # circle id

    def __init__(
        self,
        circles: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        title: str | None = None,
    ) -> None:
        """`circles`: (id, name) of every circle, in the sidebar's order; `title`: what
        the choice is for (the Care entry's chooser), "Switch circle" when not given."""
        super().__init__(parent)
        self.setObjectName("circleSwitcher")
        title = title if title is not None else navigation.switcher_title()
        self.setWindowTitle(title)
        self.setMinimumWidth(WIDTH)
        self._circles = list(circles)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(navigation.switcher_placeholder())
        self.filter_edit.setAccessibleName(title)
        self.list = QListWidget()
        self.list.setObjectName("switcherList")
        self.list.setAccessibleName(navigation.circle_list_name())
        self.nothing_found = QLabel(navigation.switcher_nothing_found())
        style.set_role(self.nothing_found, "muted")
        hint = QLabel(navigation.switcher_hint())
        style.set_role(hint, "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.nothing_found)
        layout.addWidget(hint)
        self.filter_edit.textChanged.connect(self._filter)
        self.filter_edit.installEventFilter(self)
        self.list.itemActivated.connect(self._activated)
        self._filter("")
        self.filter_edit.setFocus()

    def shown_names(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(ID_ROLE)) if item is not None else None

    def _filter(self, typed: str) -> None:
        self.list.clear()
        for circle, name in matching(self._circles, typed):
            item = QListWidgetItem(name)
            item.setData(ID_ROLE, circle)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.nothing_found.setVisible(self.list.count() == 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up, Down and Enter typed in the filter line act on the list."""
        if watched is self.filter_edit and isinstance(event, QKeyEvent):
            if event.type() != QEvent.Type.KeyPress:
                return False
            key = Qt.Key(event.key())
            if key in MOVE_KEYS and self.list.count():
                row = self.list.currentRow() + MOVE_KEYS[key]
                self.list.setCurrentRow(min(max(row, 0), self.list.count() - 1))
                return True
            if key in ENTER_KEYS:
                self.open_chosen()
                return True
        return super().eventFilter(watched, event)

    def _activated(self, _item: QListWidgetItem) -> None:
        self.open_chosen()

    def open_chosen(self) -> None:
        circle = self.chosen()
        if circle is None:
            return  # nothing matches: the line under the list says so
        self.circleChosen.emit(circle)
        self.accept()
