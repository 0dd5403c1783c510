"""A circle's messages as a list model: day separators and messages, in the one order all
members share (by lamport, then id: `order_key`).

Messages are added at the end (a page, or live ones that come last), at the start (older
history), or in their place among those shown (`merge`: a binary search over the rows,
then a row insertion there), so two members always see the same order and a view on this
model never rebuilds for one message. A message already shown (by id) is not added twice;
its delivery state can move on (`update_delivery`) with a change of that row alone. Only
a reload that cannot join what is shown (`replace`) resets the model.

The model also knows how many other members the circle has (`others`), which own
messages' delivery states are counted against, and whether Tor mode's Tor is not ready
(`set_waiting_for_tor`): an own message nobody holds yet is then waiting for Tor (a
note under its bubble) rather than for members.

Notices (quiet notes of what facilitators did) are rows too, placed by the same kind of
key as messages; paging and delivery only ever look at the messages. A deleted message
keeps its row: only its text goes, and a tombstone says who removed it.

How a message shows for this reader (`presentation_of`, pure rules in `presentation`): a
message with a content warning the reader collapses shows only the warning and "Show"; one
hidden pending review (enough members flagged it) shows only that, with "Show anyway"
(and "Restore" for facilitators, `set_reviewer`); once revealed (`set_revealed`, for this
session only) the text shows under a small tag, with "Hide again". A check-in shows as one
compact line. A message whose author signed another version of it (`equivocated`: the
engine keeps both and shows both) carries a small note under its bubble saying so.
Fresher copies of shown messages bring their review state along (`update_delivery`); the
engine's `message_changed` event brings one (`message_changed`), so a row hidden, shown
again, flagged, deleted or found to have a second version changes without a reload.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, overload

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from peerapp.core.content_policy import symbol_of
from peerapp.core.content_warnings import FilterMode
from peerapp.core.events import MessageView
from peerapp.ui import timeline
from peerapp.ui.text import (
    attachments,
    check_ins,
    content,
    conversation,
    moderation,
    network,
    safety,
)
from peerapp.ui.timeline import DayRow, Item, MessageRow, Notice, NoticeRow, Row

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
# above this many messages to put in among those shown, one reset is cheaper than rows
REBUILD_ABOVE = 64

Index = QModelIndex | QPersistentModelIndex
OrderKey = tuple[int, str]


def order_key(item: Item) -> OrderKey:
    """A message's place in the order every member shows (ids are hex of equal length, so
    they compare as the engine compares the bytes); a notice's place among them."""
    if isinstance(item, Notice):
        return (item.lamport, item.order_id)
    return (item.lamport, item.id)


def item_of(row: MessageRow | NoticeRow) -> Item:
    return row.message if isinstance(row, MessageRow) else row.notice


def tombstone(message: MessageView) -> str | None:
    """What shows in place of a deleted message; None while it is not deleted."""
    if not message.deleted:
        return None
    if message.deleted == "author":
        return moderation.deleted_by_author()
    return moderation.removed_by_facilitator()


class Delivery(Enum):
    PENDING = "pending"  # no other member is known to hold it yet
    WAITING = "waiting"  # the same, while Tor is not ready: nobody can be reached yet
    PARTLY = "partly"  # some of the others hold it
    HELD = "held"  # every other member holds it


def delivery_of(
    message: MessageView, others: int, waiting_for_tor: bool = False
) -> Delivery | None:
    """The delivery state of a message; None for others' messages, deleted ones and when
    there is nobody to deliver to. `waiting_for_tor`: Tor mode and Tor not ready, so a
    message nobody holds yet is stored and waits for Tor rather than for members."""
    if not message.mine or others <= 0 or message.deleted or message.earlier_membership:
        return None  # an earlier membership's message: who held it went with that key
    if message.held_by <= 0:
        return Delivery.WAITING if waiting_for_tor else Delivery.PENDING
    return Delivery.HELD if message.held_by >= others else Delivery.PARTLY


