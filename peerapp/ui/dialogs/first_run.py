"""The first thing a new person sees: choosing the passphrase that creates the profile."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QVBoxLayout, QWidget

from peerapp.engine.profiles import KdfParams, UnlockedProfile, create_profile
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.dialogs.form_dialog import FormDialog, failure_message
from peerapp.ui.text import common, profile
from peerapp.ui.widgets.new_passphrase import NewPassphraseFields


class FirstRunDialog(FormDialog):
    def __init__(
        self, folder: Path, kdf: KdfParams | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            title=profile.first_run_title(),
            heading=profile.first_run_heading(),
            explanation=profile.first_run_explanation(),
            primary_text=profile.create_profile(),
            secondary_text=common.quit(),
            offer_help=True,
            parent=parent,
        )
        self._folder = folder
        # None calibrates Argon2id on this machine (about a second); tests pass TEST_KDF
        self._kdf = kdf
        self.unlocked: UnlockedProfile | None = None
        self.fields = NewPassphraseFields()
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.fields)
        self.fields.validityChanged.connect(self.set_submittable)
        self.primary_button.clicked.connect(self.submit)
        self.fields.passphrase_edit.setFocus()

    @async_slot()
    async def submit(self) -> None:
        if self.busy or not self.fields.is_valid():
            return
        passphrase = self.fields.passphrase()
        self.set_busy(profile.creating_profile())
        try:
            # off the UI thread: calibrating and running Argon2id takes about a second
            unlocked = await asyncio.to_thread(create_profile, self._folder, passphrase, self._kdf)
        except Exception as error:
            if still_alive(self):
                self.set_idle()
                # the fields keep what was typed so the person can simply try again
                self.show_error(failure_message(error, profile.to_create_profile()))
            return
        if still_alive(self):
            self.unlocked = unlocked
            self.fields.clear()
            self.finish_accepted()
