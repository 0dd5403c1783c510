"""A circle's pane in a small window (issue 14, item 8): below PANE_NARROW
(peerapp.ui.responsive) the members panel folds into a drawer over the conversation's
right edge ("Members" opens and closes it) and "Invite someone" moves from the header
into the circle's More menu. Back above it, the panel docks again and is shown."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QBoxLayout, QMenu, QWidget

from peerapp.ui.responsive import PANE_NARROW, Drawer, Side
from peerapp.ui.text import invites
from peerapp.ui.widgets.circle_header import CircleHeader
from peerapp.ui.widgets.member_list import MemberPanel


class PaneLayout(QObject):
    def __init__(
        self,
        pane: QWidget,
        *,
        header: CircleHeader,
        member_panel: MemberPanel,
        body: QBoxLayout,
        conversation_area: QWidget,
        more_menu: QMenu,
    ) -> None:
        super().__init__(pane)
        self._pane = pane
        self._header = header
        self.members = Drawer(
            member_panel,
            layout=body,
            index=body.indexOf(member_panel),
            host=pane,
            side=Side.RIGHT,
            area=conversation_area,
        )
        header.members_button.toggled.connect(self.members.set_open)
        # "Invite someone" in the More menu, while the header has no room for its button
        self.invite_action = QAction(invites.invite_action(), pane)
        self.invite_action.triggered.connect(header.invite_button.click)
        present = more_menu.actions()
        if present:
            more_menu.insertAction(present[0], self.invite_action)
        else:
            more_menu.addAction(self.invite_action)
        more_menu.aboutToShow.connect(self._show_invite_action)  # removed since?
        self.narrow = False
        self._show_invite_action()
        pane.installEventFilter(self)

    def set_narrow(self, narrow: bool) -> None:
        if narrow == self.narrow:
            return
        self.narrow = narrow
        self._header.set_compact(narrow)
        self._show_invite_action()
        self.members.set_narrow(narrow)
        # folding away closes the drawer; room again shows the members as before
        self._header.members_button.setChecked(not narrow)

    def _show_invite_action(self) -> None:
        self.invite_action.setVisible(self.narrow and self._header.invite_offered)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._pane and event.type() == QEvent.Type.Resize:
            self.set_narrow(self._pane.width() < PANE_NARROW)
        return False