def delivery_text(message: MessageView, others: int, waiting_for_tor: bool = False) -> str | None:
    """What the delivery indicator says in words (its tooltip, and to a screen reader)."""
    state = delivery_of(message, others, waiting_for_tor)
    if state is None:
        return None
    if state is Delivery.WAITING:
        return network.delivery_waiting_for_tor()
    if state is Delivery.PENDING:
        return conversation.delivery_pending()
    return conversation.held_by(min(message.held_by, others), others)


class Look(Enum):
    """What kind of bubble a message gets."""

    PLAIN = "plain"  # its text (under tags, if any)
    DELETED = "deleted"  # the tombstone
    CHECK_IN = "check_in"  # one compact line: name, mood dots, mood word, the line
    HIDDEN = "hidden"  # collapsed pending review
    WARNED = "warned"  # collapsed behind its content warning


class Button(Enum):
    """What a button drawn in a bubble does."""

    SHOW = "show"
    HIDE_AGAIN = "hide_again"
    RESTORE = "restore"
    ATTACHMENT = "attachment"  # the message's picture or file: opens its dialog


@dataclass(frozen=True)
class ReactionChip:
    """A reaction under a message's text, drawn as a small button ("symbol count"):
    pressing it toggles our own; hovering names who gave it."""

    reaction: str
    names: tuple[str, ...]
    mine: bool


@dataclass(frozen=True)
class Quote:
    """A reply's quote of the message it answers, drawn above its text; pressing it goes
    to that message."""

    message: str  # the id of the message answered
    text: str  # "Name: its text", or "Message removed"
    removed: bool = False


@dataclass(frozen=True)
class Presentation:
    """How one message shows for this reader now: its look, the main text (the message's,
    a tombstone, or a collapsed label), small tags above it and buttons below it."""

    look: Look
    text: str
    tags: tuple[str, ...] = ()
    buttons: tuple[tuple[Button | ReactionChip, str], ...] = ()
    note: str = ""  # a small line under the bubble ("" for none)
    # a picture's small preview, drawn above the text (issue 15); b"" for none
    picture: bytes = b""
    # drawn blurred: the message has a content warning the reader has not pressed Show on
    blurred: bool = False
    quote: Quote | None = None  # a reply's quote, above its text

    @property
    def collapsed(self) -> bool:
        """Whether only a label shows in place of the text (behind its content warning,
        or hidden pending review)."""
        return self.look in (Look.HIDDEN, Look.WARNED)


def collapses(message: MessageView) -> bool:
    """Whether the message starts collapsed for this reader (until revealed)."""
    if message.deleted:
        return False
    return message.hidden or (bool(message.cw) and message.filter == FilterMode.COLLAPSE.value)


def presentation(
    message: MessageView, revealed: bool, reviewer: bool, delivery: Delivery | None = None
) -> Presentation:
    """How `message` shows: `revealed` when the reader pressed Show on it this session,
    `reviewer` when the reader is one of the circle's facilitators, `delivery` its
    delivery state (`delivery_of`)."""
    shown = _bubble(message, revealed, reviewer)
    if reviewer and message.earlier and shown.look is Look.PLAIN:
        # facilitators read what an edited message said before (reports hold theirs too)
        earlier = [" ".join(version.text.split()) for version in message.earlier]
        shown = dataclasses.replace(shown, note=content.earlier_versions(earlier))
    if message.equivocated and shown.look is not Look.DELETED:
        # whatever else shows, the reader learns there is another version of it
        return dataclasses.replace(shown, note=safety.equivocated_note())
    if delivery is Delivery.WAITING:
        # said in words under the bubble: a clock alone would read as "members are away"
        return dataclasses.replace(shown, note=network.delivery_waiting_for_tor())
    return shown


