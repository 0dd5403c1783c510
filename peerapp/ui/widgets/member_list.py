"""The members of a circle: a dot for who is connected, the name, the founder's badge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerapp.ui import messages, style

PANEL_WIDTH = 220
ROW_HEIGHT = 32
FOUNDER = "founder"
DOT = "●"


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    role: str
    online: bool

    @property
    def founder(self) -> bool:
        return self.role == FOUNDER


def members_from(rows: Sequence[object]) -> list[Member]:
    """The engine's member rows, skipping any that are malformed."""
    members = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        try:
            members.append(
                Member(str(row["id"]), str(row["name"]), str(row["role"]), bool(row["online"]))
            )
        except KeyError:
            continue
    return members


class MemberRow(QWidget):
    def __init__(self, member: Member, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dot = QLabel(DOT)
        style.set_presence(self.dot, member.online)
        self.dot.setToolTip(messages.ONLINE if member.online else messages.OFFLINE)
        self.name_label = QLabel(member.name or messages.UNNAMED_MEMBER)
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.badge = QLabel(messages.FOUNDER_BADGE)
        style.set_role(self.badge, "badge")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(8)
        layout.addWidget(self.dot)
        layout.addWidget(self.name_label, 1)
        layout.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        # only once it has a parent: showing a parentless label opens a window of its own
        self.badge.setVisible(member.founder)


class MemberPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memberPanel")
        self.setFixedWidth(PANEL_WIDTH)
        self.heading = QLabel(messages.MEMBERS_HEADING)
        style.set_role(self.heading, "subheading")
        self.list = QListWidget()
        self.list.setObjectName("memberList")
        self.list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 16, 8, 10)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        self.members: list[Member] = []

    def set_members(self, members: Sequence[Member]) -> None:
        # a circle has a handful of members: rebuilding the few rows is simplest
        self.members = list(members)
        self.list.clear()
        for member in members:
            item = QListWidgetItem()
            item.setSizeHint(QSize(PANEL_WIDTH - 24, ROW_HEIGHT))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, _spoken(member))
            self.list.addItem(item)
            self.list.setItemWidget(item, MemberRow(member))


def _spoken(member: Member) -> str:
    parts = [member.name, messages.ONLINE if member.online else messages.OFFLINE]
    if member.founder:
        parts.append(messages.FOUNDER_BADGE)
    return ", ".join(parts)
