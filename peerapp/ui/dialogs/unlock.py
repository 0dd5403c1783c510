"""Unlocking an existing profile with its passphrase."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from peerapp.core.errors import ProfileDamaged, WrongPassphrase
from peerapp.engine.profiles import UnlockedProfile, unlock_profile
from peerapp.ui import style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.dialogs.form_dialog import FormDialog, failure_message
from peerapp.ui.text import common, profile
from peerapp.ui.text.app_window import profile_name
from peerapp.ui.widgets.field import field
from peerapp.ui.widgets.new_passphrase import passphrase_edit


class UnlockDialog(FormDialog):
    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(
            title=profile.unlock_title(profile_name(folder)),
            heading=profile.unlock_heading(),
            explanation=profile.unlock_explanation(),
            primary_text=profile.unlock(),
            secondary_text=common.quit(),
            offer_help=True,
            parent=parent,
        )
        self._folder = folder
        self.unlocked: UnlockedProfile | None = None
        self.passphrase_edit = passphrase_edit()
        self.folder_label = QLabel(profile.profile_folder_note(str(folder)))
        self.folder_label.setWordWrap(True)
        style.set_role(self.folder_label, "muted")
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(
            field(
                profile.passphrase_label(),
                self.passphrase_edit,
                self.passphrase_edit.caps_lock_hint,
                self.folder_label,
            )
        )
        self.passphrase_edit.textChanged.connect(self._refresh)
        self.primary_button.clicked.connect(self.submit)
        self.passphrase_edit.setFocus()

    def _refresh(self) -> None:
        self.set_submittable(bool(self.passphrase_edit.text()))

    @async_slot()
    async def submit(self) -> None:
        passphrase = self.passphrase_edit.text()
        if self.busy or not passphrase:
            return
        self.set_busy(profile.unlocking())
        try:
            # off the UI thread: Argon2id is deliberately slow
            unlocked = await asyncio.to_thread(unlock_profile, self._folder, passphrase)
        except Exception as error:
            if still_alive(self):
                self._failed(error)
            return
        if still_alive(self):
            self.unlocked = unlocked
            self.passphrase_edit.clear()
            self.finish_accepted()

    def _failed(self, error: Exception) -> None:
        self.set_idle()
        if isinstance(error, WrongPassphrase):
            self.show_error(profile.wrong_passphrase())
            self.passphrase_edit.clear()
            self.passphrase_edit.setFocus()
        elif isinstance(error, ProfileDamaged):
            # not the person's mistake: retyping will not help, so say something different
            self.show_error(profile.damaged_profile(error.message))
        else:
            self.show_error(failure_message(error, profile.to_unlock_profile()))