def _bubble(message: MessageView, revealed: bool, reviewer: bool) -> Presentation:
    removed = tombstone(message)
    if removed is not None:
        return Presentation(Look.DELETED, removed)
    restore = ((Button.RESTORE, safety.restore_message()),) if message.hidden and reviewer else ()
    if message.hidden and not revealed:
        show = (Button.SHOW, safety.show_anyway())
        return Presentation(Look.HIDDEN, safety.hidden_pending_review(), (), (show, *restore))
    if collapses(message) and not revealed:
        label = safety.cw_label(message.cw)
        return Presentation(Look.WARNED, label, (), ((Button.SHOW, safety.cw_show()),))
    if message.mood > 0 and not message.hidden:
        return Presentation(Look.CHECK_IN, message.text, (), _attachment_button(message))
    tags = []
    if message.hidden:
        tags.append(safety.hidden_pending_review())
    if message.cw:
        tags.append(safety.cw_label(message.cw))
    if message.edited:
        tags.append(content.edited_tag())
    text = message.text
    if message.mood > 0:  # a check-in shown anyway: in words, in an ordinary bubble
        text = check_ins.check_in_said(message.author_name, message.mood, message.text)
    hide_again = ((Button.HIDE_AGAIN, safety.cw_hide_again()),) if collapses(message) else ()
    found = message.attachment
    picture = found.thumb if found is not None and not message.hidden else b""
    return Presentation(
        Look.PLAIN,
        text,
        tuple(tags),
        # the chips last: Enter presses a message's first button (Show, Hide again)
        (*_attachment_button(message), *hide_again, *restore, *_chips(message)),
        quote=quote_of(message),
        picture=picture,
        # a warned picture stays blurred until the reader presses Show (even when the
        # filter shows the text): the words chose to be read, the picture not yet
        blurred=bool(message.cw) and not revealed,
    )


def _attachment_button(message: MessageView) -> tuple[tuple[Button, str], ...]:
    """A message's picture or file, as a button in its bubble (issue 15)."""
    found = message.attachment
    if found is None:
        return ()
    return (
        (Button.ATTACHMENT, attachments.bubble_button(found.name, found.mime.startswith("image/"))),
    )


def _chips(message: MessageView) -> tuple[tuple[ReactionChip, str], ...]:
    """The message's reactions as chips: the symbol and how many gave it."""
    return tuple(
        (
            ReactionChip(r.reaction, r.names, r.mine),
            f"{symbol_of(r.reaction)} {len(r.names)}",
        )
        for r in message.reactions
    )


def quote_of(message: MessageView) -> Quote | None:
    """What a reply shows of the message it answers (None when it is no reply)."""
    if not message.reply_to or message.quote is None:
        return None
    quoted = message.quote
    if quoted.removed:
        return Quote(message.reply_to, content.quote_removed(), removed=True)
    # one line: the quote is a pointer to the message, not a copy of it
    line = " ".join(quoted.text.split())
    if quoted.cw:
        line = safety.cw_label(quoted.cw)  # its warning, never its words, in a quote
    return Quote(message.reply_to, content.quote_of(quoted.author_name, line))


_REVIEW_FIELDS = (
    "hidden",
    "flagged",
    "harm_flags",
    "restored",
    "filter",
    "cw",
    "equivocated",
    # replies, reactions and edits (issue 15): an edit changes the text, a reaction the chips
    "text",
    "quote",
    "reactions",
    "edited",
    "earlier",
)


def review_state(message: MessageView) -> dict[str, Any]:
    """What may change about a message already shown, besides its delivery (a second
    version of it arriving marks it `equivocated`)."""
    return {name: getattr(message, name) for name in _REVIEW_FIELDS}


