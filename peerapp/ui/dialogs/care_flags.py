"""A facilitator's "Care and review" list for one circle (the engine's `flags` and
`reports`), in three sections.

Care flags: who is worried about whom (or who asked for support), their note, and the
message they pointed at, if any, each with "Mark resolved" (`resolve_flag`, with the
optional note typed on the card, which goes privately to the other facilitators; theirs
show on the card) and "Reach out" (a private conversation with the member).
Hidden pending review (`pending_review`): messages members flagged as harmful until they
were hidden for everyone, each with its author's name, when it was sent and how many
members flagged it, and "Show in conversation", "Restore" (`restore_message`) and
"Delete for everyone" (`delete_message`, asked first as every delete is).
Reports (`reports`, issue 14): who reported whose message, why, the message's words as
its author signed them, the other facilitators' notes on resolving it, and "Show in
conversation" (the message in context), "Reach out to <reporter>" and "Reach out to the
author" (a private conversation) and "Resolve" (`resolve_report`, with the optional note
typed on the card, which goes privately to the other facilitators but the author).

Rules:
- Only open flags are listed, newest first (the engine's order). Resolving one takes it
  off the list; resolving is this facilitator's own bookkeeping (others keep theirs).
- Only open reports are listed, newest first (the engine's order); resolving one takes it
  off the list (this facilitator's own bookkeeping, as for care flags). The author of a
  report's message is offered "Reach out" unless it is ourselves, and so is the
  reporter. A report's message may be gone from the conversation (deleted): "Show in
  conversation" then says it cannot be shown.
- Messages to review are listed oldest first (the engine's order). Their text is never
  shown here: the facilitator reads it in the conversation ("Show anyway"), where it sits
  among what was said around it. Who flagged it is never shown, only how many did.
- Restoring or deleting one takes it off the list (for every facilitator: it is a log
  event). A facilitator's own message cannot be restored by them: another one reviews it.
- "Show in conversation" closes the list and hands the message to the pane
  (`showRequested`), which scrolls to it.
- Everything shown comes from other members: set as plain text, never read as markup.
- The header's and the circle list's badges are not told from here: they read the
  circle's row (`CircleView.care_flags`, `to_review`: hidden messages and open reports),
  which the engine sends again (`circle_changed`) after a resolve, a restore or a delete.
- While open, the list reads itself again when a care flag, a report or another
  facilitator's note on resolving one arrives (the pane's care part asks, `load`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.api.safety import (
    CareFlagView,
    FlagList,
    FlagNoteView,
    Flags,
    PendingReviewView,
    ReportList,
    Reports,
    ReportView,
    ResolveFlag,
    ResolveReport,
    RestoreMessage,
)
from peerapp.core.mailbox_messages import MAX_REASON_CHARS
from peerapp.ui import clock, style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.confirm_action import ConfirmActionDialog, confirm_delete_message
from peerapp.ui.dialogs.form_dialog import FormDialog, failure_message, read_latest
from peerapp.ui.text import care, common, conversation, moderation, private_talk, safety
from peerapp.ui.widgets.button_row import button_row
from peerapp.ui.widgets.plain_label import plain_label
from peerapp.ui.widgets.scroll_list import scroll_list

LIST_SIZE = (520, 380)
EXCERPT_CHARS = 400
# "Show in conversation" for a message whose log position the list does not know (a
# report's): the pane looks for it by id, page by page (peerapp.ui.pane_care)
UNKNOWN_PLACE = -1


def about_themselves(flag: CareFlagView) -> bool:
    return flag.member == flag.sender


def open_flags(flags: Sequence[CareFlagView]) -> list[CareFlagView]:
    return [flag for flag in flags if not flag.resolved]


def resolution_notes(notes: Sequence[FlagNoteView]) -> list[QLabel]:
    """What the other facilitators said on resolving a flag or a report, one line each."""
    return [
        plain_label(
            private_talk.flag_note(n.sender_name or conversation.unnamed_member(), n.note),
            "muted",
        )
        for n in notes
    ]


def resolution_note_edit() -> QLineEdit:
    """The field for our own note to the other facilitators, sent on resolving."""
    edit = QLineEdit()
    edit.setPlaceholderText(private_talk.flag_note_placeholder())
    edit.setAccessibleName(private_talk.flag_note_placeholder())
    edit.setMaxLength(MAX_REASON_CHARS)
    return edit


class CareFlagCard(QFrame):
    """One open flag: what it is about, when, the note, the message, and the button."""

    def __init__(self, flag: CareFlagView, now_ms: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("careFlagCard")
        self.flag = flag
        self.summary = plain_label(
            care.care_flag_summary(
                flag.member_name or conversation.unnamed_member(),
                flag.sender_name or conversation.unnamed_member(),
                about_themselves(flag),
            ),
            "subheading",
        )
        self.when = plain_label(common.ago((now_ms - flag.received_at) / 1000), "muted")
        self.note = plain_label(flag.note or care.care_flag_no_note())
        if not flag.note:
            style.set_role(self.note, "muted")
        self.resolve_button = QPushButton(care.mark_resolved())
        self.resolve_button.setAutoDefault(False)
        # what the other facilitators said on resolving it, and our own note for them
        self.notes = resolution_notes(flag.notes)
        self.note_edit = resolution_note_edit()
        # a private conversation with the member it is about (peerapp.ui.pane_private)
        self.reach_out_button = QPushButton(private_talk.reach_out())
        self.reach_out_button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        layout.addWidget(self.summary)
        layout.addWidget(self.when)
        layout.addWidget(self.note)
        self.excerpt: QLabel | None = None
        if flag.message:
            layout.addWidget(plain_label(care.care_flag_message_heading(), "muted"))
            self.excerpt = plain_label(excerpt_of(flag.message_text))
            layout.addWidget(self.excerpt)
        for label in self.notes:
            layout.addWidget(label)
        layout.addWidget(self.note_edit)
        layout.addLayout(button_row(end=(self.reach_out_button, self.resolve_button)))


def excerpt_of(text: str) -> str:
    """A message's words on one card: on one line, cut at EXCERPT_CHARS."""
    text = " ".join(text.split())
    if len(text) > EXCERPT_CHARS:
        text = text[: EXCERPT_CHARS - 1].rstrip() + "…"
    return f"“{text}”"


