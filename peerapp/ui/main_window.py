"""The main window: circles on the left, the chosen circle (or a welcome) on the right,
the engine's connection state below and its errors in a banner on top.

It knows one engine run (one EngineBridge). Locking or quitting is decided by the session
that owns the window; the window only asks for it through `lockRequested` and `closing`.

Circles: the list is asked for again whenever the engine says circles changed (a new
circle, a name, an unread count). Each circle opened gets a CirclePane, kept while the
window lives so its draft and scroll position survive switching. New messages go to
their pane; one in a circle the person is not looking at (or while the window is not
active) raises a notification, and one in the circle in view is marked read at once.

Joining with approval: requests still waiting show in the sidebar (WaitingJoins); the
engine's join events (join_pending / join_approved / join_rejected) update them, an
approval opens the circle if none is on screen, and a join dialog still open is told.
A facilitator's pane hears of join_request events; a pane re-reads its settings on
circles_changed (the one on screen), members_changed and `moderation` events that change
settings or roles; an open invite manager re-reads its list when an invite is revoked.

Breaks: "Take a break…" (Profile menu) and the status bar's "End break" are the global
switch (peerapp.ui.break_controls), each pane has its own; circles that are quiet now
show no badge and raise no notification, nor does a message the engine marks silent.

Syncs: a large pull's progress goes to its circle's pane (kept until the pane is opened,
if it has not been yet); the end of a sync (history changed) makes that pane reload its
latest messages once, and news that members hold more of our messages (the event says
how many hold each) updates the delivery states it shows.

Events: the bridge hands every engine event over as its typed object (`engineEvent`);
`_handlers` maps each event type to what the window does with it. Unread counts come in
their own event (`unread_changed`): the badge and totals follow without reading the
circles again, as one circle's row does from `circle_changed`, a message's from
`message_changed`, a pane's settings and members from `circle_settings_changed` and
`members_changed`; `circles_changed` (the set of circles, breaks) reads them again.

Network (issue 12): the status bar's network line (widgets/network_status.py, its words
from connection_status.network_line) follows EngineReady's mode and Tor's `tor_status`
events; panes are told while Tor is not ready, so own messages nobody holds yet say
"Waiting for Tor…". "Network…" (Profile menu, and the line's button when Tor failed)
opens the network settings; once saved, reconnecting now is asked of the session
(`reconnectRequested`), which restarts the engine on the same unlocked profile. An
engine that stopped because of its network settings (Tor would not start) says so in the
banner and the line, with the line's way to the settings: the bridge serves them without
the engine then, so they can be fixed and the engine started again.

Plain words and small windows (issue 14): the status bar says how many members we are
connected to, never a peer id ("Connection details…" in the Help menu has it). Ctrl+K
opens the circle switcher, Alt+Up/Down step through the circles. Below WINDOW_NARROW
(peerapp.ui.responsive) the circle list folds into a drawer that "Circles" in the
circle's header opens.

Care (issue 14): what waits for a facilitator's care comes on each circle's row
(CircleView.care_flags / to_review): the list's care badge, the pane's header badge and
the toolbar's "Care (n)" follow it; Circles > "Care and review…" (Ctrl+Shift+C) and that
entry open the list for the open circle, the one circle waiting, or a chooser.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.api.circles import Circles, MarkRead
from peerapp.core.api.refusals import Refusal
from peerapp.core.api.search import SearchHitView
from peerapp.core.errors import HearthError
from peerapp.core.events import (
    AttachmentProgress,
    CareFlagReceived,
    CircleChanged,
    CirclesChanged,
    CircleSettingsChanged,
    DeliveryChanged,
    EngineError,
    EngineEvent,
    EngineReady,
    EngineStopped,
    HistoryChanged,
    JoinApproved,
    JoinPending,
    JoinRejected,
    JoinRequestArrived,
    MemberJoined,
    MembersChanged,
    MembershipChanged,
    MemberTyping,
    MessageArrived,
    MessageChanged,
    MessageReview,
    ModerationHappened,
    PeerConnected,
    PeerDisconnected,
    PrivateMessageArrived,
    RejoinedCircle,
    RemovedFromCircle,
    ReportReceived,
    ResolutionNoteReceived,
    SyncProgress,
    TorStatusChanged,
    UnreadChanged,
)
from peerapp.core.network_mode import NetworkMode
from peerapp.core.search_policy import HitKind
from peerapp.engine.profiles import KdfParams
from peerapp.ui import message_jump, style
from peerapp.ui.async_slot import async_slot, settle_quietly, still_alive
from peerapp.ui.break_controls import BreakControls
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.connection_status import (
    Connection,
    ConnectionStatus,
    TorState,
    describe,
    identity_line,
    network_line,
)
from peerapp.ui.dialogs.change_passphrase import ChangePassphraseDialog
from peerapp.ui.dialogs.content_filters import ContentFiltersDialog
from peerapp.ui.dialogs.create_circle import CreateCircleDialog
from peerapp.ui.dialogs.crisis_help import CrisisHelpDialog
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.dialogs.invite import InviteDialog
from peerapp.ui.dialogs.invite_manager import InviteManagerDialog
from peerapp.ui.dialogs.join_circle import JoinCircleDialog
from peerapp.ui.dialogs.network_settings import NetworkSettingsDialog
from peerapp.ui.dialogs.search import SearchDialog
from peerapp.ui.dialogs.storage import StorageDialog
from peerapp.ui.engine_query import Latest
from peerapp.ui.help_desk import open_help, open_help_window
from peerapp.ui.notifier import Notifier
from peerapp.ui.preferences import NotificationDetail, Preferences
from peerapp.ui.responsive import MIN_WINDOW_WIDTH, WINDOW_NARROW, Drawer, Side
from peerapp.ui.text import (
    app_window,
    care,
    circle_settings,
    circles,
    conversation,
    crisis,
    errors,
    invites,
    joins,
    moderation,
    navigation,
    notifications,
    private_talk,
    profile,
    safety,
    storage,
)
from peerapp.ui.text import (
    network as network_text,
)
from peerapp.ui.text import (
    search as search_text,
)
from peerapp.ui.theme.menu import ThemeMenu
from peerapp.ui.waiting_joins import WaitingJoins
from peerapp.ui.widgets.circle_list import CircleEntry, CircleList, entries_from
from peerapp.ui.widgets.circle_switcher import CircleSwitcher
from peerapp.ui.widgets.empty_state import EmptyState
from peerapp.ui.widgets.error_banner import ErrorBanner
from peerapp.ui.widgets.network_status import NetworkStatus

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1040, 680)
STATUS_MESSAGE_MS = 6000


class MainWindow(QMainWindow):
    lockRequested = Signal()
    closing = Signal()
    reconnectRequested = Signal()  # the network settings changed: restart the engine now

    def __init__(
        self,
        bridge: EngineBridge,
        profile_folder: Path,
        kdf: KdfParams | None = None,
        preferences: Preferences | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self._profile_folder = profile_folder
        self._kdf = kdf
        self.preferences = preferences if preferences is not None else Preferences()
        self._status = ConnectionStatus()
        self.panes: dict[str, CirclePane] = {}
        self._circles = Latest()
        self._pending_selection: str | None = None
        self._listed_once = False
        # catch-up progress of circles, for a pane opened while their sync runs
        self._progress: dict[str, tuple[int, int]] = {}
        # the child dialog currently open, if any (one at a time: they are window-modal)
        self.active_dialog: QDialog | None = None

        self.profile_name = app_window.profile_name(profile_folder)
        self.setWindowTitle(app_window.main_window_title(self.profile_name))
        self.resize(*DEFAULT_SIZE)
        self.banner = ErrorBanner()
        self.circle_list = CircleList()
        self.circle_list.set_detail(self.preferences.notification_detail)
        self.waiting_joins = WaitingJoins(bridge)
        self.circle_list.add_section(self.waiting_joins)
        self.empty_state = EmptyState()
        self.pick_a_circle = QLabel(circles.pick_a_circle())
        self.pick_a_circle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        style.set_role(self.pick_a_circle, "muted")
        self.content = QStackedWidget()
        self.content.addWidget(self.empty_state)
        self.content.addWidget(self.pick_a_circle)
        self.notifier = Notifier(self.preferences, self)
        self._build_layout()
        self._build_menus()
        self._build_status_bar()

        self.empty_state.create_button.clicked.connect(self.open_create_circle)
        self.empty_state.join_button.clicked.connect(self.open_join_circle)
        self.circle_list.create_button.clicked.connect(self.open_create_circle)
        self.circle_list.join_button.clicked.connect(self.open_join_circle)
        self.circle_list.circleSelected.connect(self.show_circle)
        self.notifier.showRequested.connect(self.bring_to_front)
        self.notifier.quitRequested.connect(self.close)
        # the one event path: each engine event type to what this window does with it
        self._handlers: dict[type[EngineEvent], Callable[[Any], None]] = {
            EngineReady: self._engine_ready,
            PeerConnected: self._peer_connected,
            PeerDisconnected: self._peer_disconnected,
            EngineError: self._engine_error,
            EngineStopped: self._engine_stopped,
            TorStatusChanged: self._tor_status,
            MessageArrived: self._message_arrived,
            MemberJoined: self._member_joined,
            CirclesChanged: self._circles_changed,
            CircleChanged: self._circle_changed,
            CircleSettingsChanged: self._circle_settings_changed,
            UnreadChanged: self._unread_changed,
            SyncProgress: self._sync_progress,
            HistoryChanged: self._history_changed,
            MembershipChanged: self._membership_changed,
            MemberTyping: self._member_typing,
            DeliveryChanged: self._delivery_changed,
            MembersChanged: self._members_changed,
            RemovedFromCircle: self._removed_from_circle,
            RejoinedCircle: self._rejoined,
            ModerationHappened: self._moderation,
            JoinRequestArrived: self._join_request,
            CareFlagReceived: self._care_flag,
            ReportReceived: self._report_received,
            ResolutionNoteReceived: self._resolution_note,
            PrivateMessageArrived: self._private_message,
            JoinPending: self._join_pending,
            JoinApproved: self._join_approved,
            JoinRejected: self._join_rejected,
            MessageReview: self._message_review,
            MessageChanged: self._message_changed,
            AttachmentProgress: self._attachment_progress,
        }
        bridge.engineEvent.connect(self._engine_event)
        self._show_status()

    # -- construction -------------------------------------------------------------------

    def _build_layout(self) -> None:
        self.body = QWidget()
        body = QHBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.circle_list)
        body.addWidget(self.content, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.body, 1)
        self.setCentralWidget(central)
        # small windows (peerapp.ui.responsive): the circle list folds into a drawer
        self.setMinimumWidth(MIN_WINDOW_WIDTH)
        self.circle_drawer = Drawer(
            self.circle_list, layout=body, index=0, host=self.body, side=Side.LEFT
        )
        self.narrow = False

    def _fold_circle_list(self) -> None:
        """Narrow with a circle open: the list folds away ("Circles" in the circle's
        header opens it); with no circle open it stays, being all there is to choose."""
        narrow = self.width() < WINDOW_NARROW and self.current_pane() is not None
        changed = narrow != self.narrow
        self.narrow = narrow
        for pane in self.panes.values():
            pane.header.circles_button.setVisible(narrow)
        if changed:
            self.circle_drawer.set_open(not narrow)
            self._circle_drawer_shown(False)
        self.circle_drawer.set_narrow(narrow)

    def toggle_circle_drawer(self, open_: bool) -> None:
        if self.narrow:
            self.circle_drawer.set_open(open_)
            self._circle_drawer_shown(open_)
            if open_:
                self.circle_list.list.setFocus()

    def _circle_drawer_shown(self, open_: bool) -> None:
        for pane in self.panes.values():
            button = pane.header.circles_button
            button.blockSignals(True)  # the buttons follow; only a person's click acts
            button.setChecked(open_)
            button.blockSignals(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if "circle_drawer" in vars(self):  # a resize may come before the layout exists
            self._fold_circle_list()

    def _build_menus(self) -> None:
        self._build_breaks()  # its action goes in the Profile menu
        profile_menu = self.menuBar().addMenu(app_window.profile_menu())
        self.change_passphrase_action = QAction(app_window.change_passphrase_action(), self)
        self.change_passphrase_action.triggered.connect(self.open_change_passphrase)
        self.lock_action = QAction(app_window.lock_action(), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lockRequested)
        self.quit_action = QAction(app_window.quit_action(), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        profile_menu.addAction(self.change_passphrase_action)
        self._build_notification_menu(profile_menu)
        self.theme_menu = ThemeMenu(self.preferences, self.bridge, self)
        profile_menu.addMenu(self.theme_menu)
        self._build_profile_settings(profile_menu)
        profile_menu.addSeparator()
        profile_menu.addAction(self.lock_action)
        profile_menu.addSeparator()
        profile_menu.addAction(self.quit_action)

        circles_menu = self.menuBar().addMenu(app_window.circles_menu())
        self.create_circle_action = QAction(app_window.create_circle_action(), self)
        self.create_circle_action.setShortcut(QKeySequence("Ctrl+N"))
        self.create_circle_action.triggered.connect(self.open_create_circle)
        self.join_circle_action = QAction(app_window.join_circle_action(), self)
        self.join_circle_action.setShortcut(QKeySequence("Ctrl+J"))
        self.join_circle_action.triggered.connect(self.open_join_circle)
        self.invite_action = QAction(invites.invite_action(), self)
        self.invite_action.setShortcut(QKeySequence("Ctrl+I"))
        self.invite_action.setEnabled(False)
        self.invite_action.triggered.connect(self.open_invite_for_current)
        self._build_navigation(circles_menu)  # first: moving between circles
        self._build_search(circles_menu)
        circles_menu.addAction(self.create_circle_action)
        circles_menu.addAction(self.join_circle_action)
        circles_menu.addSeparator()
        circles_menu.addAction(self.invite_action)
        self.manage_invites_action = QAction(invites.manage_invites_action(), self)
        self.manage_invites_action.setEnabled(False)
        self.manage_invites_action.triggered.connect(self.open_manage_invites_for_current)
        circles_menu.addAction(self.manage_invites_action)
        self._build_moderation_actions(circles_menu)
        self._build_help_menu()
        self._build_care_entry(circles_menu)

    def _build_help_menu(self) -> None:
        help_menu = self.menuBar().addMenu(app_window.help_menu())
        self.about_action = QAction(app_window.about_action(), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)
        self.connection_details_action = QAction(network_text.connection_details_action(), self)
        self.connection_details_action.triggered.connect(self.open_connection_details)
        help_menu.addAction(self.connection_details_action)
        self.help_menu = help_menu
        self._build_help_toolbar()

    def _build_notification_menu(self, profile_menu: QMenu) -> None:
        """How much notifications say: one of three, the tray's and the desktop's alike."""
        menu = profile_menu.addMenu(notifications.notifications_menu())
        group = QActionGroup(self)
        self.notification_actions: dict[NotificationDetail, QAction] = {}
        for detail, text in (
            (NotificationDetail.MESSAGE, notifications.detail_message()),
            (NotificationDetail.CIRCLE, notifications.detail_circle()),
            (NotificationDetail.NOTHING, notifications.detail_nothing()),
        ):
            action = QAction(text, group)
            action.setCheckable(True)
            action.setChecked(self.preferences.notification_detail is detail)
            action.triggered.connect(lambda _=False, detail=detail: self._detail_chosen(detail))
            menu.addAction(action)
            self.notification_actions[detail] = action
        self.show_text_action = self.notification_actions[NotificationDetail.MESSAGE]

    def _detail_chosen(self, detail: NotificationDetail) -> None:
        self.preferences.notification_detail = detail
        self.circle_list.set_detail(detail)  # the previews say as much as notifications

    def _build_navigation(self, circles_menu: QMenu) -> None:
        """Ctrl+K: the circle switcher; Alt+Up / Alt+Down: the circle above or below."""
        self.switch_circle_action = QAction(navigation.switch_circle_action(), self)
        self.switch_circle_action.setShortcut(QKeySequence("Ctrl+K"))
        self.switch_circle_action.triggered.connect(self.open_circle_switcher)
        self.previous_circle_action = QAction(navigation.previous_circle_action(), self)
        self.previous_circle_action.setShortcut(QKeySequence("Alt+Up"))
        self.previous_circle_action.triggered.connect(lambda: self.step_circle(-1))
        self.next_circle_action = QAction(navigation.next_circle_action(), self)
        self.next_circle_action.setShortcut(QKeySequence("Alt+Down"))
        self.next_circle_action.triggered.connect(lambda: self.step_circle(1))
        circles_menu.addSeparator()
        circles_menu.addActions(
            [self.switch_circle_action, self.previous_circle_action, self.next_circle_action]
        )
        circles_menu.addSeparator()

    @Slot()
    def open_circle_switcher(self) -> None:
        ids = self.circle_list.ids()
        names = [(circle, self.circle_list.name_of(circle)) for circle in ids]
        switcher = CircleSwitcher(names, self)
        switcher.circleChosen.connect(self._switch_to)
        self._open_dialog(switcher, _nothing)

    def _switch_to(self, circle: str) -> None:
        self.circle_list.select(circle)
        pane = self.current_pane()
        if pane is not None:
            pane.focus_composer()

    def step_circle(self, step: int) -> None:
        """Open the circle `step` rows away in the list (no wrapping round)."""
        ids = self.circle_list.ids()
        if not ids:
            return
        current = self.circle_list.current_id()
        row = ids.index(current) + step if current in ids else 0
        self._switch_to(ids[min(max(row, 0), len(ids) - 1)])

    def _build_search(self, circles_menu: QMenu) -> None:
        """Ctrl+F: search the circle in view (every circle when none is); Ctrl+Shift+F:
        search every circle (issue 15, peerapp.ui.dialogs.search)."""
        self.search_circle_action = QAction(search_text.search_circle_action(), self)
        self.search_circle_action.setShortcut(QKeySequence.StandardKey.Find)
        self.search_circle_action.triggered.connect(lambda: self.open_search(in_circle=True))
        self.search_all_action = QAction(search_text.search_all_action(), self)
        self.search_all_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.search_all_action.triggered.connect(lambda: self.open_search(in_circle=False))
        circles_menu.addActions([self.search_circle_action, self.search_all_action])
        circles_menu.addSeparator()

    def open_search(self, *, in_circle: bool) -> SearchDialog:
        pane = self.current_pane() if in_circle else None
        if pane is None:
            dialog = SearchDialog(self.bridge, parent=self)
        else:
            dialog = SearchDialog(self.bridge, pane.circle_id, pane.name, parent=self)
        dialog.resultChosen.connect(self.show_search_result)
        self._open_dialog(dialog, _nothing)
        return dialog

    @async_slot(object)
    async def show_search_result(self, hit: SearchHitView) -> None:
        """Open the result's circle and bring the message into view, loading older
        history as needed (peerapp.ui.message_jump); a private one opens its private
        conversation's window there (PrivateTalkDialog.show_message)."""
        if hit.circle not in self.circle_list.ids():
            return  # left or forgotten since the search
        self._switch_to(hit.circle)
        pane = self.panes.get(hit.circle)
        if pane is None:
            return
        if hit.kind == HitKind.PRIVATE:  # its private conversation's window, at the message
            window = pane.private.open(hit.member)
            if not await window.show_message(hit.message) and still_alive(self):
                self.statusBar().showMessage(
                    search_text.not_in_private_conversation(), STATUS_MESSAGE_MS
                )
            return
        shown = await message_jump.show_message(pane, hit.message, hit.lamport)
        if not shown and still_alive(self):
            self.statusBar().showMessage(search_text.not_in_conversation(), STATUS_MESSAGE_MS)

    def _build_profile_settings(self, profile_menu: QMenu) -> None:
        self._build_content_filters(profile_menu)
        profile_menu.addAction(self.breaks.action)
        self._build_storage(profile_menu)
        self._build_network(profile_menu)

    def _build_help_toolbar(self) -> None:
        """The "Get help now" action: always there and enabled, needing no engine or network.
        F1 reaches the same help window from any window, dialogs included (help_desk.py)."""
        self.get_help_action = QAction(crisis.get_help_now(), self)
        self.get_help_action.setObjectName("getHelpNow")
        self.get_help_action.setToolTip(crisis.get_help_now_hint())
        self.get_help_action.setStatusTip(crisis.get_help_now_hint())
        self.get_help_action.setShortcut(QKeySequence("F1"))
        self.get_help_action.triggered.connect(self.open_crisis_help)
        self.help_menu.insertAction(self.about_action, self.get_help_action)
        toolbar = self.addToolBar(crisis.get_help_now())
        toolbar.setObjectName("helpToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.get_help_action)
        self.help_toolbar = toolbar

    @Slot()
    def open_crisis_help(self) -> None:
        """The app's one help window, of its own: help must never wait its turn."""
        open_help()

    @property
    def crisis_help(self) -> CrisisHelpDialog | None:
        """The help window while it is open."""
        return open_help_window()

    # -- care: what waits for a facilitator, from anywhere (issue 14) -------------------

    def _build_care_entry(self, circles_menu: QMenu) -> None:
        """ "Care and review…" in the Circles menu (Ctrl+Shift+C) and, while anything waits
        for our care in some circle, a "Care (n)" entry in the toolbar beside "Get help
        now"; both open `open_care`. The counts are the circle rows' (the list's badge)."""
        self.care_action = QAction(care.care_menu_action(), self)
        self.care_action.setObjectName("careAndReview")
        self.care_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.care_action.setStatusTip(care.care_toolbar_hint())
        self.care_action.triggered.connect(self.open_care)
        circles_menu.insertAction(self.circle_settings_action, self.care_action)
        self.care_toolbar_action = QAction(care.care_toolbar_action(0), self)
        self.care_toolbar_action.setObjectName("careToolbarEntry")
        self.care_toolbar_action.setToolTip(care.care_toolbar_hint())
        self.care_toolbar_action.triggered.connect(self.open_care)
        self.help_toolbar.addAction(self.care_toolbar_action)
        # care is not a crisis: its own look beside the red "Get help now" (stylesheet)
        button = self.help_toolbar.widgetForAction(self.care_toolbar_action)
        if button is not None:
            button.setObjectName("careToolbarButton")
        self.care_toolbar_action.setVisible(False)

    def _show_care(self) -> None:
        """The toolbar's Care entry follows the rows: shown, with the count, while
        anything waits for our care in any circle."""
        waiting = sum(self.circle_list.care(circle) for circle in self.circle_list.ids())
        self.care_toolbar_action.setText(care.care_toolbar_action(waiting))
        self.care_toolbar_action.setVisible(waiting > 0)

    @Slot()
    def open_care(self) -> None:
        """ "Care and review" for the open circle when something waits there (or it is one
        we facilitate and nothing waits anywhere else); the one circle where something
        waits; a chooser when several do; else a word that nothing waits."""
        waiting = self.circle_list.waiting_for_care()
        pane = self.current_pane()
        if pane is not None and (
            pane.circle_id in waiting or (not waiting and pane.care.facilitating)
        ):
            self.open_care_for(pane.circle_id)
        elif len(waiting) == 1:
            self.open_care_for(waiting[0])
        elif waiting:
            self.open_care_chooser(waiting)
        else:
            self.statusBar().showMessage(care.nothing_waiting_for_care(), STATUS_MESSAGE_MS)

    def open_care_chooser(self, waiting: list[str]) -> CircleSwitcher:
        rows = [entry for circle in waiting if (entry := self.circle_list.entry(circle))]
        names = [
            (row.id, care.care_chooser_entry(row.name, row.care_flags, row.to_review))
            for row in rows
        ]
        chooser = CircleSwitcher(names, self, title=care.care_chooser_title())
        chosen: list[str] = []
        chooser.circleChosen.connect(chosen.append)
        self._open_dialog(chooser, _nothing)
        # after the window let go of the chooser (its own `finished` slot runs first)
        chooser.finished.connect(lambda _result: self._care_chosen(chosen))
        return chooser

    def _care_chosen(self, chosen: list[str]) -> None:
        if chosen:
            self.open_care_for(chosen[-1])

    def open_care_for(self, circle: str) -> None:
        """Open the circle (if it is not the one in view) and its "Care and review"."""
        if self.active_dialog is not None:
            self.active_dialog.raise_()
            return
        pane = self.current_pane()
        if pane is None or pane.circle_id != circle:
            self.circle_list.select(circle)
            pane = self.current_pane()
            if pane is None or pane.circle_id != circle:
                self.show_circle(circle)  # it was selected already, yet not shown
                pane = self.current_pane()
        if pane is not None and pane.circle_id == circle:
            pane.care.open_list()

    def _build_moderation_actions(self, circles_menu: QMenu) -> None:
        """The circle in view's settings, moderation log and leaving (its pane does them)."""
        self.circle_settings_action = QAction(circle_settings.circle_settings_action(), self)
        self.moderation_log_action = QAction(moderation.moderation_log_action(), self)
        self.leave_circle_action = QAction(circles.leave_circle_action(), self)
        for action, slot in (
            (self.circle_settings_action, lambda pane: pane.moderation.open_settings()),
            (self.moderation_log_action, lambda pane: pane.moderation.open_log()),
            (self.leave_circle_action, lambda pane: pane.moderation.confirm_leave()),
        ):
            action.setEnabled(False)
            action.triggered.connect(lambda _=False, slot=slot: self._on_current_pane(slot))
        circles_menu.addSeparator()
        circles_menu.addAction(self.circle_settings_action)
        circles_menu.addAction(self.moderation_log_action)
        circles_menu.addSeparator()
        circles_menu.addAction(self.leave_circle_action)
        circles_menu.aboutToShow.connect(self.refresh_moderation_actions)

    def refresh_moderation_actions(self) -> None:
        pane = self.current_pane()
        moderation = pane.moderation if pane is not None else None
        self.circle_settings_action.setEnabled(
            moderation is not None and moderation.settings_action.isVisible()
        )
        self.moderation_log_action.setEnabled(moderation is not None)
        self.leave_circle_action.setEnabled(
            moderation is not None and moderation.leave_action.isVisible()
        )

    def _on_current_pane(self, act: Callable[[CirclePane], object]) -> None:
        pane = self.current_pane()
        if pane is not None:
            act(pane)

    def _hook_moderation(self, pane: CirclePane) -> None:
        controller = pane.controller  # the features' dialogs and passing words
        controller.dialogRequested.connect(lambda dialog: self._open_dialog(dialog, _nothing))
        controller.statusMessage.connect(
            lambda text: self.statusBar().showMessage(text, STATUS_MESSAGE_MS)
        )
        pane.moderation.circleLeft.connect(self.refresh_circles)
        controller.removedChanged.connect(self._refresh_invite_actions)

    @Slot()
    def _refresh_invite_actions(self) -> None:
        """Inviting is for members: not offered in a circle one was removed from."""
        pane = self.current_pane()
        allowed = pane is not None and not pane.controller.removed
        self.invite_action.setEnabled(allowed)
        self.manage_invites_action.setEnabled(allowed)

    def _build_breaks(self) -> None:
        self.breaks = breaks = BreakControls(self.bridge, self)
        breaks.changed.connect(self.refresh_circles)
        breaks.dialogRequested.connect(lambda dialog: self._open_dialog(dialog, _nothing))
        breaks.statusMessage.connect(
            lambda text: self.statusBar().showMessage(text, STATUS_MESSAGE_MS)
        )
        breaks.failed.connect(self.banner.show_message)

    def _build_status_bar(self) -> None:
        # plain words only: the peer id and the connection count are in the details
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.breaks.indicator)
        self.statusBar().addPermanentWidget(self.status_label)
        self.network_status = NetworkStatus()
        self.network_status.settingsRequested.connect(self.open_network_settings)
        self.statusBar().addPermanentWidget(self.network_status)
        self.statusBar().setSizeGripEnabled(False)

    # -- engine -------------------------------------------------------------------------

    def start_engine(self) -> None:
        started = self.bridge.start()
        # Every startup failure also arrives as engineError, which the banner shows; this
        # only marks the future's outcome as seen so asyncio does not log it as lost.
        started.add_done_callback(_mark_seen)

    @Slot(object)
    def _engine_event(self, event: EngineEvent) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(event)

    def _engine_ready(self, ready: EngineReady) -> None:
        self._status = self._status.online(ready.peer_id, ready.mode)
        self._show_status()
        self.refresh_circles()
        self.waiting_joins.refresh()
        self.breaks.refresh()
        self.theme_menu.load()  # the profile's stored theme

    def _peer_connected(self, event: PeerConnected) -> None:
        self._status = self._status.with_peer(event.peer_id)
        self._show_status()
        self._refresh_current_members()

    def _peer_disconnected(self, event: PeerDisconnected) -> None:
        self._status = self._status.without_peer(event.peer_id)
        self._show_status()
        self._refresh_current_members()

    def _engine_error(self, event: EngineError) -> None:
        message, fatal = event.message, event.fatal
        # the bridge knows why its engine stopped before this event arrives
        network = fatal and self.bridge.network_failed
        if fatal:
            self._status = self._status.failed(message if network else "")
            self._show_status()
        if network:
            chosen = self.bridge.network_chosen_at_start
            self.banner.show_message(network_text.network_failed(message, chosen))
        else:
            self.banner.show_message(errors.engine_error(message, fatal))

    def _engine_stopped(self, _event: EngineStopped) -> None:
        self._status = self._status.stopped()
        self._show_status()

    def _tor_status(self, event: TorStatusChanged) -> None:
        tor = TorState(event.state, event.phase, event.progress, event.summary)
        self._status = self._status.with_tor(tor)
        self._show_status()

    def _show_status(self) -> None:
        self.network_status.show_line(network_line(self._status))
        for pane in self.panes.values():
            pane.model.set_waiting_for_tor(self._status.waiting_for_tor)
            pane.links.set_tor(self._status.mode is not NetworkMode.DIRECT)
        self.status_label.setText(describe(self._status))

    @property
    def status_text(self) -> str:
        return self.status_label.text()

    @property
    def online(self) -> bool:
        """Whether the engine runs and listens (whatever the status bar's words)."""
        return self._status.connection is Connection.ONLINE

    def connection_details(self) -> str:
        """What "Connection details…" says: the status, how many connections are open,
        who we are to others (in direct mode our full peer id)."""
        identity = identity_line(self._status)
        return "\n".join(
            network_text.connection_details(
                describe(self._status),
                identity.detail if self._status.mode is NetworkMode.TOR else "",
                self._status.peer_id if self._status.mode is NetworkMode.DIRECT else "",
                len(self._status.peers),
            )
        )

    @Slot()
    def open_connection_details(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            network_text.connection_details_title(),
            self.connection_details(),
            QMessageBox.StandardButton.Close,
            self,
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._open_dialog(box, _nothing)

    # -- circles ------------------------------------------------------------------------

    @async_slot()
    async def refresh_circles(self) -> None:
        asked = self._circles.ask()
        try:
            result = await self.bridge.request(Circles())
        except HearthError as error:
            log.info("could not list circles: %s", type(error).__name__)
            return
        # answers can overtake each other; an older list must not undo a newer one
        if not still_alive(self) or not self._circles.take(asked):
            return
        self._show_circles(entries_from(result.circles))

    def _unread_changed(self, event: UnreadChanged) -> None:
        """A circle's unread count, told by the engine: the badge and the totals follow
        without asking for the circles again."""
        self.circle_list.set_unread(event.circle, max(event.unread, 0))
        self._show_unread()
        self._mark_read_if_seen()

    def _show_unread(self) -> None:
        unread = self.circle_list.total_unread()
        self.notifier.set_unread(unread)
        self.setWindowTitle(app_window.window_title(unread, self.profile_name))

    def _show_circles(self, entries: list[CircleEntry]) -> None:
        self.circle_list.set_circles(entries)
        present = {entry.id for entry in entries}
        for entry in entries:
            pane = self.panes.get(entry.id)
            if pane is not None:
                pane.set_name(entry.name)
                pane.boundaries.show_break(quiet=entry.quiet, on_break=entry.on_break)
                pane.asleep.show_reason(entry.asleep)
                pane.care.show_count(entry.care_flags, entry.to_review)
        self._show_care()
        for gone in [circle for circle in self.panes if circle not in present]:
            self.panes.pop(gone).deleteLater()
        for gone in [circle for circle in self._progress if circle not in present]:
            del self._progress[gone]
        self._show_unread()
        if self._pending_selection in present:
            circle, self._pending_selection = self._pending_selection, None
            self.circle_list.select(circle)
        elif entries and not self._listed_once:
            self.circle_list.select(entries[0].id)  # open on a circle, not on a blank
        self._listed_once = self._listed_once or bool(entries)
        current = self.circle_list.current_id()
        if not entries:
            self.content.setCurrentWidget(self.empty_state)
        elif current is None or current not in self.panes:
            self.content.setCurrentWidget(self.pick_a_circle)
        self.invite_action.setEnabled(current is not None)
        self.manage_invites_action.setEnabled(current is not None)
        self.refresh_moderation_actions()
        self._fold_circle_list()
        self._mark_read_if_seen()

    @Slot(str)
    def show_circle(self, circle: str) -> None:
        pane = self.panes.get(circle)
        if pane is None:
            pane = CirclePane(
                self.bridge,
                circle,
                self.circle_list.name_of(circle),
                self.circle_list.members(circle),
            )
            pane.inviteRequested.connect(self.open_invite)
            pane.header.circles_button.toggled.connect(self.toggle_circle_drawer)
            pane.controller.ownMessage.connect(self.circle_list.message_arrived)
            self._hook_moderation(pane)
            pane.boundaries.breakChanged.connect(self.breaks.refresh)
            pane.boundaries.show_break(
                quiet=self.circle_list.quiet(circle), on_break=self.circle_list.on_break(circle)
            )
            pane.asleep.show_reason(self.circle_list.asleep(circle))
            listed = self.circle_list.entry(circle)
            if listed is not None:
                pane.care.show_count(listed.care_flags, listed.to_review)
            self.panes[circle] = pane
            pane.model.set_waiting_for_tor(self._status.waiting_for_tor)
            pane.links.set_tor(self._status.mode is not NetworkMode.DIRECT)
            self.content.addWidget(pane)
            if circle in self._progress:
                pane.show_progress(*self._progress[circle])
            pane.load()
        else:
            pane.refresh_members()
            pane.refresh_info()
        self.content.setCurrentWidget(pane)
        self._refresh_invite_actions()
        self.refresh_moderation_actions()
        self._fold_circle_list()
        if self.narrow:
            self.toggle_circle_drawer(False)  # a circle was chosen: the drawer closes
        pane.focus_composer()
        # the list's count, before it is marked read: where "new messages" begin
        pane.around.mark_unread(self.circle_list.unread(circle))
        self._mark_read_if_seen()

    def current_pane(self) -> CirclePane | None:
        widget = self.content.currentWidget()
        return widget if isinstance(widget, CirclePane) else None

    def _in_view(self, circle: str) -> bool:
        pane = self.current_pane()
        return pane is not None and pane.circle_id == circle and self.isActiveWindow()

    def _mark_read_if_seen(self, arrived: bool = False) -> None:
        """The engine counts unread messages; reset the count when the person sees them."""
        pane = self.current_pane()
        if pane is None or not self._in_view(pane.circle_id):
            return
        if arrived or self.circle_list.unread(pane.circle_id) > 0:
            settle_quietly(self.bridge.request(MarkRead(circle=pane.circle_id)), "mark_read")

    def _message_arrived(self, event: MessageArrived) -> None:
        circle, message, silent = event.circle, event.message, event.silent
        self.circle_list.message_arrived(circle, message)
        pane = self.panes.get(circle)
        if pane is not None:
            pane.add_arrived(message)
        silent = silent or self.circle_list.quiet(circle)
        if self._in_view(circle):
            self._mark_read_if_seen(arrived=True)
            return
        name = self.circle_list.name_of(circle)
        self.notifier.message_arrived(circle, name, message, silent=silent)
        if not silent:
            QApplication.alert(self)

    def _refresh_current_members(self) -> None:
        pane = self.current_pane()
        if pane is not None:
            pane.refresh_members()
            pane.refresh_sync()

    def _sync_progress(self, event: SyncProgress) -> None:
        circle, received, total = event.circle, event.received, event.total
        if received >= total:
            self._progress.pop(circle, None)
        else:
            self._progress[circle] = (received, total)
        pane = self.panes.get(circle)
        if pane is not None:
            pane.show_progress(received, total)

    def _history_changed(self, event: HistoryChanged) -> None:
        self._progress.pop(event.circle, None)
        pane = self.panes.get(event.circle)
        if pane is not None:
            pane.history_changed()

    def _membership_changed(self, event: MembershipChanged) -> None:
        """Someone joined or left: a notice in that circle's pane, nothing is read."""
        pane = self.panes.get(event.circle)
        if pane is not None:
            pane.around.entry_arrived(event.entry)

    def _member_typing(self, event: MemberTyping) -> None:
        pane = self.panes.get(event.circle)
        if pane is not None:
            pane.around.typing_arrived(event)

    def _delivery_changed(self, event: DeliveryChanged) -> None:
        pane = self.panes.get(event.circle)
        if pane is not None:
            pane.delivery_changed(event.held_by)

    @Slot()
    def open_create_circle(self) -> None:
        dialog = CreateCircleDialog(self.bridge, self)
        self._open_dialog(dialog, on_accepted=lambda: self._circle_added(dialog))

    @Slot()
    def open_join_circle(self) -> None:
        dialog = JoinCircleDialog(self.bridge, self)
        self._open_dialog(dialog, on_accepted=lambda: self._join_finished(dialog))

    def _join_finished(self, dialog: JoinCircleDialog) -> None:
        waiting = dialog.waiting_circle()
        if waiting is not None:
            preview = dialog.preview
            name = preview.name if preview is not None else circles.unnamed_circle()
            self.waiting_joins.add_waiting(waiting, name)
        elif dialog.result_circle() is not None:
            self._circle_added(dialog)

    def _circle_added(self, dialog: EngineCommandDialog) -> None:
        self._pending_selection = dialog.result_circle()
        self.refresh_circles()

    @Slot()
    def open_invite_for_current(self) -> None:
        pane = self.current_pane()
        if pane is not None:
            self.open_invite(pane.circle_id)

    @Slot(str)
    def open_invite(self, circle: str) -> None:
        name = self.circle_list.name_of(circle)
        pane = self.panes.get(circle)
        info = pane.info if pane is not None else None
        dialog = InviteDialog(
            self.bridge,
            circle,
            name,
            self,
            join_approval=None if info is None else info.join_approval,
            may_invite=None if info is None else info.may_invite,
        )
        dialog.manageRequested.connect(self._manage_from_invite)
        self._open_dialog(dialog, on_accepted=_nothing)

    @Slot(str)
    def _manage_from_invite(self, circle: str) -> None:
        """The invite dialog's "Manage invites…": one dialog at a time, so swap them."""
        if isinstance(self.active_dialog, InviteDialog) and not self.active_dialog.busy:
            self.active_dialog.reject()  # finished clears active_dialog at once
        self.open_manage_invites(circle)

    @Slot()
    def open_manage_invites_for_current(self) -> None:
        pane = self.current_pane()
        if pane is not None:
            self.open_manage_invites(pane.circle_id)

    @Slot(str)
    def open_manage_invites(self, circle: str) -> None:
        name = self.circle_list.name_of(circle)
        self._open_dialog(InviteManagerDialog(self.bridge, circle, name, self), _nothing)

    # -- circles, members, joins and moderation, from their events ----------------------

    def _circles_changed(self, _event: CirclesChanged) -> None:
        self.refresh_circles()
        current = self.current_pane()
        if current is not None:
            current.refresh_info()
        if self.waiting_joins.joins:
            self.waiting_joins.refresh()

    def _circle_changed(self, event: CircleChanged) -> None:
        """One circle's row, told by the engine: that row and its pane's header follow
        without asking for the circles again."""
        (entry,) = entries_from([event.circle])
        if not self.circle_list.set_circle(entry):
            return
        pane = self.panes.get(entry.id)
        if pane is not None:
            pane.set_name(entry.name)
            pane.boundaries.show_break(quiet=entry.quiet, on_break=entry.on_break)
            pane.asleep.show_reason(entry.asleep)
            pane.care.show_count(entry.care_flags, entry.to_review)
        self._show_unread()
        self._show_care()

    def _private_message(self, event: PrivateMessageArrived) -> None:
        # a break or quiet hours (ours or the list's): shown, never announced
        silent = event.silent or self.circle_list.quiet(event.circle)
        name = event.message.author_name or conversation.unnamed_member()
        pane = self.panes.get(event.circle)
        if pane is not None:
            pane.private.arrived(event)
            if not silent:
                pane.controller.say(private_talk.arrived_notice(name))
                QApplication.alert(self)
        self.notifier.private_message_arrived(
            event.circle,
            self.circle_list.name_of(event.circle),
            name,
            event.message.text,
            silent=silent,
        )

    def _circle_settings_changed(self, event: CircleSettingsChanged) -> None:
        pane = self.panes.get(event.circle)
        if pane is not None:
            pane.controller.show_info(event.info)

    def _members_changed(self, event: MembersChanged) -> None:
        pane = self.panes.get(event.circle)
        if pane is None:
            return
        if event.members:
            pane.controller.show_members(event.members)
        else:
            pane.refresh_members()  # only our own view of them changed (a block)

    def _removed_from_circle(self, event: RemovedFromCircle) -> None:
        pane = self.panes.get(event.circle)
        if pane is not None:
            pane.moderation.show_removed(
                event.banned,
                admission_lost=event.admission_lost,
                by_name=event.by_name,
                reason=event.reason,
            )

    def _rejoined(self, event: RejoinedCircle) -> None:
        """A new invite admitted us again: the pane shows the circle as it now is."""
        pane = self.panes.get(event.circle)
        if pane is not None:
            pane.controller.set_member_again()

    def _moderation(self, event: ModerationHappened) -> None:
        circle, entry = event.circle, event.entry
        pane = self.panes.get(circle)
        if pane is not None:
            pane.moderation.entry_arrived(entry)
        # what it changed in the settings and the members comes as events of their own
        action = entry.action
        dialog = self.active_dialog
        if (
            action == "invite_revoke"
            and isinstance(dialog, InviteManagerDialog)
            and dialog.circle_id == circle
        ):
            dialog.refresh()

    def _care_flag(self, event: CareFlagReceived) -> None:
        """A member's care flag reached us as a facilitator: the pane's badge, and a gentle
        notification of its own (never the note or any name)."""
        circle = event.circle
        pane = self.panes.get(circle)
        if pane is not None:
            pane.care.flag_arrived()
        # a facilitator's break is a break from this too: the flag waits in the list (and
        # on the circle's badge); the circle's other facilitators are told as usual
        self.notifier.care_flag_arrived(
            circle, self.circle_list.name_of(circle), silent=self.circle_list.quiet(circle)
        )

    def _report_received(self, event: ReportReceived) -> None:
        """A member's report reached us as a facilitator: the open list reads it; the
        circle's row (its own event) counts it in what waits for review. The status bar
        says so, never who reported or what."""
        circle = event.circle
        pane = self.panes.get(circle)
        if pane is not None:
            pane.care.report_arrived()
        if not self.circle_list.quiet(circle):
            said = care.report_arrived(self.circle_list.name_of(circle))
            self.statusBar().showMessage(said, STATUS_MESSAGE_MS)

    def _resolution_note(self, event: ResolutionNoteReceived) -> None:
        """Another facilitator resolved a care flag or report with a note for us."""
        pane = self.panes.get(event.circle)
        if pane is not None:
            pane.care.resolution_note_arrived()

    def _join_request(self, event: JoinRequestArrived) -> None:
        """Someone asks to join a circle we facilitate."""
        circle = event.circle
        pane = self.panes.get(circle)
        if pane is not None:
            pane.refresh_join_requests()
        asks = joins.asks_to_join(event.member_name, self.circle_list.name_of(circle))
        self.statusBar().showMessage(asks, STATUS_MESSAGE_MS)

    def _member_joined(self, event: MemberJoined) -> None:
        """Someone was admitted, maybe by another facilitator: the members, the settings and
        the circle's row come as events of their own; the requests waiting for an answer
        are read again only where one may have been (approval on, or some listed)."""
        pane = self.panes.get(event.circle)
        if pane is None:
            return
        info = pane.info
        if info is None or info.join_approval or pane.join_requests.requests:
            pane.refresh_join_requests()

    def _join_pending(self, _event: JoinPending) -> None:
        self.waiting_joins.refresh()

    def _join_approved(self, event: JoinApproved) -> None:
        circle = event.circle
        known = self.waiting_joins.name_of(circle, event.circle_name)
        dialog = self.active_dialog
        told = isinstance(dialog, JoinCircleDialog) and dialog.join_answered(circle, True)
        self.waiting_joins.approved(circle)
        if not told and self.current_pane() is None:
            self._pending_selection = circle  # nothing else on screen: open it
        self.statusBar().showMessage(joins.now_member_of(known), STATUS_MESSAGE_MS)
        self.refresh_circles()

    def _join_rejected(self, event: JoinRejected) -> None:
        circle = event.circle
        name = self.waiting_joins.name_of(circle, event.circle_name)
        reason = event.reason
        # a facilitator's "no" is told in the app's own kind words; a request that ended
        # otherwise (the invite was revoked or expired meanwhile) in the engine's
        declined = not reason or event.code == Refusal.JOIN_DECLINED.value
        message = joins.join_declined(name) if declined else reason
        dialog = self.active_dialog
        if isinstance(dialog, JoinCircleDialog) and dialog.join_answered(circle, False, message):
            self.waiting_joins.dismiss(circle)  # the dialog said it
            self.waiting_joins.refresh()
            return
        self.waiting_joins.declined(circle, name, message)

    # -- content warnings and review (issue 6) ---------------------------------------------

    def _build_content_filters(self, profile_menu: QMenu) -> None:
        self.content_filters_action = QAction(safety.content_filters_action(), self)
        self.content_filters_action.triggered.connect(self.open_content_filters)
        profile_menu.addAction(self.content_filters_action)

    @Slot()
    def open_content_filters(self) -> None:
        """The reader's filters; once changed, every conversation open shows them."""
        dialog = ContentFiltersDialog(self.bridge, self)
        self._open_dialog(dialog, on_accepted=self._filters_changed)
        dialog.load()

    def _filters_changed(self) -> None:
        for pane in self.panes.values():
            pane.review.reload_filtered()

    def _message_changed(self, event: MessageChanged) -> None:
        """A stored message's view changed: its row alone follows, nothing is read."""
        self.circle_list.message_changed(event.circle, event.message)
        pane = self.panes.get(event.circle)
        if pane is not None:
            pane.model.message_changed(event.message)

    def _attachment_progress(self, event: AttachmentProgress) -> None:
        """More of a message's picture or file arrived (issue 15)."""
        pane = self.panes.get(event.circle)
        if pane is not None:
            pane.attachments.progress(event)

    def _message_review(self, event: MessageReview) -> None:
        """A message was hidden pending review, or shows again (its row changed already)."""
        pane = self.panes.get(event.circle)
        if pane is not None:
            pane.review.review_changed(event.message, event.hidden)
            pane.care.review_changed()  # a facilitator's "to review" badge and list

    @Slot()
    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    # -- profile ------------------------------------------------------------------------

    @Slot()
    def open_change_passphrase(self) -> None:
        dialog = ChangePassphraseDialog(self._profile_folder, self._kdf, self)
        self._open_dialog(dialog, on_accepted=self._passphrase_changed)

    def _build_storage(self, profile_menu: QMenu) -> None:
        self.storage_action = QAction(storage.storage_action(), self)
        self.storage_action.triggered.connect(self.open_storage)
        profile_menu.addAction(self.storage_action)

    @Slot()
    def open_storage(self) -> None:
        """What each circle takes here; the circle in view's members listed too."""
        pane = self.current_pane()
        dialog = StorageDialog(self.bridge, pane.circle_id if pane is not None else None, self)
        dialog.cleared.connect(self._member_cleared)
        self._open_dialog(dialog, on_accepted=_nothing)
        dialog.load()

    def _member_cleared(self, circle: str, _member: str) -> None:
        pane = self.panes.get(circle)
        if pane is not None:
            pane.reload_latest()

    def _build_network(self, profile_menu: QMenu) -> None:
        self.network_action = QAction(network_text.network_action(), self)
        self.network_action.triggered.connect(self.open_network_settings)
        profile_menu.addAction(self.network_action)

    @Slot()
    def open_network_settings(self) -> None:
        dialog = NetworkSettingsDialog(self.bridge, self)
        self._open_dialog(dialog, on_accepted=lambda: self._network_saved(dialog))
        dialog.load()

    def _network_saved(self, dialog: NetworkSettingsDialog) -> None:
        if dialog.reconnect_now:
            self.reconnectRequested.emit()
        else:
            self.statusBar().showMessage(
                network_text.network_applies_at_unlock(), STATUS_MESSAGE_MS
            )

    @Slot()
    def _passphrase_changed(self) -> None:
        self.statusBar().showMessage(profile.passphrase_changed(), STATUS_MESSAGE_MS)

    @Slot()
    def show_about(self) -> None:
        # window-modal like every dialog here (`open`, not the static `about`'s `exec`): an
        # application-modal box would block the help window too (help_desk.py)
        box = QMessageBox(QMessageBox.Icon.NoIcon, app_window.about_title(), "", parent=self)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(app_window.about_text())
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        self._open_dialog(box, _nothing)

    # -- dialogs and closing ------------------------------------------------------------

    def _open_dialog(self, dialog: QDialog, on_accepted: Callable[[], object]) -> None:
        if self.active_dialog is not None:
            self.active_dialog.raise_()
            return
        self.active_dialog = dialog
        dialog.accepted.connect(on_accepted)
        dialog.finished.connect(self._dialog_finished)
        dialog.open()  # window-modal, and never a nested event loop

    @Slot()
    def _dialog_finished(self) -> None:
        dialog, self.active_dialog = self.active_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self._mark_read_if_seen()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.notifier.close()
        self.closing.emit()
        event.accept()


def _nothing() -> None:
    """What happens when a dialog that needs no follow-up is accepted."""


def _mark_seen(future: asyncio.Future[EngineReady]) -> None:
    if not future.cancelled():
        future.exception()