class _RowKeys(Sequence[tuple[OrderKey, int]]):
    """The rows as sort keys, for bisect: a message row sorts by its message; a day row
    (always followed by a message row) just before the message that follows it."""

    def __init__(self, rows: list[Row]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, number: int) -> tuple[OrderKey, int]: ...
    @overload
    def __getitem__(self, number: slice) -> Sequence[tuple[OrderKey, int]]: ...
    def __getitem__(
        self, number: int | slice
    ) -> tuple[OrderKey, int] | Sequence[tuple[OrderKey, int]]:
        if isinstance(number, slice):
            raise TypeError("row keys are read one at a time")
        row = self._rows[number]
        if isinstance(row, DayRow):
            following = self._rows[number + 1]
            assert not isinstance(following, DayRow)
            return (order_key(item_of(following)), 0)
        return (order_key(item_of(row)), 1)


class MessageModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._ids: set[str] = set()
        self._others = 0
        self._waiting_for_tor = False
        self._revealed: set[str] = set()  # collapsed messages the reader chose to see
        self._reviewer = False

    # -- reading ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            shown = self.presentation_of(row.message) if isinstance(row, MessageRow) else None
            return describe(row, date.today(), self._others, shown)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and isinstance(self._rows[index.row()], MessageRow):
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled

    def row(self, number: int) -> Row:
        return self._rows[number]

    def messages(self) -> list[MessageView]:
        return [row.message for row in self._rows if isinstance(row, MessageRow)]

    def notices(self) -> list[Notice]:
        return [row.notice for row in self._rows if isinstance(row, NoticeRow)]

    def items(self) -> list[Item]:
        return [item_of(row) for row in self._rows if not isinstance(row, DayRow)]

    def last_item(self) -> Item | None:
        return next((item_of(r) for r in reversed(self._rows) if not isinstance(r, DayRow)), None)

    def first_message(self) -> MessageView | None:
        return next((r.message for r in self._rows if isinstance(r, MessageRow)), None)

    def last_message(self) -> MessageView | None:
        return next((r.message for r in reversed(self._rows) if isinstance(r, MessageRow)), None)

    def __contains__(self, message_id: object) -> bool:
        return message_id in self._ids

    def message(self, message_id: str) -> MessageView | None:
        number = self.row_of(message_id)
        if number is None:
            return None
        row = self._rows[number]
        return row.message if isinstance(row, MessageRow) else None

    def row_of(self, message_id: str) -> int | None:
        """The row showing a message or a notice (a linear scan: for one-off look-ups)."""
        if message_id not in self._ids:
            return None
        for number, row in enumerate(self._rows):
            if not isinstance(row, DayRow) and item_of(row).id == message_id:
                return number
        return None

    # -- collapsed messages -------------------------------------------------------------

    def presentation_of(self, message: MessageView) -> Presentation:
        delivery = delivery_of(message, self._others, self._waiting_for_tor)
        return presentation(message, message.id in self._revealed, self._reviewer, delivery)

    def is_revealed(self, message_id: str) -> bool:
        return message_id in self._revealed

    def set_revealed(self, message_id: str, revealed: bool) -> bool:
        """Show (or collapse again) a collapsed message, for this session; False when
        nothing changed."""
        if revealed == (message_id in self._revealed):
            return False
        if revealed:
            self._revealed.add(message_id)
        else:
            self._revealed.discard(message_id)
        self._relayout(self.row_of(message_id))
        return True

    def set_reviewer(self, reviewer: bool) -> None:
        """Whether the reader facilitates the circle (hidden messages offer "Restore")."""
        if reviewer == self._reviewer:
            return
        self._reviewer = reviewer
        self.layoutAboutToBeChanged.emit()
        self.layoutChanged.emit()

    def _relayout(self, number: int | None) -> None:
        """A row's bubble changes size: the view lays its rows out again."""
        if number is None:
            return
        self.layoutAboutToBeChanged.emit()
        self.layoutChanged.emit()
        changed = self.index(number)
        self.dataChanged.emit(changed, changed)

    # -- delivery -----------------------------------------------------------------------

    @property
    def others(self) -> int:
        """How many other members the circle has: what "held by N of M" counts against."""
        return self._others

    def set_others(self, others: int) -> None:
        others = max(others, 0)
        if others == self._others:
            return
        self._others = others
        # the indicator's room depends on it, so own bubbles may change size
        self.layoutAboutToBeChanged.emit()
        self.layoutChanged.emit()

    @property
    def waiting_for_tor(self) -> bool:
        return self._waiting_for_tor

    def set_waiting_for_tor(self, waiting: bool) -> None:
        """Whether Tor mode's Tor is not ready: own messages nobody holds yet then show
        "Waiting for Tor…" (a note under their bubble, so rows may change size)."""
        if waiting == self._waiting_for_tor:
            return
        self._waiting_for_tor = waiting
        self.layoutAboutToBeChanged.emit()
        self.layoutChanged.emit()

    def delivery_text(self, message_id: str) -> str | None:
        message = self.message(message_id)
        if message is None:
            return None
        return delivery_text(message, self._others, self._waiting_for_tor)

    def awaiting_delivery(self) -> bool:
        """Whether some own message shown is not yet held by every other member."""
        return self._others > 0 and any(
            delivery_of(row.message, self._others) not in (None, Delivery.HELD)
            for row in self._rows
            if isinstance(row, MessageRow)
        )

    def update_delivery(self, batch: Iterable[Item]) -> int:
        """Take the delivery states of own messages already shown from `batch` (fresher
        copies from the engine), whether messages were deleted meanwhile, and their review
        state (hidden pending review, flagged, a cw filter changed); returns how many rows
        changed. Only a deletion or a change of review state re-lays rows out."""
        fresher = {m.id: m for m in batch if isinstance(m, MessageView) and m.id in self._ids}
        changed = 0
        for number, row in enumerate(self._rows):
            if not isinstance(row, MessageRow) or row.message.id not in fresher:
                continue
            new = fresher[row.message.id]
            if new.deleted and not row.message.deleted:
                self.mark_deleted(new.id, new.deleted)
                changed += 1
            elif not row.message.deleted and review_state(new) != review_state(row.message):
                message = dataclasses.replace(row.message, **review_state(new))
                self._rows[number] = MessageRow(message, row.starts_group)
                self._relayout(number)
                changed += 1
            elif row.message.mine and new.held_by != row.message.held_by:
                self._set_held_by(number, row, new.held_by)
                changed += 1
        return changed

    def message_changed(self, message: MessageView) -> bool:
        """A shown message's new view (the engine's message_changed event: hidden or shown
        again, flagged, deleted, a second version found): that row alone changes. False
        when it is not shown, or nothing shown of it changed."""
        return self.update_delivery([message]) > 0

    def set_held_by(self, held_by: Mapping[str, int]) -> int:
        """How many other members hold these own messages (the engine's delivery_changed
        event, by id); returns how many rows changed."""
        changed = 0
        for number, row in enumerate(self._rows):
            if not isinstance(row, MessageRow) or not row.message.mine:
                continue
            count = held_by.get(row.message.id)
            if count is not None and count != row.message.held_by:
                self._set_held_by(number, row, count)
                changed += 1
        return changed

    def _set_held_by(self, number: int, row: MessageRow, held_by: int) -> None:
        message = dataclasses.replace(row.message, held_by=held_by)
        self._rows[number] = MessageRow(message, row.starts_group)
        if self._waiting_for_tor:  # its "Waiting for Tor…" note may go
            self._relayout(number)
        else:
            changed_index = self.index(number)
            self.dataChanged.emit(changed_index, changed_index)

    def mark_deleted(self, message_id: str, by: str) -> bool:
        """Show a message as deleted (`by`: "author" or "facilitator"): its text goes, a
        tombstone takes its place. False when it is not shown or already deleted."""
        number = self.row_of(message_id)
        if number is None:
            return False
        row = self._rows[number]
        if not isinstance(row, MessageRow) or row.message.deleted:
            return False
        erased = dataclasses.replace(row.message, text="", deleted=by or "facilitator")
        self._rows[number] = MessageRow(erased, row.starts_group)
        self._relayout(number)
        return True

    # -- adding -------------------------------------------------------------------------

    def append(self, batch: Iterable[Item]) -> int:
        """Add messages (and notices) after the last one; returns how many were new."""
        new = self._unseen(batch)
        if not new:
            return 0
        rows = timeline.rows_for(new, self.last_item())
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._ids.update(message.id for message in new)
        self.endInsertRows()
        return len(new)

    def merge(self, batch: Iterable[Item]) -> int:
        """Put messages in their place in the shared order, wherever that is among those
        shown; returns how many were new. Fresher delivery states of shown ones are taken.

        Those after the last one go in with one row insertion; each of the others with a
        binary search and an insertion of its own (or, when there are very many, one reset).
        """
        batch = list(batch)
        self.update_delivery(batch)
        new = sorted(self._unseen(batch), key=order_key)
        if not new:
            return 0
        last = self.last_item()
        split = 0
        if last is not None:
            last_key = order_key(last)
            split = bisect.bisect_right([order_key(m) for m in new], last_key)
        inside, after = new[:split], new[split:]
        if len(inside) > REBUILD_ABOVE:
            self.replace(sorted([*self.items(), *new], key=order_key))
            return len(new)
        for message in inside:
            self._insert_one(message)
        self.append(after)
        return len(new)

    def replace(self, batch: Iterable[Item]) -> None:
        """Show exactly `batch` (in the shared order already): one reset."""
        new = self._unseen_in(batch, set())
        self.beginResetModel()
        self._rows = timeline.rows_for(new, None)
        self._ids = {message.id for message in new}
        self.endResetModel()

    def _insert_one(self, message: Item) -> None:
        """Insert one message (or notice) that sorts before the last one shown, at its
        place."""
        rows = self._rows
        position = bisect.bisect_left(_RowKeys(rows), (order_key(message), 0))
        previous_row = rows[position - 1] if position > 0 else None
        previous = None
        if previous_row is not None and not isinstance(previous_row, DayRow):
            previous = item_of(previous_row)
        if position == len(rows):
            self._splice(position, [], timeline.rows_for([message], previous))
            self._ids.add(message.id)
            return
        following_at = position if not isinstance(rows[position], DayRow) else position + 1
        following = rows[following_at]
        assert not isinstance(following, DayRow)
        wanted = timeline.rows_for([message, item_of(following)], previous)
        # only the rows between the previous message and the following one change, and
        # whether the following one starts a group
        self._splice(position, rows[position:following_at], wanted[:-1])
        self._ids.add(message.id)
        following_at = position + len(wanted) - 1
        restarted = wanted[-1]
        if rows[following_at] != restarted:
            rows[following_at] = restarted
            changed = self.index(following_at)
            self.dataChanged.emit(changed, changed)

    def _splice(self, start: int, old: list[Row], new: list[Row]) -> None:
        """Replace `old` (the rows from `start`) by `new`, removing and inserting only the
        rows that differ."""
        old, new = list(old), list(new)
        while old and new and old[0] == new[0]:
            old.pop(0)
            new.pop(0)
            start += 1
        while old and new and old[-1] == new[-1]:
            old.pop()
            new.pop()
        if old:
            self.beginRemoveRows(QModelIndex(), start, start + len(old) - 1)
            del self._rows[start : start + len(old)]
            self.endRemoveRows()
        if new:
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            self._rows[start:start] = new
            self.endInsertRows()

    def remove(self, item_id: str) -> bool:
        """Take a notice (or a message) out (the "new messages" divider moving on): its
        row, and its day's separator if nothing else is left of that day; the row after
        it may start a group again. False when it is not shown."""
        number = self.row_of(item_id)
        if number is None:
            return False
        rows = self._rows
        start, end = number, number + 1
        alone = start > 0 and isinstance(rows[start - 1], DayRow)
        if alone and (end == len(rows) or isinstance(rows[end], DayRow)):
            start -= 1
        self.beginRemoveRows(QModelIndex(), start, end - 1)
        del rows[start:end]
        self._ids.discard(item_id)
        self.endRemoveRows()
        following = rows[start] if start < len(rows) else None
        if isinstance(following, MessageRow):
            before = rows[start - 1] if start > 0 else None
            previous = None if before is None or isinstance(before, DayRow) else item_of(before)
            starts = not timeline.continues(previous, following.message)
            if starts != following.starts_group:
                rows[start] = MessageRow(following.message, starts)
                changed = self.index(start)
                self.dataChanged.emit(changed, changed)
        return True

    def prepend(self, batch: Iterable[Item]) -> int:
        """Add older messages (and notices) before the first one; returns how many were
        new."""
        new = self._unseen(batch)
        if not new:
            return 0
        self._join_with_older(new[-1])
        rows = timeline.rows_for(new, None)
        self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
        self._rows[0:0] = rows
        self._ids.update(message.id for message in new)
        self.endInsertRows()
        return len(new)

    def _join_with_older(self, older: Item) -> None:
        """Fix the current top rows for `older` coming right before them."""
        if len(self._rows) < 2 or not isinstance(self._rows[0], DayRow):
            return
        top = self._rows[1]
        if isinstance(top, DayRow):
            return
        position = 1
        if timeline.day_of(older.ts) == self._rows[0].day:
            # the same day goes on: its separator moves up with the older messages
            self.beginRemoveRows(QModelIndex(), 0, 0)
            del self._rows[0]
            self.endRemoveRows()
            position = 0
        if not isinstance(top, MessageRow):
            return
        starts_group = not timeline.continues(older, top.message)
        if starts_group != top.starts_group:
            self._rows[position] = MessageRow(top.message, starts_group)
            changed = self.index(position)
            self.dataChanged.emit(changed, changed)

    def _unseen(self, batch: Iterable[Item]) -> list[Item]:
        return self._unseen_in(batch, self._ids)

    @staticmethod
    def _unseen_in(batch: Iterable[Item], seen: set[str]) -> list[Item]:
        fresh: dict[str, Item] = {}
        for message in batch:
            if message.id not in seen:
                fresh.setdefault(message.id, message)
        return list(fresh.values())


