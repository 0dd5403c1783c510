"""What the composer's crisis prompt (peerapp.ui.widgets.crisis_prompt) opens, for one
circle's pane: the crisis resources, or telling the circle's facilitators that one
could use support.

Rules:
- "See crisis resources" opens the app's one help window (peerapp.ui.help_desk: the
  bundled directory, works offline, sends nothing; above any dialog, never modal).
- "Tell a facilitator" opens CareFlagDialog about oneself (member = my own id, which
  circle_info gives as my_id; my name comes from the member list): the member chooses
  there whether to send anything. Until circle_info has been read it asks for it and
  waits for the next click.
- "Tell a facilitator" is offered only where a facilitator other than oneself could
  hear it (the rule of the member menu: the controller's someone_to_tell, the core's
  rule); it is checked again whenever the member list or circle_info is read.
- The care flag dialog opens through the window like the pane's other dialogs
  (window-modal).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from peerapp.ui.circle_context import CircleFeature
from peerapp.ui.dialogs.care_flag import CareFlagDialog
from peerapp.ui.help_desk import open_help

if TYPE_CHECKING:
    from peerapp.ui.circle_context import CircleContext

log = logging.getLogger(__name__)


class CrisisSupport(CircleFeature):
    def __init__(self, pane: CircleContext) -> None:
        super().__init__(pane)
        controller = self.controller
        prompt = pane.composer.crisis_prompt
        prompt.resourcesRequested.connect(self.open_resources)
        prompt.facilitatorRequested.connect(self.tell_facilitator)
        controller.settingsChanged.connect(self.info_changed)
        controller.membersChanged.connect(self.members_changed)

    @Slot(object)
    def info_changed(self, _info: object) -> None:
        self.members_changed()  # one's own standing, or who leads, may have changed

    @Slot(object)
    def members_changed(self, _members: object = None) -> None:
        me = self.myself()
        offered = me is not None and self.controller.someone_to_tell(me[0])
        self.pane.composer.crisis_prompt.offer_facilitator(offered)

    @Slot()
    def open_resources(self) -> None:
        open_help()

    def myself(self) -> tuple[str, str] | None:
        """(my member id, my name in this circle), or None before circle_info came."""
        controller = self.controller
        my_id = controller.my_id
        return (my_id, controller.name_of(my_id)) if my_id else None

    @Slot()
    def tell_facilitator(self) -> None:
        me = self.myself()
        if me is None:
            log.info("circle settings not read yet; asking again")
            self.controller.refresh_info()
            return
        member, name = me
        self.controller.open_dialog(
            CareFlagDialog(
                self.pane.bridge,
                self.pane.circle_id,
                member=member,
                member_name=name,
                parent=self.pane.surface,
                myself=True,  # worded as asking for support
            )
        )
