"""A circle's pane in a small window (issue 14, item 8): below PANE_NARROW
(peerapp.ui.responsive) the members panel folds into a drawer over the conversation's
right edge ("Members" opens and closes it) and "Invite someone" moves from the header
into the circle's More menu. Back above it, the panel docks again and is shown.

Esc closes the members drawer while it floats over the conversation (the drawer is on
top, so it goes first: a second Esc reaches what is under it) and focus returns to the
composer. Docked or hidden, Esc is not taken."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QBoxLayout, QMenu, QWidget

from peerapp.ui.responsive import PANE_NARROW, Drawer, Place, Side
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
        composer: QWidget,
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
        header.members_button.toggled.connect(self._members_toggled)
        self._composer = composer
        self.close_drawer = QShortcut(QKeySequence(Qt.Key.Key_Escape), pane)
        self.close_drawer.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.close_drawer.setEnabled(False)  # only while the drawer floats
        self.close_drawer.activated.connect(self._escape)
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
        self.close_drawer.setEnabled(self.members.place is Place.FLOATING)

    def _members_toggled(self, open_: bool) -> None:
        self.members.set_open(open_)
        self.close_drawer.setEnabled(self.members.place is Place.FLOATING)

    def _escape(self) -> None:
        if self.members.place is Place.FLOATING:
            self._header.members_button.setChecked(False)  # closes it, and the shortcut
            self._composer.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _show_invite_action(self) -> None:
        self.invite_action.setVisible(self.narrow and self._header.invite_offered)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._pane and event.type() == QEvent.Type.Resize:
            self.set_narrow(self._pane.width() < PANE_NARROW)
        return False
