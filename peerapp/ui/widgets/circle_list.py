"""The sidebar: the circles this profile belongs to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QVBoxLayout, QWidget

from peerapp.ui import messages, style


def circle_title(circle: Mapping[str, Any]) -> str:
    name = circle.get("name")
    return name if isinstance(name, str) and name.strip() else messages.UNNAMED_CIRCLE


class CircleList(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setMinimumWidth(200)
        self.setMaximumWidth(280)
        heading = QLabel(messages.CIRCLES_HEADING)
        style.set_role(heading, "subheading")
        self.list = QListWidget()
        self.list.setObjectName("circleList")
        self.none_label = QLabel(messages.NO_CIRCLES_YET)
        style.set_role(self.none_label, "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 16, 10, 10)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(self.none_label)
        layout.addWidget(self.list, 1)

    def set_circles(self, circles: Sequence[Mapping[str, Any]]) -> None:
        self.list.clear()
        self.list.addItems([circle_title(circle) for circle in circles])
        self.none_label.setVisible(not circles)

    def count(self) -> int:
        return self.list.count()
