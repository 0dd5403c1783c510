"""The top of a circle: its name, how many members it has, how many are reachable now,
and the buttons to invite someone and to show the members."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from peerapp.ui import messages, style
from peerapp.ui.widgets.member_list import Member


def connection_text(members: list[Member]) -> tuple[str, bool]:
    """What the header says about connections, and whether anyone else is reachable.

    The engine always counts oneself as online, so the others are every member but one
    and the connected others are the online members but one.
    """
    others = max(len(members) - 1, 0)
    if others == 0:
        return messages.JUST_YOU, False
    connected = min(max(sum(member.online for member in members) - 1, 0), others)
    return messages.connected_members(connected, others), connected > 0


class CircleHeader(QFrame):
    def __init__(self, name: str, member_count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("circleHeader")
        self.title = QLabel(name)
        self.title.setObjectName("circleTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.member_count = QLabel()
        style.set_role(self.member_count, "muted")
        self.dot = QLabel("●")
        style.set_presence(self.dot, False)
        self.connection = QLabel()
        style.set_role(self.connection, "muted")
        self.connection.setToolTip(messages.CONNECTION_TOOLTIP)
        self.invite_button = QPushButton(messages.INVITE_BUTTON)
        style.mark_primary(self.invite_button)
        self.members_button = QPushButton(messages.MEMBERS_BUTTON)
        self.members_button.setCheckable(True)
        self.members_button.setChecked(True)
        style.set_role(self.members_button, "toggle")

        details = QHBoxLayout()
        details.setSpacing(6)
        details.addWidget(self.member_count)
        separator = QLabel("·")
        style.set_role(separator, "muted")
        details.addWidget(separator)
        details.addWidget(self.dot)
        details.addWidget(self.connection)
        details.addStretch(1)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addLayout(details)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(text, 1)
        layout.addWidget(self.members_button)
        layout.addWidget(self.invite_button)
        # who is reachable is known once the members have been asked for
        self.separator = separator
        self.separator.hide()
        self.dot.hide()
        self.set_member_count(member_count)

    def set_name(self, name: str) -> None:
        self.title.setText(name)

    def set_member_count(self, count: int) -> None:
        self.member_count.setText(messages.member_count(max(count, 1)))

    def set_members(self, members: list[Member]) -> None:
        self.set_member_count(len(members))
        text, reachable = connection_text(members)
        self.connection.setText(text)
        style.set_presence(self.dot, reachable)
        self.separator.show()
        self.dot.show()
