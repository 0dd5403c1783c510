"""Care flags in one circle's pane: "I'm worried about someone" for every member, and the
open flags for facilitators.

Rules:
- Sending: the member menu offers "I'm worried about them…" on every other member and
  "I'd like support…" on oneself (peerapp.ui.member_actions.care_actions), and a
  message's menu offers "I'm worried about this person…" on others' messages still
  showing; each only when some facilitator other than oneself and that member could
  receive the flag (the core's rule, core/permissions.py, asked through the circle's
  controller). All open peerapp.ui.dialogs.care_flag.CareFlagDialog; once sent, a
  word of thanks goes to the status bar. Nothing shows in the conversation, and the
  member it is about is never told.
- Facilitators: "Care and review…" in the circle's More menu and, while anything waits,
  a badge in the header ("2 care flags · 1 to review") open
  peerapp.ui.dialogs.care_flags.CareFlagsDialog: open care flags, and messages hidden
  pending review. The counts have one source: the circle's row (CircleView.care_flags /
  to_review, counted by the engine, 0 unless we facilitate, kept current by
  `circle_changed` when a flag arrives or is resolved and when a message is hidden or
  shows again). The main window hands each row to the circle list's care badge and to
  `show_count` here; nothing is asked of the engine for them. While the list is open,
  `care_flag`, `report_received`, `resolution_note` and `message_review` events have it
  read itself again (issue 14: reports had no place in the app, and another
  facilitator's note on resolving showed only once the list was opened again).
- "Show in conversation" (from the list) scrolls the conversation to the message and
  makes it the current row (Enter then shows it: "Show anyway"). A message older than
  those shown is fetched page by page (at most MAX_OLDER_PAGES); one that cannot be
  found (its author is blocked, or the reader's filters hide its topic) is said so. A
  report's message comes without its log position (UNKNOWN_PLACE): it is looked for
  page by page going back, within the same bound.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction

from peerapp.core.api.moderation import CircleInfoView
from peerapp.ui import message_jump
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.circle_context import CircleFeature
from peerapp.ui.dialogs.care_flag import CareFlagDialog
from peerapp.ui.dialogs.care_flags import UNKNOWN_PLACE, CareFlagsDialog
from peerapp.ui.member_actions import CARE_ACTIONS
from peerapp.ui.text import care, safety

if TYPE_CHECKING:
    from peerapp.ui.circle_context import CircleContext

# how many older pages "Show in conversation" fetches to reach a message at most
MAX_OLDER_PAGES = 50


class PaneCare(CircleFeature):
    def __init__(self, pane: CircleContext) -> None:
        super().__init__(pane)
        controller = self.controller
        self.facilitating = False
        self.open_count = 0
        self.review_count = 0
        self.list_dialog: CareFlagsDialog | None = None  # the list, while it is open
        self.flags_action = QAction(care.care_and_review_action(), self)
        self.flags_action.triggered.connect(self.open_list)
        self.flags_action.setVisible(False)
        pane.add_to_more_menu(self.flags_action)
        pane.member_panel.actionChosen.connect(self.member_action)
        pane.message_list.set_care_rule(controller.may_care)
        pane.message_list.careRequested.connect(self.open_for_message)
        pane.header.care_flags_button.clicked.connect(self.open_list)
        controller.settingsChanged.connect(self.info_changed)

    # -- sending ------------------------------------------------------------------------

    @Slot(str, object, int)
    def member_action(self, member_id: str, action: object, _seconds: int) -> None:
        if action in CARE_ACTIONS:
            self.open_flag(member_id, None)

    @Slot(str)
    def open_for_message(self, message_id: str) -> None:
        message = self.pane.model.message(message_id)
        if message is not None and self.controller.may_care(message):
            self.open_flag(message.author, message.id)

    def open_flag(self, member_id: str, message_id: str | None) -> CareFlagDialog:
        controller = self.controller
        my_id = controller.my_id
        dialog = CareFlagDialog(
            self.bridge,
            self.circle,
            member_id,
            controller.name_of(member_id),
            message_id,
            self.pane.surface,
            myself=(member_id == my_id) if my_id else None,
        )
        controller.open_dialog(dialog, lambda: controller.say(dialog.sent_text()))
        return dialog

    # -- facilitators: the open flags ---------------------------------------------------

    @Slot(object)
    def info_changed(self, _info: CircleInfoView) -> None:
        self.facilitating = self.controller.facilitating
        self.flags_action.setVisible(self.facilitating)

    def flag_arrived(self) -> None:
        """A `care_flag` event for this circle (the count comes with the circle's row)."""
        self._read_list_again()

    def report_arrived(self) -> None:
        """A `report_received` event for this circle (counted in the row's to_review)."""
        self._read_list_again()

    def resolution_note_arrived(self) -> None:
        """A `resolution_note` event: another facilitator's note shows under its card."""
        self._read_list_again()

    def review_changed(self) -> None:
        """A `message_review` event for this circle: a message was hidden pending review,
        or shows again (the count comes with the circle's row)."""
        if self.facilitating:
            self._read_list_again()

    def _read_list_again(self) -> None:
        dialog = self.list_dialog
        if dialog is not None and still_alive(dialog) and dialog.isVisible():
            dialog.load()

    def show_count(self, count: int, to_review: int = 0) -> None:
        """The circle's row says what waits (the engine's count; 0 and 0 for members)."""
        self.open_count = count
        self.review_count = to_review
        self.pane.header.set_open_care_flags(count, to_review)

    @Slot()
    def open_list(self) -> CareFlagsDialog:
        dialog = CareFlagsDialog(
            self.bridge, self.circle, self.pane.surface, my_id=self.controller.my_id
        )
        dialog.showRequested.connect(self.show_in_conversation)
        dialog.restored.connect(self._restored)
        dialog.deleted.connect(self._deleted)
        # "Reach out": the private conversation (peerapp.ui.pane_private, via the controller)
        dialog.reachOutRequested.connect(self.controller.request_private)
        dialog.finished.connect(lambda _result: self._list_closed(dialog))
        self.list_dialog = dialog
        self.controller.open_dialog(dialog)
        dialog.load()
        return dialog

    def _list_closed(self, dialog: CareFlagsDialog) -> None:
        if self.list_dialog is dialog:
            self.list_dialog = None

    def _restored(self, _message_id: str) -> None:
        self.controller.say(safety.message_restored())
        self.pane.reload_latest()  # the row shows again (the event does it for the others)

    def _deleted(self, message_id: str) -> None:
        self.controller.message_deleted(message_id)
        self.controller.say(care.message_deleted_for_everyone())

    # -- "Show in conversation" ---------------------------------------------------------

    @async_slot(str, int)
    async def show_in_conversation(self, message_id: str, lamport: int) -> None:
        """Scroll the conversation to a message (peerapp.ui.message_jump: older pages
        fetched if it is further back than those shown, the latest again if newer)."""
        # a report's message comes without its place: only going back can find it
        place = None if lamport == UNKNOWN_PLACE else lamport
        shown = await message_jump.show_message(
            self.pane, message_id, place, max_pages=MAX_OLDER_PAGES
        )
        if not shown and still_alive(self.pane.surface):
            self.controller.say(care.review_not_in_conversation())
