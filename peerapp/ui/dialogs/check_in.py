"""A check-in: "How are you doing?" on a scale of 1 to 5, with an optional line (the
engine's `checkin`). The circle sees it as one compact line, so a facilitator can open a
session with a round.

Keyboard friendly: the moods are radio buttons (arrow keys move between them), and the keys
1 to 5 pick a mood wherever the focus is, except while typing the line.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QButtonGroup, QLineEdit, QRadioButton, QVBoxLayout, QWidget

from peerapp.core.api.messages import CheckIn
from peerapp.core.circle_events import MOODS
from peerapp.ui.async_slot import async_slot
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.text import check_ins
from peerapp.ui.widgets.field import FIELD_SPACING, field

MAX_LINE_CHARS = 200
MOOD_KEYS = {getattr(Qt.Key, f"Key_{mood}"): mood for mood in MOODS}


class CheckInDialog(EngineCommandDialog):
    def __init__(self, bridge: EngineBridge, circle: str, parent: QWidget | None = None) -> None:
        super().__init__(
            bridge,
            title=check_ins.check_in_title(),
            explanation=check_ins.check_in_text(),
            primary_text=check_ins.check_in_send(),
            offer_help=True,  # "Get help now" inside the dialog (issue 14)
            parent=parent,
        )
        self.heading_label.setText(check_ins.check_in_heading())
        self.circle = circle
        self.mood_group = QButtonGroup(self)
        self.mood_buttons: dict[int, QRadioButton] = {}
        moods = QVBoxLayout()
        moods.setSpacing(FIELD_SPACING)
        for mood in MOODS:
            button = QRadioButton(check_ins.mood_choice(mood))
            button.setAccessibleName(check_ins.mood_name(mood))
            self.mood_group.addButton(button, mood)
            self.mood_buttons[mood] = button
            moods.addWidget(button)
        self.line_edit = QLineEdit()
        self.line_edit.setPlaceholderText(check_ins.check_in_line_placeholder())
        self.line_edit.setMaxLength(MAX_LINE_CHARS)
        self.form.addLayout(moods)
        self.form.addLayout(field(check_ins.check_in_line_label(), self.line_edit))
        self.mood_group.idToggled.connect(self._refresh)
        self.primary_button.clicked.connect(self.submit)
        self.mood_buttons[MOODS.start].setFocus()

    def mood(self) -> int:
        """The mood chosen (1..5); 0 while none is."""
        return max(self.mood_group.checkedId(), 0)

    def choose(self, mood: int) -> None:
        button = self.mood_buttons.get(mood)
        if button is not None:
            button.setChecked(True)
            button.setFocus()

    def line(self) -> str:
        return " ".join(self.line_edit.text().split())

    def _refresh(self) -> None:
        self.set_submittable(self.mood() in MOODS)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mood = MOOD_KEYS.get(Qt.Key(event.key()))
        if mood is not None and not self.line_edit.hasFocus() and not self.busy:
            self.choose(mood)
            event.accept()
            return
        super().keyPressEvent(event)

    @async_slot()
    async def submit(self) -> None:
        mood = self.mood()
        if self.busy or mood not in MOODS:
            return
        command = CheckIn(circle=self.circle, mood=mood, text=self.line() or None)
        await self.run_and_accept(
            check_ins.check_in_sending(),
            check_ins.to_check_in(),
            lambda: self.bridge.request(command),
        )
