"""The card a low check-in brings up above the composer, on the spot: thanks, the crisis
resources one click away ("Get help now") and "Tell a facilitator" (privately), or, when
there is no facilitator to tell, a kind word saying so. It asks nothing and sends
nothing itself: its buttons say what was chosen (peerapp.ui.pane_follow_up acts)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from peerapp.ui import style
from peerapp.ui.text import follow_through
from peerapp.ui.widgets.button_row import button_row


class FollowUpCard(QFrame):
    helpRequested = Signal()
    tellRequested = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followUpCard")
        self.heading = QLabel(follow_through.low_check_in_heading())
        style.set_role(self.heading, "subheading")
        self.text = QLabel(follow_through.low_check_in_text())
        self.text.setWordWrap(True)
        self.no_one = QLabel(follow_through.no_facilitator_to_tell())
        self.no_one.setObjectName("noFacilitatorToTell")
        style.set_role(self.no_one, "muted")
        self.no_one.setWordWrap(True)
        self.help_button = QPushButton(follow_through.get_help_now())
        self.help_button.setObjectName("followUpGetHelp")
        style.mark_primary(self.help_button)
        self.tell_button = QPushButton(follow_through.tell_a_facilitator())
        self.tell_button.setObjectName("followUpTell")
        self.close_button = QPushButton(follow_through.not_now())
        style.set_role(self.close_button, "quiet")
        self.help_button.clicked.connect(self.helpRequested)
        self.tell_button.clicked.connect(self.tellRequested)
        self.close_button.clicked.connect(self.dismiss)
        buttons = button_row((self.help_button, self.tell_button), (self.close_button,), spacing=8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 14)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.text)
        layout.addWidget(self.no_one)
        layout.addLayout(buttons)
        self.hide()  # until a low check-in

    def offer(self, *, someone_to_tell: bool) -> None:
        """Show the card; "Tell a facilitator" only where a facilitator could hear it."""
        self.tell_button.setVisible(someone_to_tell)
        self.no_one.setVisible(not someone_to_tell)
        self.show()
        self.help_button.setFocus()

    def dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
