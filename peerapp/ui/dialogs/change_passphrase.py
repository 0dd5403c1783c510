"""Changing the profile passphrase (the database key stays; only its wrapping changes)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QVBoxLayout, QWidget

from peerapp.core.errors import WrongPassphrase
from peerapp.engine.profiles import KdfParams, change_passphrase
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.dialogs.form_dialog import FormDialog, failure_message
from peerapp.ui.text import profile
from peerapp.ui.widgets.field import field
from peerapp.ui.widgets.new_passphrase import NewPassphraseFields, passphrase_edit


class ChangePassphraseDialog(FormDialog):
    def __init__(
        self, folder: Path, kdf: KdfParams | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            title=profile.change_passphrase_title(),
            heading=profile.change_passphrase_title(),
            explanation=profile.change_passphrase_explanation(),
            primary_text=profile.change_passphrase(),
            parent=parent,
        )
        self._folder = folder
        # None keeps the Argon2id cost already in the key file
        self._kdf = kdf
        self.current_edit = passphrase_edit()
        self.fields = NewPassphraseFields(profile.new_passphrase_label_change())
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addLayout(
            field(
                profile.current_passphrase_label(),
                self.current_edit,
                self.current_edit.caps_lock_hint,
            )
        )
        layout.addWidget(self.fields)
        self.current_edit.textChanged.connect(self._refresh)
        self.fields.validityChanged.connect(self._refresh)
        self.primary_button.clicked.connect(self.submit)
        self.current_edit.setFocus()

    def _refresh(self) -> None:
        self.set_submittable(bool(self.current_edit.text()) and self.fields.is_valid())

    @async_slot()
    async def submit(self) -> None:
        current, new = self.current_edit.text(), self.fields.passphrase()
        if self.busy or not current or not self.fields.is_valid():
            return
        self.set_busy(profile.changing_passphrase())
        try:
            await asyncio.to_thread(change_passphrase, self._folder, current, new, self._kdf)
        except Exception as error:
            if still_alive(self):
                self._failed(error)
            return
        if still_alive(self):
            self.current_edit.clear()
            self.fields.clear()
            self.finish_accepted()

    def _failed(self, error: Exception) -> None:
        self.set_idle()
        if isinstance(error, WrongPassphrase):
            self.show_error(profile.wrong_current_passphrase())
            self.current_edit.clear()
            self.current_edit.setFocus()
        else:
            self.show_error(failure_message(error, profile.to_change_passphrase()))