def describe(row: Row, today: date, others: int = 0, shown: Presentation | None = None) -> str:
    """What a screen reader (and a copy of the row) says; `shown`: how the message shows
    (by default as it would with nothing revealed)."""
    if isinstance(row, DayRow):
        return timeline.day_label(row.day, today)
    if isinstance(row, NoticeRow):
        return f"{timeline.clock(row.notice.ts)}: {row.notice.text}"
    message = row.message
    if shown is None:
        shown = presentation(message, revealed=False, reviewer=False)
    if shown.look is Look.CHECK_IN:
        text = check_ins.check_in_said(message.author_name, message.mood, message.text)
        note = f". {shown.note}" if shown.note else ""
        return f"{timeline.clock(message.ts)}: {text}{note}"
    if shown.collapsed:
        text = f"{shown.text} ({safety.cw_collapsed_hint()})"
    else:
        text = ". ".join((*shown.tags, shown.text))
    if shown.quote is not None:
        text = f"{shown.quote.text}. {text}"
    if message.reactions and not shown.collapsed:
        given = sum(len(r.names) for r in message.reactions)
        text = f"{text}. {content.reactions_said(given)}"
    if shown.note:
        text = f"{text}. {shown.note}"
    said = f"{message.author_name}, {timeline.clock(message.ts)}: {text}"
    delivery = delivery_text(message, others)
    return said if delivery is None else f"{said} ({delivery})"
