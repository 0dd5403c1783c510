"""Links in a circle's messages (issue 15): a click on one, or "Open link to …" in a
message's menu, asks first (peerapp.ui.dialogs.open_link) and only then hands the address
to the desktop's browser. Whether the profile runs in Tor mode is the window's to say
(`set_tor`); until it is known, the Tor warning shows (the safe reading)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtGui import QDesktopServices

from peerapp.ui import links
from peerapp.ui.circle_context import CircleFeature
from peerapp.ui.dialogs.open_link import Opener, OpenLinkDialog

if TYPE_CHECKING:
    from peerapp.ui.circle_context import CircleContext


class PaneLinks(CircleFeature):
    def __init__(self, pane: CircleContext) -> None:
        super().__init__(pane)
        self.tor = True  # not known yet: warn rather than not
        # what hands an address to the browser (a test puts a recorder here)
        self.opener: Opener = QDesktopServices.openUrl
        pane.message_list.linkRequested.connect(self.ask_to_open)

    def set_tor(self, tor: bool) -> None:
        self.tor = tor

    @Slot(str)
    def ask_to_open(self, written: str) -> None:
        target = links.target_of(written)
        if target is None:  # only addresses found by links.find_links come here
            return
        dialog = OpenLinkDialog(target, tor=self.tor, opener=self.opener, parent=self.pane.surface)
        self.controller.open_dialog(dialog)