class ReportCard(QFrame):
    """One open report: who reported whose message and why, the message, the other
    facilitators' notes, a note of our own, and the buttons."""

    def __init__(
        self, report: ReportView, now_ms: int, my_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportCard")
        self.report = report
        reporter = report.reporter_name or conversation.unnamed_member()
        author = report.author_name or conversation.unnamed_member()
        self.summary = plain_label(care.report_summary(reporter, author), "subheading")
        self.when = plain_label(common.ago((now_ms - report.received_at) / 1000), "muted")
        self.reason = plain_label(care.report_reason(report.reason))
        self.excerpt = plain_label(excerpt_of(report.excerpt)) if report.excerpt else None
        self.notes = resolution_notes(report.notes)
        self.note_edit = resolution_note_edit()
        self.show_button = QPushButton(care.show_in_conversation())
        self.show_button.setVisible(report.message is not None)
        self.reach_reporter_button = QPushButton(care.reach_out_to_reporter(reporter))
        self.reach_reporter_button.setVisible(report.reporter != my_id)
        self.reach_author_button = QPushButton(private_talk.reach_out_to_author())
        self.reach_author_button.setVisible(report.author not in (None, my_id))
        self.resolve_button = QPushButton(care.resolve_report())
        for button in (
            self.show_button,
            self.reach_reporter_button,
            self.reach_author_button,
            self.resolve_button,
        ):
            button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        layout.addWidget(self.summary)
        layout.addWidget(self.when)
        layout.addWidget(self.reason)
        if self.excerpt is not None:
            layout.addWidget(plain_label(care.care_flag_message_heading(), "muted"))
            layout.addWidget(self.excerpt)
        for label in self.notes:
            layout.addWidget(label)
        layout.addWidget(self.note_edit)
        layout.addLayout(
            button_row(
                (self.show_button, self.reach_reporter_button),
                (self.reach_author_button, self.resolve_button),
                spacing=6,
            )
        )


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    style.set_role(label, "subheading")
    return label


class ReviewCard(QFrame):
    """One message waiting for review: whose, when, how many flagged it, and the buttons."""

    def __init__(
        self, review: PendingReviewView, now_ms: int, mine: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewCard")
        self.review = review
        self.summary = plain_label(
            care.review_summary(review.author_name or conversation.unnamed_member()), "subheading"
        )
        when = care.review_sent((now_ms - review.ts) / 1000)
        self.details = plain_label(f"{when} · {care.review_flags(review.harm_flags)}", "muted")
        self.show_button = QPushButton(care.show_in_conversation())
        self.reach_out_button = QPushButton(private_talk.reach_out_to_author())
        self.reach_out_button.setAutoDefault(False)
        self.reach_out_button.setVisible(not mine)
        self.restore_button = QPushButton(safety.restore_message())
        self.delete_button = QPushButton(moderation.delete_for_everyone())
        buttons = button_row(
            (self.show_button, self.reach_out_button),
            (self.restore_button, self.delete_button),
            spacing=6,
        )
        for button in (self.show_button, self.restore_button, self.delete_button):
            button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        layout.addWidget(self.summary)
        layout.addWidget(self.details)
        self.own_note: QLabel | None = None
        if mine:  # the engine refuses it too: a facilitator never reviews their own
            self.restore_button.hide()
            self.own_note = plain_label(care.review_own_message(), "muted")
            layout.addWidget(self.own_note)
        layout.addLayout(buttons)

    def set_acting(self, acting: bool) -> None:
        for button in (self.show_button, self.restore_button, self.delete_button):
            button.setEnabled(not acting)


class CareFlagsDialog(FormDialog):
    showRequested = Signal(str, int)  # message id, its lamport: show it in the conversation
    restored = Signal(str)  # message id: restored after review
    deleted = Signal(str)  # message id: deleted for everyone
    # member id: "Reach out" (a flag's member, a reviewed message's author); the list
    # closes and the private conversation opens
    reachOutRequested = Signal(str)

    def __init__(
        self,
        bridge: EngineBridge,
        circle: str,
        parent: QWidget | None = None,
        my_id: str = "",
    ) -> None:
        super().__init__(
            title=care.care_and_review_title(),
            heading=care.care_and_review_title(),
            explanation=care.care_and_review_text(),
            primary_text=care.care_flags_close(),
            offer_help=True,  # "Get help now" inside the dialog (issue 14)
            parent=parent,
        )
        self.bridge = bridge
        self.circle = circle
        self.my_id = my_id
        self.cards: dict[str, CareFlagCard] = {}  # flag id -> card, in the engine's order
        self.review_cards: dict[str, ReviewCard] = {}  # message id -> card, likewise
        self.report_cards: dict[str, ReportCard] = {}  # report id -> card, likewise
        self.confirming: ConfirmActionDialog | None = None  # "Delete for everyone?"

        listing = scroll_list("careFlags", LIST_SIZE, spacing=8)
        self.scroll_area, self.list_widget, self.list_layout = (
            listing.area,
            listing.widget,
            listing.layout,
        )
        self.flags_heading = _heading(care.care_flags_title())
        self.flags_layout = QVBoxLayout()
        self.flags_layout.setSpacing(8)
        self.empty_label = QLabel(care.care_flags_empty())
        style.set_role(self.empty_label, "muted")
        self.empty_label.hide()
        self.review_heading = _heading(care.review_heading())
        self.review_explanation = plain_label(care.review_explanation(), "muted")
        self.review_layout = QVBoxLayout()
        self.review_layout.setSpacing(8)
        self.review_empty_label = QLabel(care.review_empty())
        style.set_role(self.review_empty_label, "muted")
        self.review_empty_label.hide()
        self.list_layout.addWidget(self.flags_heading)
        self.list_layout.addLayout(self.flags_layout)
        self.list_layout.addWidget(self.empty_label)
        self.list_layout.addSpacing(8)
        self.list_layout.addWidget(self.review_heading)
        self.list_layout.addWidget(self.review_explanation)
        self.list_layout.addLayout(self.review_layout)
        self.list_layout.addWidget(self.review_empty_label)
        self.list_layout.addSpacing(8)
        self.reports_heading = _heading(care.reports_heading())
        self.reports_explanation = plain_label(care.reports_explanation(), "muted")
        self.reports_layout = QVBoxLayout()
        self.reports_layout.setSpacing(8)
        self.reports_empty_label = QLabel(care.reports_empty())
        style.set_role(self.reports_empty_label, "muted")
        self.reports_empty_label.hide()
        self.list_layout.addWidget(self.reports_heading)
        self.list_layout.addWidget(self.reports_explanation)
        self.list_layout.addLayout(self.reports_layout)
        self.list_layout.addWidget(self.reports_empty_label)
        self.list_layout.addStretch(1)

        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self.secondary_button.hide()
        self.primary_button.clicked.connect(self.accept)
        self.set_submittable(True)

    @async_slot()
    async def load(self) -> None:
        """Read the list (again: a care flag or a report arrived, another facilitator left
        a note on resolving one, or what waits for review changed)."""
        result = await read_latest(
            self, care.care_flags_loading(), care.to_read_care_flags(), self._read_both
        )
        if result is None:
            return
        flags, reports = result
        self.show_flags(open_flags(flags.flags), flags.pending_review)
        self.show_reports([r for r in reports.reports if not r.resolved])

    async def _read_both(self) -> tuple[FlagList, ReportList]:
        flags = await self.bridge.request(Flags(circle=self.circle))
        reports = await self.bridge.request(Reports(circle=self.circle))
        return flags, reports

    @property
    def flags(self) -> list[CareFlagView]:
        """The open care flags listed."""
        return [card.flag for card in self.cards.values()]

    @property
    def reports(self) -> list[ReportView]:
        """The open reports listed."""
        return [card.report for card in self.report_cards.values()]

    @property
    def reviews(self) -> list[PendingReviewView]:
        """The messages listed as waiting for review."""
        return [card.review for card in self.review_cards.values()]

    def show_flags(
        self, flags: Sequence[CareFlagView], reviews: Sequence[PendingReviewView]
    ) -> None:
        for card in self.cards.values():
            card.deleteLater()
        self.cards = {}
        now = clock.now_ms()
        for flag in flags:
            card = CareFlagCard(flag, now)
            card.resolve_button.clicked.connect(lambda _=False, f=flag.id: self.resolve(f))
            card.reach_out_button.setVisible(flag.member != self.my_id)
            card.reach_out_button.clicked.connect(lambda _=False, m=flag.member: self.reach_out(m))
            self.flags_layout.addWidget(card)
            self.cards[flag.id] = card
        self.show_reviews(reviews, now)
        self.loaded = True

    def show_reviews(self, reviews: Sequence[PendingReviewView], now_ms: int) -> None:
        for card in self.review_cards.values():
            card.deleteLater()
        self.review_cards = {}
        for review in reviews:
            mine = bool(self.my_id) and review.author == self.my_id
            card = ReviewCard(review, now_ms, mine)
            message = review.message
            card.show_button.clicked.connect(lambda _=False, m=message: self.show_message(m))
            card.reach_out_button.clicked.connect(
                lambda _=False, a=review.author: self.reach_out(a)
            )
            card.restore_button.clicked.connect(lambda _=False, m=message: self.restore(m))
            card.delete_button.clicked.connect(lambda _=False, m=message: self.confirm_delete(m))
            self.review_layout.addWidget(card)
            self.review_cards[message] = card
        self._show_count()

    def show_reports(self, reports: Sequence[ReportView]) -> None:
        for card in self.report_cards.values():
            card.deleteLater()
        self.report_cards = {}
        now = clock.now_ms()
        for report in reports:
            card = ReportCard(report, now, self.my_id)
            rid = report.id
            card.show_button.clicked.connect(lambda _=False, r=rid: self.show_reported(r))
            card.reach_reporter_button.clicked.connect(
                lambda _=False, m=report.reporter: self.reach_out(m)
            )
            if report.author is not None:
                card.reach_author_button.clicked.connect(
                    lambda _=False, m=report.author: self.reach_out(m)
                )
            card.resolve_button.clicked.connect(lambda _=False, r=rid: self.resolve_report(r))
            self.reports_layout.addWidget(card)
            self.report_cards[rid] = card
        self._show_count()

    def _show_count(self) -> None:
        self.empty_label.setVisible(not self.cards)
        self.review_empty_label.setVisible(not self.review_cards)
        self.reports_empty_label.setVisible(not self.report_cards)

    def reach_out(self, member_id: str) -> None:
        self.reachOutRequested.emit(member_id)
        self.accept()

    # -- care flags -----------------------------------------------------------------------

    @async_slot(str)
    async def resolve(self, flag_id: str) -> None:
        await self._resolve(
            self.cards,
            flag_id,
            lambda note: ResolveFlag(circle=self.circle, flag=flag_id, note=note),
            care.to_resolve_care_flag(),
        )

    async def _resolve(
        self,
        cards: dict[str, CareFlagCard] | dict[str, ReportCard],
        card_id: str,
        command: Callable[[str | None], ResolveFlag | ResolveReport],
        to_resolve: str,
    ) -> None:
        """Resolve a care flag's or a report's card, with the note typed on it (if any):
        the card goes once the engine took it, stays (its button again) if refused."""
        card = cards.get(card_id)
        if card is None:
            return
        card.resolve_button.setEnabled(False)
        self.clear_error()
        try:
            await self.bridge.request(command(card.note_edit.text().strip() or None))
        except Exception as error:
            if still_alive(self):
                card.resolve_button.setEnabled(True)
                self.show_error(failure_message(error, to_resolve))
            return
        if not still_alive(self):
            return
        dropped = cards.pop(card_id, None)
        if dropped is not None:
            dropped.deleteLater()
        self._show_count()

    # -- reports --------------------------------------------------------------------------

    @Slot(str)
    def show_reported(self, report_id: str) -> None:
        """The reported message in the conversation (its place there is found by id: a
        report does not carry the message's log position)."""
        card = self.report_cards.get(report_id)
        if card is None or card.report.message is None:
            return
        self.showRequested.emit(card.report.message, UNKNOWN_PLACE)
        self.accept()

    @async_slot(str)
    async def resolve_report(self, report_id: str) -> None:
        await self._resolve(
            self.report_cards,
            report_id,
            lambda note: ResolveReport(circle=self.circle, report=report_id, note=note),
            care.to_resolve_report(),
        )

    # -- messages hidden pending review ---------------------------------------------------

    def _drop_review(self, message_id: str) -> None:
        card = self.review_cards.pop(message_id, None)
        if card is not None:
            card.deleteLater()
        self._show_count()

    @Slot(str)
    def show_message(self, message_id: str) -> None:
        card = self.review_cards.get(message_id)
        if card is None:
            return
        self.showRequested.emit(message_id, card.review.lamport)
        self.accept()

    @async_slot(str)
    async def restore(self, message_id: str) -> None:
        card = self.review_cards.get(message_id)
        if card is None:
            return
        card.set_acting(True)
        self.clear_error()
        try:
            await self.bridge.request(RestoreMessage(circle=self.circle, message=message_id))
        except Exception as error:
            if still_alive(self):
                if message_id in self.review_cards:
                    card.set_acting(False)
                self.show_error(failure_message(error, safety.to_restore_message()))
            return
        if not still_alive(self):
            return
        self._drop_review(message_id)
        self.restored.emit(message_id)

    def confirm_delete(self, message_id: str) -> ConfirmActionDialog | None:
        """Ask first, as every delete does; the question opens over this list."""
        if message_id not in self.review_cards or self.confirming is not None:
            return None
        self.clear_error()
        # deleting someone else's message, a facilitator may say why (as in the pane)
        author = self.review_cards[message_id].review.author
        mine = bool(self.my_id) and author == self.my_id
        dialog = confirm_delete_message(
            self.bridge, self.circle, message_id, self, with_reason=not mine
        )
        self.confirming = dialog
        dialog.accepted.connect(lambda: self._deleted(message_id))
        dialog.finished.connect(self._confirm_finished)
        dialog.open()  # window-modal over this list, never a nested event loop
        return dialog

    @Slot()
    def _confirm_finished(self) -> None:
        dialog, self.confirming = self.confirming, None
        if dialog is not None:
            dialog.deleteLater()

    def _deleted(self, message_id: str) -> None:
        self._drop_review(message_id)
        self.deleted.emit(message_id)
