"""One circle on screen: its header, its messages, the composer and its members.

The pane asks the engine for the latest page of history when it is created, then keeps
itself current: messages that arrive go in at their place in the order all members share
(`add_arrived`), a message sent from here goes in once the engine has stored it, and
older pages are fetched when the person scrolls to the top. Messages that arrive while
the first page is still on its way wait, so they land with it.

A sync that brings many messages at once is not told message by message: the engine
reports its progress (`show_progress`, a bar above the messages) and then that the
history changed (`history_changed`), and the pane reloads the latest messages once,
merging them into what is shown, staying at the bottom if it was there.

Own messages show whether other members hold them yet; the engine's delivery_changed
event says how many hold each that moved on (`delivery_changed`), nothing is asked.
While the pane is on screen, the header says how long since this computer last synced
with a member, asking the engine every few seconds and after every sync.

The circle's settings (circle_info) are asked for when the pane opens and again when the
window says they may have changed (`refresh_info`), or handed to the controller from the
engine's circle_settings_changed event (`controller.show_info`; the members likewise from
members_changed, `controller.show_members`): the guidelines stay pinned under the header,
and a facilitator sees "2 waiting to join" there when join approval holds people back,
opening a panel to approve or decline each (`refresh_join_requests`, also on the engine's
join_request events). The circle's controller holds the settings and signals
`settingsChanged` (each feature reads what it needs from the controller, so no order
among them matters); the pane then emits `infoChanged` for whoever else listens.

The pane composes; it holds no state of the circle. What the features share (settings,
members, who one is, removed, the history's paging facts; errors, dialogs, passing
words) is the controller's (peerapp.ui.circle_controller, `self.controller`). Moderation
(member and message menus, notices among the messages, tombstones, the composer held
back by a mute or slow mode, the removed bar, settings, the log, leaving) lives in
peerapp.ui.pane_moderation (`self.moderation`); conflicting versions of a message
(equivocation) in peerapp.ui.pane_versions; each feature takes the pane as its
CircleContext (peerapp.ui.circle_context).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QHideEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QStackedWidget, QVBoxLayout, QWidget

from peerapp.core import history_policy
from peerapp.core.api.circles import SyncStatus
from peerapp.core.api.content import MessageEdited
from peerapp.core.api.joins import ApproveJoin, PendingJoins, RejectJoin
from peerapp.core.api.messages import History, MessageSent
from peerapp.core.api.moderation import CircleInfoView
from peerapp.core.errors import HearthError
from peerapp.core.events import MemberView, MessageView
from peerapp.ui import clock, style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.circle_controller import CircleController
from peerapp.ui.circle_info import facilitating
from peerapp.ui.crisis_support import CrisisSupport
from peerapp.ui.dialogs.form_dialog import failure_message
from peerapp.ui.engine_query import Latest, OneAtATime, latest_answer
from peerapp.ui.pane_around import PaneAround
from peerapp.ui.pane_attachments import PaneAttachments
from peerapp.ui.pane_boundaries import PaneBoundaries
from peerapp.ui.pane_care import PaneCare
from peerapp.ui.pane_content import PaneContent
from peerapp.ui.pane_follow_up import PaneFollowUp
from peerapp.ui.pane_layout import PaneLayout
from peerapp.ui.pane_links import PaneLinks
from peerapp.ui.pane_moderation import PaneModeration
from peerapp.ui.pane_private import PanePrivate
from peerapp.ui.pane_review import PaneReview
from peerapp.ui.pane_versions import PaneVersions
from peerapp.ui.text import conversation, joins
from peerapp.ui.timeline import Item
from peerapp.ui.widgets.asleep_strip import AsleepStrip
from peerapp.ui.widgets.catch_up_bar import CatchUpBar
from peerapp.ui.widgets.circle_header import CircleHeader
from peerapp.ui.widgets.composer import Composer
from peerapp.ui.widgets.error_banner import ErrorBanner
from peerapp.ui.widgets.guidelines_strip import GuidelinesStrip
from peerapp.ui.widgets.join_requests import JoinRequestsPanel
from peerapp.ui.widgets.member_list import MemberPanel
from peerapp.ui.widgets.message_list import MessageList
from peerapp.ui.widgets.message_model import MessageModel, order_key

log = logging.getLogger(__name__)

HISTORY_PAGE = 100
SYNC_STATUS_MS = 5000  # how often to ask the engine about syncs while on screen
SYNC_AGE_MS = 1000  # how often to say again how long ago that was


def _placeholder() -> QLabel:
    """What shows until the first messages do: "Loading…", then why none show."""
    placeholder = QLabel(conversation.loading_messages())
    placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
    placeholder.setWordWrap(True)
    style.set_role(placeholder, "muted")
    return placeholder


class CirclePane(QWidget):
    inviteRequested = Signal(str)  # circle id
    infoChanged = Signal(object)  # CircleInfoView, each time circle_info is read

    history_page = HISTORY_PAGE

    def __init__(
        self,
        bridge: EngineBridge,
        circle_id: str,
        name: str,
        member_count: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.circle_id = circle_id
        self.name = name
        self.controller = controller = CircleController(bridge, circle_id, self)
        self.error_banner = ErrorBanner()  # the circle's one error route shows here
        self.more_menu = QMenu(self)
        self.model = MessageModel(self)
        self.model.set_others(member_count - 1)
        self.header = CircleHeader(name, member_count)
        self.guidelines = GuidelinesStrip()
        self.asleep = AsleepStrip()
        self.join_requests = JoinRequestsPanel()
        self.catch_up = CatchUpBar()
        self.message_list = MessageList(self.model)
        self.placeholder = _placeholder()
        self.messages_area = QStackedWidget()
        self.messages_area.addWidget(self.placeholder)
        self.messages_area.addWidget(self.message_list)
        self.composer = Composer()
        self.member_panel = MemberPanel()
        controller.errorReported.connect(self.error_banner.show_message)
        controller.errorCleared.connect(self.error_banner.dismiss)

        self.moderation = PaneModeration(self)
        self.boundaries = self._build_menus()
        self.crisis_support = CrisisSupport(self)  # the composer's crisis prompt
        self.review = PaneReview(self)  # harm flags, review, check-ins, content filters
        self.follow_up = PaneFollowUp(self)  # after a low check-in: help, a facilitator
        self.links = PaneLinks(self)  # links in messages: asked before they open
        # joined/left notices, "new messages", jump to latest, who is typing
        self.around = PaneAround(self)
        self._build_layout()
        # small windows: the members become a drawer, Invite folds into More
        self.small_window = PaneLayout(
            self,
            header=self.header,
            member_panel=self.member_panel,
            body=self.body_layout,
            conversation_area=self.messages_area,
            more_menu=self.more_menu,
            composer=self.composer.edit,
        )

        self._waiting: list[MessageView] = []
        # at most one reload (and one delivery refresh, one sync question) in flight;
        # asked again meanwhile, it runs once more when that one is done
        self._reload = OneAtATime()
        self._delivery = OneAtATime()
        self._asking_sync = False
        self.reloads = 0  # completed reloads, for whoever wants to know one happened
        self._requests = Latest()
        controller.settingsChanged.connect(self._settings_changed)
        controller.membersChanged.connect(self._members_changed)

        self._sync_timer, self._age_timer = self._build_timers()

        self.header.invite_button.clicked.connect(lambda: self.inviteRequested.emit(circle_id))
        self.header.join_requests_button.toggled.connect(self.join_requests.setVisible)
        self.join_requests.approveRequested.connect(self.approve_join)
        self.join_requests.declineRequested.connect(self.decline_join)
        self.composer.sendRequested.connect(self.send)
        self.message_list.nearTop.connect(self.load_older)
        self.model.rowsInserted.connect(self._show_messages)
        self.model.modelReset.connect(self._show_messages)

    def _build_layout(self) -> None:
        conversation = QVBoxLayout()
        conversation.setContentsMargins(0, 0, 0, 0)
        conversation.setSpacing(0)
        conversation.addWidget(self.error_banner)
        conversation.addWidget(self.messages_area, 1)
        conversation.addWidget(self.moderation.removed_bar)
        conversation.addWidget(self.follow_up.card)
        conversation.addWidget(self.around.typing_label)
        conversation.addWidget(self.composer)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addLayout(conversation, 1)
        body.addWidget(self.member_panel)
        self.body_layout = body
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.guidelines)
        layout.addWidget(self.asleep)
        layout.addWidget(self.join_requests)
        layout.addWidget(self.catch_up)
        layout.addLayout(body, 1)

    def _build_menus(self) -> PaneBoundaries:
        """The circle's More menu (moderation's), and one's own boundaries (blocking
        members, taking a break: peerapp.ui.pane_boundaries), which add to it."""
        self.header.more_button.setMenu(self.more_menu)
        # care flags: sending them, and facilitators' list (in the More menu too)
        self.care = PaneCare(self)
        # private conversations: the member menu's "Talk privately", care's "Reach out"
        self.private = PanePrivate(self)
        # pictures and files: attach, open, save, the storage view (issue 15)
        self.attachments = PaneAttachments(self)
        # conflicting versions: their marks, and facilitators' list (in the More menu)
        self.versions = PaneVersions(self)
        # replies, reactions and edits: the message menu, the quote bar, jumping to quotes
        self.content = PaneContent(self)
        return PaneBoundaries(self)

    def _build_timers(self) -> tuple[QTimer, QTimer]:
        """Two timers that run while the pane is on screen: one asks the engine about syncs,
        the other says again how long ago the last one was."""
        ask = QTimer(self)
        ask.setInterval(SYNC_STATUS_MS)
        ask.timeout.connect(self.refresh_sync)
        age = QTimer(self)
        age.setInterval(SYNC_AGE_MS)
        age.timeout.connect(self._show_sync_age)
        return ask, age

    # -- what the window tells the pane -------------------------------------------------

    @property
    def surface(self) -> QWidget:
        """What the features parent their menus and dialogs to (peerapp.ui.circle_context)."""
        return self

    def add_to_more_menu(self, action: QAction) -> None:
        """A feature's entry in the circle's More menu: above the moderation log."""
        self.more_menu.insertAction(self.moderation.log_action, action)

    # the controller's state, read (and, for the history's paging, written) through the
    # pane where the window and the tests have always read it

    @property
    def info(self) -> CircleInfoView | None:
        return self.controller.info

    @property
    def loaded(self) -> bool:
        return self.controller.loaded

    @loaded.setter
    def loaded(self, value: bool) -> None:
        self.controller.loaded = value

    @property
    def has_older(self) -> bool:
        return self.controller.has_older

    @has_older.setter
    def has_older(self, value: bool) -> None:
        self.controller.has_older = value

    @property
    def loading_older(self) -> bool:
        return self.controller.loading_older

    @loading_older.setter
    def loading_older(self, value: bool) -> None:
        self.controller.loading_older = value

    def set_name(self, name: str) -> None:
        self.name = name
        self.header.set_name(name)

    def add_arrived(self, message: MessageView) -> None:
        self.versions.arrived(message)
        if self.loaded:
            self._merge([message])
            self.around.arrived(message)
        else:
            self._waiting.append(message)

    def show_progress(self, received: int, total: int) -> None:
        """A sync of this circle is under way: `received` of `total` missing events."""
        self.catch_up.show_progress(received, total)

    def history_changed(self) -> None:
        """A sync brought many messages at once: reload the latest ones, once (and the
        members: a second version among them marks its author)."""
        self.catch_up.finish()
        self.reload_latest()
        self.refresh_members()
        if self.isVisible():
            self.refresh_sync()

    def delivery_changed(self, held_by: Mapping[str, int]) -> None:
        """Members were found to hold more of our messages: the event says how many hold
        each that moved on (an event without them: ask the engine)."""
        if held_by:
            self.model.set_held_by(held_by)
        else:
            self.refresh_delivery()
        if self.isVisible():
            self.refresh_sync()

    def focus_composer(self) -> None:
        self.composer.edit.setFocus()

    # -- history ------------------------------------------------------------------------

    @async_slot()
    async def load(self) -> None:
        self.refresh_members()
        self.refresh_info()
        try:
            result = await self.bridge.request(
                History(circle=self.circle_id, limit=self.history_page)
            )
        except HearthError as error:
            self.controller.report_error(error, "load a circle's history", shown=False)
            if still_alive(self):
                self.placeholder.setText(error.message)
            return
        if not still_alive(self):
            return
        views = list(result.messages)
        self.has_older = len(views) >= self.history_page
        self.model.append(views)
        self._merge(self._waiting)
        self._waiting.clear()
        self.loaded = True
        self.moderation.load_log()
        self.around.first_page_shown()  # the list opens at "new messages", or at the end
        if self.model.rowCount() == 0:
            self.placeholder.setText(conversation.no_messages_yet())
        if self._reload.asked_meanwhile():
            # the history changed while this page was on its way: it may be from before
            self.reload_latest()

    def merge_items(self, batch: Sequence[Item]) -> None:
        """Put messages or notices in their places (see `_merge`)."""
        self._merge(batch)

    def _merge(self, batch: Sequence[Item]) -> None:
        """Put messages in their places; those older than the first shown, while older
        pages are still to come, wait for those pages instead of going in out of order."""
        first = self.model.first_message()
        if self.has_older and first is not None:
            boundary = order_key(first)
            # the first shown itself stays: a fresher copy of it updates its row
            batch = [m for m in batch if order_key(m) >= boundary]
        self.model.merge(batch)

    def reload_size(self) -> int:
        """How many messages a reload asks for: as many as are shown, at least a page."""
        return min(max(self.history_page, len(self.model.messages())), history_policy.MAX_PAGE)

    @async_slot()
    async def reload_latest(self) -> None:
        """Ask for the latest messages again (as many as are shown, at least a page) and
        merge them in; when they cannot join what is shown (more came than one answer
        holds), show them instead, older pages to be fetched as usual."""
        if not self.loaded:
            self._reload.later()
            return
        if not self._reload.start():
            return
        limit = self.reload_size()
        try:
            result = await self.bridge.request(History(circle=self.circle_id, limit=limit))
        except HearthError as error:
            self.controller.report_error(error, "reload a circle's history", shown=False)
            if still_alive(self):
                self._reload.stop()
            return
        if not still_alive(self):
            return
        again = self._reload.finish()
        self._show_reloaded(list(result.messages), limit)
        self.reloads += 1
        if again:
            self.reload_latest()

    async def replace_latest(self, limit: int, *, jump_to_end: bool) -> bool:
        """Ask for the latest `limit` messages and show them instead of what is shown (not
        merged: some shown are to go, after a block or a filter change); then scroll to
        the end with `jump_to_end`, otherwise only if the view was there. False when
        nothing was replaced: no first page yet (it comes as it should), the engine
        refused, or the pane is gone."""
        if not self.loaded:
            return False
        try:
            result = await self.bridge.request(History(circle=self.circle_id, limit=limit))
        except HearthError as error:
            self.controller.report_error(error, "reload a circle's history", shown=False)
            return False
        if not still_alive(self):
            return False
        views = list(result.messages)
        at_bottom = self.message_list.at_bottom
        self.has_older = len(views) >= limit
        self.model.replace(views)  # the notices go back in (it resets the model)
        if jump_to_end or at_bottom:
            self.message_list.scroll_to_end()
        return True

    def _show_reloaded(self, views: list[MessageView], limit: int) -> None:
        complete = len(views) < limit  # the circle's whole history
        last = self.model.last_message()
        joins = complete or last is None or not views or order_key(views[0]) <= order_key(last)
        at_bottom = self.message_list.at_bottom
        anchor = self.message_list.anchor()
        if joins:
            if last is None:
                self.has_older = not complete
            self._merge(views)
        else:
            self.model.replace(views)
            self.has_older = True
        if at_bottom:
            self.message_list.scroll_to_end()
        elif anchor is not None:
            self.message_list.restore_anchor(anchor)

    @async_slot()
    async def load_older(self) -> None:
        first = self.model.first_message()
        if not self.loaded or not self.has_older or self.loading_older or first is None:
            return
        self.loading_older = True
        try:
            result = await self.bridge.request(
                History(circle=self.circle_id, limit=self.history_page, before=first.id)
            )
        except HearthError as error:
            self.controller.report_error(error, "load older messages", shown=False)
            if still_alive(self):
                self.loading_older = False
            return
        if not still_alive(self):
            return
        views = list(result.messages)
        self.has_older = len(views) >= self.history_page
        self.message_list.keep_position_for_older()
        self.model.prepend(self.around.with_older(self.moderation.with_older(views)))
        self.loading_older = False

    @Slot()
    def _show_messages(self) -> None:
        self.messages_area.setCurrentWidget(self.message_list)

    # -- sending ------------------------------------------------------------------------

    @async_slot(str)
    async def send(self, text: str) -> None:
        """Send what the composer handed over (it waits, read-only, for the outcome)."""
        try:
            # a new message, or (the composer's quote bar) a reply or an edit
            result = await self.content.send(text, self.composer.content_warning or None)
        except Exception as error:
            if still_alive(self):
                reason = failure_message(error, conversation.to_send())
                self.composer.failed(conversation.not_sent(reason))
                self.refresh_info()  # a mute or slow mode may be why
            return
        if not still_alive(self):
            return
        self.composer.sent()
        if isinstance(result, MessageEdited):
            self.content.edited(result)
            return
        self.message_list.scroll_to_end()
        self._show_sent(result)

    def _show_sent(self, result: MessageSent) -> None:
        """The engine answers a send with the message as the history shows it, and when
        slow mode lets the next one go: nothing more is asked for."""
        self.controller.sent(result.next_send_at)
        sent = [] if result.view is None else [result.view]
        if result.view is not None:
            self.controller.own_message(result.view)  # the circle list's preview
        if not sent:
            log.info("a sent message came back without its view; it shows when reopened")
        elif self.loaded:
            self.message_list.scroll_to_end()
            self._merge(sent)
        else:
            self._waiting.extend(sent)

    # -- delivery -----------------------------------------------------------------------

    @async_slot()
    async def refresh_delivery(self) -> None:
        """Ask again for the delivery states of the own messages shown (one history answer
        covering them), unless every one is already held by every other member."""
        if not self._delivery.start():
            return
        if not self.loaded or not self.model.awaiting_delivery():
            self._delivery.stop()  # nothing to ask
            return
        try:
            result = await self.bridge.request(
                History(circle=self.circle_id, limit=self.reload_size())
            )
        except HearthError as error:
            self.controller.report_error(error, "refresh delivery states", shown=False)
            if still_alive(self):
                self._delivery.stop()
            return
        if not still_alive(self):
            return
        again = self._delivery.finish()
        self.model.update_delivery(list(result.messages))
        if again:
            self.refresh_delivery()

    # -- syncs --------------------------------------------------------------------------

    @async_slot()
    async def refresh_sync(self) -> None:
        """Ask the engine when this computer last synced with each other member."""
        if self._asking_sync:
            return
        self._asking_sync = True
        try:
            result = await self.bridge.request(SyncStatus(circle=self.circle_id))
        except HearthError as error:
            self.controller.report_error(error, "ask about syncs", shown=False)
            if still_alive(self):
                self._asking_sync = False
            return
        if not still_alive(self):
            return
        self._asking_sync = False
        self.header.set_peer_syncs(result.peers, clock.now_ms())

    @Slot()
    def _show_sync_age(self) -> None:
        self.header.show_sync_age(clock.now_ms())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._sync_timer.start()
        self._age_timer.start()
        self.refresh_sync()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._sync_timer.stop()
        self._age_timer.stop()

    # -- members and settings (the controller reads them) ------------------------------

    def refresh_members(self) -> asyncio.Task[None]:
        return self.controller.refresh_members()

    def refresh_info(self) -> asyncio.Task[None]:
        """Read the circle's settings again (they may have changed)."""
        return self.controller.refresh_info()

    @Slot(object)
    def _members_changed(self, members: Sequence[MemberView]) -> None:
        self.header.set_members(members)
        if members:
            self.model.set_others(len(members) - 1)

    # -- settings, guidelines and people waiting to join -----------------------------------

    @Slot(object)
    def _settings_changed(self, info: CircleInfoView) -> None:
        """The settings were read (the features read them from the controller)."""
        self.guidelines.set_guidelines(info.guidelines)
        if facilitating(info):
            # asked for only when they may differ (the controller says: a read, or an
            # event that made us a facilitator or turned join approval)
            if self.controller.joins_may_differ:
                self.refresh_join_requests()
        else:
            self.header.set_waiting_to_join(0)
            self.join_requests.set_requests([], clock.now_ms())
        self.infoChanged.emit(info)

    @async_slot()
    async def refresh_join_requests(self) -> None:
        """Ask who waits for a facilitator's answer (facilitators only)."""
        info = self.controller.info
        if info is not None and not facilitating(info):
            return
        result = await latest_answer(
            self._requests,
            lambda: self.bridge.request(PendingJoins(circle=self.circle_id)),
            self,
            lambda error: self.controller.report_error(error, "list join requests", shown=False),
        )
        if result is None:
            return
        self.join_requests.set_requests(result.requests, clock.now_ms())
        self.join_requests.show_error("")
        self.header.set_waiting_to_join(len(result.requests))

    @async_slot(str)
    async def approve_join(self, request: str) -> None:
        await self._answer_join(request, approve=True)

    @async_slot(str)
    async def decline_join(self, request: str) -> None:
        await self._answer_join(request, approve=False)

    async def _answer_join(self, request: str, approve: bool) -> None:
        self.join_requests.set_answering(request, True)
        answer = ApproveJoin if approve else RejectJoin
        try:
            await self.bridge.request(answer(circle=self.circle_id, request=request))
        except Exception as error:
            if still_alive(self):
                self.join_requests.set_answering(request, False)
                what = joins.to_approve_join() if approve else joins.to_decline_join()
                self.join_requests.show_error(failure_message(error, what))
            return
        if not still_alive(self):
            return
        self.refresh_join_requests()
        if approve:
            self.refresh_members()
