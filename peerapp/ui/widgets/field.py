"""A form field as a small column: its label above, then the input and any notes.

Labels above inputs rather than beside them: the dialogs are narrow, the labels are
sentences of different lengths, and wrapped notes lay out reliably in plain columns.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

FIELD_SPACING = 4


def field(label: str, *widgets: QWidget) -> QVBoxLayout:
    """A column with `label` (a buddy of the first widget, for its keyboard shortcut)."""
    column = QVBoxLayout()
    column.setSpacing(FIELD_SPACING)
    caption = QLabel(label)
    if widgets:
        caption.setBuddy(widgets[0])
    column.addWidget(caption)
    for widget in widgets:
        column.addWidget(widget)
    return column
