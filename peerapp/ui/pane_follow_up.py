"""Care that follows through after a low check-in (issue 14): on the spot, under the
conversation, the crisis resources and telling a facilitator.

Rules:
- Which moods ask for a follow-up is the core's (core/care_policy.py `is_low`), asked
  with the mood the check-in carried (the controller's `checkedIn`, told by the review
  feature that sent it).
- "Get help now" opens the app's one help window (ui/help_desk.py, through the controller's
  `ask_for_help`), never a copy of its own.
- "Tell a facilitator" opens the care flag dialog about oneself (the facilitator mailbox's
  path: a short optional note only facilitators see), offered only where a facilitator
  other than oneself could hear it (core/permissions.py `someone_to_tell`, through the
  controller); otherwise the card says so kindly.
- Nothing is offered in a circle one was removed from; the card goes when one is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from peerapp.core.care_policy import is_low
from peerapp.ui.circle_context import CircleFeature
from peerapp.ui.dialogs.care_flag import CareFlagDialog
from peerapp.ui.text import care
from peerapp.ui.widgets.follow_up_card import FollowUpCard

if TYPE_CHECKING:
    from peerapp.ui.circle_context import CircleContext


class PaneFollowUp(CircleFeature):
    def __init__(self, pane: CircleContext) -> None:
        super().__init__(pane)
        controller = self.controller
        self.card = FollowUpCard()
        self.card.helpRequested.connect(controller.ask_for_help)
        self.card.tellRequested.connect(self.tell_facilitator)
        controller.checkedIn.connect(self.checked_in)
        controller.removedChanged.connect(self._removed_changed)

    @Slot(int)
    def checked_in(self, mood: int) -> None:
        """Our check-in went out with `mood`: a low one offers help on the spot."""
        controller = self.controller
        if not is_low(mood) or controller.removed or not controller.my_id:
            return
        self.card.offer(someone_to_tell=controller.someone_to_tell(controller.my_id))

    @Slot()
    def tell_facilitator(self) -> None:
        controller = self.controller
        my_id = controller.my_id
        dialog = CareFlagDialog(
            self.pane.bridge,
            self.pane.circle_id,
            member=my_id,
            member_name=controller.name_of(my_id),
            parent=self.pane.surface,
            myself=True,  # worded as asking for support
        )
        controller.open_dialog(dialog, self._told)

    def _told(self) -> None:
        self.card.hide()
        self.controller.say(care.support_sent())

    @Slot()
    def _removed_changed(self) -> None:
        if self.controller.removed:
            self.card.hide()
