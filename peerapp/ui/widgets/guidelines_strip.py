"""The circle's guidelines, pinned under its header.

Folded, the strip shows one line: "Guidelines" and the start of the text. Unfolded, the
whole text, as plain text (it is written by members: never read as markup), scrolling
when long. A circle without guidelines shows no strip. The text follows the circle's
settings: `set_guidelines` is called again whenever a facilitator changes them, and the
strip keeps whether the person had it open.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from peerapp.ui import style
from peerapp.ui.text import joins
from peerapp.ui.widgets.circle_header import ElidedLabel

MAX_OPEN_HEIGHT = 180


class GuidelinesStrip(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guidelinesStrip")
        self.heading = QLabel(joins.guidelines_heading())
        self.heading.setObjectName("guidelinesHeading")
        self.preview = ElidedLabel()
        style.set_role(self.preview, "muted")
        self.toggle_button = QPushButton(joins.show_guidelines())
        self.toggle_button.setCheckable(True)
        self.toggle_button.setAutoDefault(False)
        style.set_role(self.toggle_button, "quiet")
        self.text = QLabel()
        self.text.setObjectName("guidelinesText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("guidelinesScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.text)

        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.heading)
        top.addWidget(self.preview, 1)
        top.addWidget(self.toggle_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 6, 16, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.scroll_area)
        self.scroll_area.hide()
        self.toggle_button.toggled.connect(self.set_open)
        self.guidelines = ""
        self.hide()

    @property
    def is_open(self) -> bool:
        return self.toggle_button.isChecked()

    def set_guidelines(self, guidelines: str) -> None:
        self.guidelines = guidelines.strip()
        self.text.setText(self.guidelines)
        self._show_preview()
        self.setVisible(bool(self.guidelines))
        self._fit()

    def _show_preview(self) -> None:
        # emptied rather than hidden when open: it keeps the button at the right
        first_line = self.guidelines.splitlines()[0] if self.guidelines else ""
        self.preview.setText("" if self.is_open else first_line)

    @Slot(bool)
    def set_open(self, open_: bool) -> None:
        if self.toggle_button.isChecked() != open_:
            self.toggle_button.setChecked(open_)  # comes back here through toggled
            return
        self.scroll_area.setVisible(open_)
        self._show_preview()
        self.toggle_button.setText(joins.hide_guidelines() if open_ else joins.show_guidelines())
        self._fit()

    def _fit(self) -> None:
        """As tall as the text, up to MAX_OPEN_HEIGHT (then it scrolls)."""
        width = self.scroll_area.viewport().width()
        if width > 0:
            needed = self.text.heightForWidth(width) + 2
            self.scroll_area.setFixedHeight(max(min(needed, MAX_OPEN_HEIGHT), 1))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
