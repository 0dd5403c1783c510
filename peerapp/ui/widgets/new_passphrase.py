"""Choosing a new passphrase: typed twice, with a strength hint and the minimum length.

Shared by the first-run and change-passphrase dialogs so both apply the same policy
(core.passphrase_policy) the same way.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from peerapp.core.passphrase_policy import problem_with
from peerapp.ui import style
from peerapp.ui.text import profile
from peerapp.ui.widgets.field import field
from peerapp.ui.widgets.passphrase_edit import PassphraseEdit
from peerapp.ui.widgets.strength import PassphraseStrengthHint


def passphrase_edit(placeholder: str = "") -> PassphraseEdit:
    """A passphrase box with its show toggle; put its `caps_lock_hint` under it."""
    return PassphraseEdit(placeholder)


class NewPassphraseFields(QWidget):
    validityChanged = Signal(bool)

    def __init__(
        self, label: str = profile.new_passphrase_label(), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.passphrase_edit = passphrase_edit(profile.new_passphrase_placeholder())
        self.repeat_edit = passphrase_edit()
        self.strength_hint = PassphraseStrengthHint()
        self.min_length_note = QLabel(profile.min_length_note())
        style.set_role(self.min_length_note, "muted")
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        style.set_role(self.problem_label, "error")
        self.problem_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addLayout(
            field(
                label,
                self.passphrase_edit,
                self.passphrase_edit.caps_lock_hint,
                self.strength_hint,
                self.min_length_note,
            )
        )
        layout.addLayout(
            field(
                profile.repeat_passphrase_label(),
                self.repeat_edit,
                self.repeat_edit.caps_lock_hint,
                self.problem_label,
            )
        )

        self._valid = False
        self.passphrase_edit.textChanged.connect(self._update)
        self.repeat_edit.textChanged.connect(self._update)

    def passphrase(self) -> str:
        return self.passphrase_edit.text()

    def is_valid(self) -> bool:
        return self._valid

    def problem(self) -> str | None:
        return problem_with(self.passphrase_edit.text(), self.repeat_edit.text())

    def clear(self) -> None:
        self.passphrase_edit.clear()
        self.repeat_edit.clear()

    def _update(self) -> None:
        passphrase = self.passphrase_edit.text()
        self.strength_hint.show_for(passphrase)
        problem = self.problem()
        # Say what is wrong only once the person has started the second field; before that
        # the strength hint and the minimum-length note already guide them.
        show_problem = problem is not None and bool(self.repeat_edit.text())
        self.problem_label.setText(problem if show_problem and problem else "")
        self.problem_label.setVisible(show_problem)
        valid = problem is None
        if valid != self._valid:
            self._valid = valid
            self.validityChanged.emit(valid)
