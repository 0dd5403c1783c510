"""A row of buttons: some at its start, a stretch, the rest at its end.

The cards and bars above the composer and the care lists lay their actions out so: the
helpful ones first, where the eye lands, and closing or destructive ones apart at the end.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QHBoxLayout, QWidget


def button_row(
    start: Sequence[QWidget] = (),
    end: Sequence[QWidget] = (),
    *,
    spacing: int | None = None,
) -> QHBoxLayout:
    """`start`, a stretch, then `end`; `spacing` between them (None: the style's own)."""
    row = QHBoxLayout()
    if spacing is not None:
        row.setSpacing(spacing)
    for widget in start:
        row.addWidget(widget)
    row.addStretch(1)
    for widget in end:
        row.addWidget(widget)
    return row
