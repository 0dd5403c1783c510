"""A live strength hint for a new passphrase: a coloured bar and a word.

The estimate comes from core.passphrase_policy; this widget only shows it. It informs and
never blocks: whether a passphrase may be used is decided by `problem_with`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from peerapp.core.passphrase_policy import Strength, estimate
from peerapp.ui import style
from peerapp.ui.text import profile

# Bits of estimated entropy that fill the bar; "strong" starts at 75.
FULL_BAR_BITS = 100


class PassphraseStrengthHint(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setObjectName("strengthBar")
        self.bar.setRange(0, FULL_BAR_BITS)
        self.bar.setTextVisible(False)
        self.label = QLabel()
        self.label.setObjectName("strengthLabel")
        self.label.setMinimumWidth(130)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.label)
        self.strength: Strength | None = None
        self.show_for("")

    def show_for(self, passphrase: str) -> None:
        if not passphrase:
            self.strength = None
            self.bar.setValue(0)
            self.label.clear()
            return
        hint = estimate(passphrase)
        self.strength = hint.strength
        # a sliver even for one character, so the bar visibly reacts to typing
        self.bar.setValue(max(3, min(FULL_BAR_BITS, round(hint.bits))))
        self.label.setText(profile.strength_text(hint.strength))
        style.set_strength(self.bar, hint.strength.value)
        style.set_strength(self.label, hint.strength.value)
