"""Conflicting versions in one circle's pane: when a member's app signed two versions of
something under one number (equivocation, kept by the engine as evidence).

Rules:
- Everyone: a message marked `equivocated` shows a note under its bubble (the model's
  presentation) and its author a mark in the members list. When such a message arrives
  live, the version shown before it comes marked as a `message_changed` event, and the
  members are read again (a sync that brings many messages reloads both anyway:
  CirclePane).
- Facilitators: "Conflicting versions…" in the circle's More menu (beside "Care and
  review…") opens peerapp.ui.dialogs.equivocations.EquivocationsDialog, every version
  side by side, each message version with "Delete this version". The engine refuses the
  list to others; the entry shows only while circle_info says we facilitate.
- Everyone: "Storage…" in the same menu opens peerapp.ui.dialogs.storage.StorageDialog
  for this circle (every circle's size; who stored what here; clearing a former
  member's messages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction

from peerapp.core.api.moderation import CircleInfoView
from peerapp.core.events import MessageView
from peerapp.ui.circle_context import CircleFeature
from peerapp.ui.dialogs.equivocations import EquivocationsDialog
from peerapp.ui.dialogs.storage import StorageDialog
from peerapp.ui.text import storage, versions

if TYPE_CHECKING:
    from peerapp.ui.circle_context import CircleContext


class PaneVersions(CircleFeature):
    def __init__(self, pane: CircleContext) -> None:
        super().__init__(pane)
        self.action = QAction(versions.equivocations_action(), self)
        self.action.triggered.connect(self.open_list)
        self.action.setVisible(False)
        pane.add_to_more_menu(self.action)
        # everyone's "Storage…": what circles take here, who stored what in this one
        self.storage_action = QAction(storage.storage_action(), self)
        self.storage_action.triggered.connect(self.open_storage)
        pane.add_to_more_menu(self.storage_action)
        self.controller.settingsChanged.connect(self.info_changed)

    @Slot(object)
    def info_changed(self, _info: CircleInfoView) -> None:
        self.action.setVisible(self.controller.facilitating)

    def arrived(self, message: MessageView) -> None:
        """A message that arrived live: a new second version marks its author (the first
        version's row changes by its own event)."""
        if message.equivocated and message.id not in self.pane.model:
            self.controller.refresh_members()

    @Slot()
    def open_list(self) -> EquivocationsDialog:
        dialog = EquivocationsDialog(
            self.pane.bridge, self.pane.circle_id, self.pane.surface, my_id=self.controller.my_id
        )
        dialog.deleted.connect(self._deleted)
        self.controller.open_dialog(dialog)
        dialog.load()
        return dialog

    @Slot()
    def open_storage(self) -> StorageDialog:
        dialog = StorageDialog(self.pane.bridge, self.pane.circle_id, self.pane.surface)
        dialog.cleared.connect(self._cleared)
        self.controller.open_dialog(dialog)
        dialog.load()
        return dialog

    def _cleared(self, _circle: str, _member: str) -> None:
        # the engine says HistoryChanged too; reading again here keeps this pane exact
        self.pane.reload_latest()

    def _deleted(self, message_id: str) -> None:
        self.controller.message_deleted(message_id)
        self.controller.say(versions.version_deleted_status())
