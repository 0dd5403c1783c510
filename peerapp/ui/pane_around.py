"""Around a circle's conversation (issue 15): who joined and left, the "new messages"
divider, "jump to latest", and who is typing.

- Joined / left: quiet notices among the messages, placed by their place in the log
  (lamport, id) as moderation notices are (peerapp.ui.pane_moderation): the membership
  log is read once the first page is shown, then each `membership` event adds its entry
  (`entry_arrived`); older pages take theirs with them (`with_older`).
- "New messages": when a circle is opened with unread messages (`mark_unread`, told by
  the window with the list's count before it marks them read), a divider goes just
  before the first of them (the newest `unread` messages of others shown), and the list
  opens there (the divider at the top: reading goes on where it stopped); with none
  unread it opens at the end. The divider moves on at the next opening with unread
  messages.
- "Jump to latest": a button over the list's lower right corner while the person has
  scrolled up, counting the messages of others that arrived below meanwhile ("3 new
  messages ↓"); it goes once the list is back at the bottom.
- Typing: when the circle's settings show typing (`circle_info`'s `typing`), writing in
  the composer says so (the `typing` command, at most once per SEND_EVERY_SECONDS; the
  engine limits it too), and the engine's `typing` events show "Sam is typing…" over the
  composer until their `seconds` pass or Sam's message arrives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QLabel, QPushButton

from peerapp.core.api.around import MembershipLogOf, Typing
from peerapp.core.errors import HearthError
from peerapp.core.events import MembershipEntryView, MemberTyping, MessageView
from peerapp.core.typing_policy import SEND_EVERY_SECONDS
from peerapp.ui import clock, style
from peerapp.ui.async_slot import async_slot, settle_quietly, still_alive
from peerapp.ui.circle_context import CircleFeature
from peerapp.ui.text import around, conversation
from peerapp.ui.timeline import Item, Notice
from peerapp.ui.widgets.message_model import order_key

if TYPE_CHECKING:
    from peerapp.ui.circle_context import CircleContext

NEW_MESSAGES_ID = "new-messages"  # the divider's notice id (no event id looks like it)
JUMP_MARGIN = 16  # the jump button's distance from the list's lower right corner
TYPING_TICK_MS = 1000  # how often who is typing is looked at again


def just_before(message_id: str) -> str:
    """An order id that sorts right before `message_id` and after every hex id below it
    (the last hex digit one lower, then "~", which sorts after every hex digit)."""
    return message_id[:-1] + chr(ord(message_id[-1]) - 1) + "~"


def membership_notice(entry: MembershipEntryView) -> Notice:
    name = entry.member_name or conversation.unnamed_member()
    text = around.joined_notice(name) if entry.action == "joined" else around.left_notice(name)
    return Notice(entry.id, text, entry.ts, entry.lamport, entry.id)


def typing_text(names: list[str]) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return around.typing_one(names[0])
    if len(names) == 2:
        return around.typing_two(names[0], names[1])
    return around.typing_many(len(names))


class PaneAround(CircleFeature):
    def __init__(self, pane: CircleContext) -> None:
        super().__init__(pane)
        self.entries: list[MembershipEntryView] = []
        self._entry_ids: set[str] = set()
        self.log_loaded = False
        self._unread_to_mark: int | None = None  # told before the first page was shown
        self.new_below = 0  # others' messages that arrived below while scrolled up
        self.jump_button = QPushButton(pane.message_list)
        self.jump_button.setObjectName("jumpToLatest")
        style.mark_primary(self.jump_button)
        self.jump_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.jump_button.clicked.connect(self.jump_to_latest)
        self.jump_button.hide()
        self.typing_label = QLabel()
        style.set_role(self.typing_label, "muted")
        self.typing_label.setContentsMargins(18, 2, 18, 2)
        self.typing_label.hide()
        self._typing: dict[str, tuple[str, float]] = {}  # member -> (name, shown until)
        self._typing_timer = QTimer(self)
        self._typing_timer.setInterval(TYPING_TICK_MS)
        self._typing_timer.timeout.connect(self._typing_tick)
        self._typing_sent_at: float | None = None
        pane.model.modelReset.connect(self.place_notices)
        bar = pane.message_list.verticalScrollBar()
        bar.valueChanged.connect(self._scrolled)
        bar.rangeChanged.connect(self._scrolled)
        pane.message_list.installEventFilter(self)
        pane.composer.edit.textChanged.connect(self._composing)

    # -- joined and left ----------------------------------------------------------------

    def first_page_shown(self) -> None:
        """The pane's first page is in: read who joined and left, place the divider and
        open the list there (at the end when nothing is unread)."""
        self.load_log()
        self.pane.message_list.scroll_to_end()
        if self._unread_to_mark is not None:
            unread, self._unread_to_mark = self._unread_to_mark, None
            self.mark_unread(unread)

    @async_slot()
    async def load_log(self) -> None:
        try:
            result = await self.bridge.request(MembershipLogOf(circle=self.circle))
        except HearthError as error:
            self.controller.report_error(error, "read who joined and left", shown=False)
            return
        if not still_alive(self.pane.surface):
            return
        self.log_loaded = True
        for entry in result.entries:
            self._add(entry)
        self.place_notices()

    def entry_arrived(self, entry: MembershipEntryView) -> None:
        """A `membership` event's entry."""
        if self._add(entry):
            self.place_notices()

    def _add(self, entry: MembershipEntryView) -> bool:
        if entry.id in self._entry_ids:
            return False
        self._entry_ids.add(entry.id)
        self.entries.append(entry)
        return True

    def notices_for(self) -> list[Notice]:
        present = {notice.id for notice in self.pane.model.notices()}
        return [membership_notice(e) for e in self.entries if e.id not in present]

    @Slot()
    def place_notices(self) -> None:
        if not self.controller.loaded or not self.entries:
            return
        notices = self.notices_for()
        if notices:
            self.pane.merge_items(notices)

    def with_older(self, older: list[Item]) -> list[Item]:
        """An older page (with its moderation notices) and the joins and leaves among it."""
        first = self.pane.model.first_message()
        boundary = order_key(first) if first is not None else None
        notices = [n for n in self.notices_for() if boundary is None or order_key(n) < boundary]
        return sorted([*older, *notices], key=order_key)

    # -- "new messages" ---------------------------------------------------------------------

    def mark_unread(self, unread: int) -> None:
        """The circle opens with `unread` messages: the divider goes before the first, and
        the list shows it at its top."""
        if not self.controller.loaded:
            self._unread_to_mark = unread
            return
        if unread <= 0:
            return  # read already: the divider of the last opening stays where it was
        model = self.pane.model
        model.remove(NEW_MESSAGES_ID)
        others = [m for m in model.messages() if not m.mine]
        if not others:
            return
        first = others[-min(unread, len(others))]
        divider = Notice(
            NEW_MESSAGES_ID,
            around.new_messages(),
            first.ts,
            first.lamport,
            just_before(first.id),
            divider=True,
        )
        self.pane.merge_items([divider])
        self.pane.message_list.scroll_to_top_of(NEW_MESSAGES_ID)

    def divider(self) -> Notice | None:
        return next((n for n in self.pane.model.notices() if n.id == NEW_MESSAGES_ID), None)

    # -- jump to latest -----------------------------------------------------------------

    def arrived(self, message: MessageView) -> None:
        """A message arrived (the pane shows it): counted while the person reads above;
        its author is no longer typing."""
        if self._typing.pop(message.author, None) is not None:
            self._show_typing()
        if not message.mine and not self.pane.message_list.at_bottom:
            self.new_below += 1
            self._show_jump()

    @Slot()
    def jump_to_latest(self) -> None:
        self.pane.message_list.scroll_to_end()
        self.new_below = 0
        self._show_jump()

    @Slot()
    def _scrolled(self) -> None:
        if self.pane.message_list.at_bottom:
            self.new_below = 0
        self._show_jump()

    def _show_jump(self) -> None:
        message_list = self.pane.message_list
        bar = message_list.verticalScrollBar()
        scrolled_up = not message_list.at_bottom and bar.maximum() > bar.minimum()
        if not scrolled_up:
            self.jump_button.hide()
            return
        self.jump_button.setText(
            around.jump_to_latest_new(self.new_below) if self.new_below else around.jump_to_latest()
        )
        self.jump_button.adjustSize()
        self._place_jump()
        self.jump_button.show()
        self.jump_button.raise_()

    def _place_jump(self) -> None:
        area = self.pane.message_list.viewport().geometry()
        size = self.jump_button.sizeHint()
        self.jump_button.move(
            area.right() - size.width() - JUMP_MARGIN, area.bottom() - size.height() - JUMP_MARGIN
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.pane.message_list and event.type() == QEvent.Type.Resize:
            self._place_jump()
        return False

    # -- typing -------------------------------------------------------------------------

    @Slot()
    def _composing(self) -> None:
        """The person writes: tell the members, if the circle shows typing (at most once
        every few seconds; nothing for an empty box)."""
        info = self.controller.info
        if info is None or not info.typing or not self.pane.composer.edit.toPlainText().strip():
            return
        now = clock.monotonic()
        if self._typing_sent_at is not None and now - self._typing_sent_at < SEND_EVERY_SECONDS:
            return
        self._typing_sent_at = now
        settle_quietly(self.bridge.request(Typing(circle=self.circle)), "typing")

    def typing_arrived(self, event: MemberTyping) -> None:
        name = event.member_name or conversation.unnamed_member()
        self._typing[event.member] = (name, clock.monotonic() + event.seconds)
        self._show_typing()

    def typing_names(self) -> list[str]:
        return [name for name, _ in self._typing.values()]

    @Slot()
    def _typing_tick(self) -> None:
        now = clock.monotonic()
        self._typing = {m: shown for m, shown in self._typing.items() if shown[1] > now}
        self._show_typing()

    def _show_typing(self) -> None:
        text = typing_text(self.typing_names())
        self.typing_label.setText(text)
        self.typing_label.setVisible(bool(text))
        if text and not self._typing_timer.isActive():
            self._typing_timer.start()
        elif not text:
            self._typing_timer.stop()
