"""A dialog's scrolling list: a column of widgets in a scroll area (the care and review,
conflicting versions and storage dialogs), made in one place."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


@dataclass(frozen=True)
class ScrollList:
    area: QScrollArea
    widget: QWidget  # the column, inside the area
    layout: QVBoxLayout  # the column's layout: the list's items go here


def scroll_list(
    name: str,
    minimum_size: tuple[int, int],
    *,
    spacing: int,
    right_margin: int = 0,
    see_through: bool = False,
    frameless: bool = False,
) -> ScrollList:
    """`name`: the area's object name (style sheets, tests); `see_through`: the dialog's
    background shows through (setWidget paints the column's own background otherwise);
    `right_margin`: room between the items and the scroll bar."""
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, right_margin, 0)
    layout.setSpacing(spacing)
    area = QScrollArea()
    area.setObjectName(name)
    if frameless:
        area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    if see_through:
        widget.setAutoFillBackground(False)
        area.viewport().setAutoFillBackground(False)
    area.setMinimumSize(*minimum_size)
    return ScrollList(area, widget, layout)
