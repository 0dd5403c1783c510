"""A facilitator's list of open care flags in one circle (the engine's `flags`): who is
worried about whom (or who asked for support), their note, and the message they pointed
at, if any, each with "Mark resolved" (`resolve_flag`).

Rules:
- Only open flags are listed, newest first (the engine's order). Resolving one takes it
  off the list; resolving is this facilitator's own bookkeeping (others keep theirs).
- Everything shown comes from other members: set as plain text, never read as markup.
- `changed` fires after a load or a resolve with the number of open flags, for badges.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from peerapp.ui import messages, style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.form_dialog import FormDialog, failure_message

LIST_SIZE = (520, 320)
EXCERPT_CHARS = 400


@dataclass(frozen=True, repr=False)
class CareFlag:
    id: str
    member: str
    member_name: str
    message: str | None
    message_text: str
    note: str
    sender: str
    sender_name: str
    received_at: int
    resolved: bool

    @property
    def about_themselves(self) -> bool:
        return self.member == self.sender

    def __repr__(self) -> str:  # keeps notes and names out of logs and failure reports
        return f"CareFlag({self.id[:8]})"


def care_flags_from(rows: Sequence[Any]) -> list[CareFlag]:
    """The engine's `flags` rows as CareFlags, skipping any that are malformed."""
    flags = []
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        try:
            message = row.get("message")
            flags.append(
                CareFlag(
                    id=str(row["id"]),
                    member=str(row["member"]),
                    member_name=str(row.get("member_name") or messages.UNNAMED_MEMBER),
                    message=message if isinstance(message, str) and message else None,
                    message_text=str(row.get("message_text") or ""),
                    note=str(row.get("note") or ""),
                    sender=str(row["from"]),
                    sender_name=str(row.get("from_name") or messages.UNNAMED_MEMBER),
                    received_at=int(row.get("received_at") or 0),
                    resolved=row.get("resolved") is True,
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return flags


def open_flags(flags: Sequence[CareFlag]) -> list[CareFlag]:
    return [flag for flag in flags if not flag.resolved]


def _plain(text: str, role: str | None = None) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role is not None:
        style.set_role(label, role)
    return label


class CareFlagCard(QFrame):
    """One open flag: what it is about, when, the note, the message, and the button."""

    def __init__(self, flag: CareFlag, now_ms: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("careFlagCard")
        self.flag = flag
        self.summary = _plain(
            messages.care_flag_summary(flag.member_name, flag.sender_name, flag.about_themselves),
            "subheading",
        )
        self.when = _plain(messages.flagged_ago((now_ms - flag.received_at) / 1000), "muted")
        self.note = _plain(flag.note or messages.CARE_FLAG_NO_NOTE)
        if not flag.note:
            style.set_role(self.note, "muted")
        self.resolve_button = QPushButton(messages.MARK_RESOLVED)
        self.resolve_button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        layout.addWidget(self.summary)
        layout.addWidget(self.when)
        layout.addWidget(self.note)
        self.excerpt: QLabel | None = None
        if flag.message is not None:
            text = " ".join(flag.message_text.split())
            if len(text) > EXCERPT_CHARS:
                text = text[: EXCERPT_CHARS - 1].rstrip() + "…"
            layout.addWidget(_plain(messages.CARE_FLAG_MESSAGE_HEADING, "muted"))
            self.excerpt = _plain(f"“{text}”")
            layout.addWidget(self.excerpt)
        layout.addWidget(self.resolve_button, 0, Qt.AlignmentFlag.AlignRight)


class CareFlagsDialog(FormDialog):
    changed = Signal(int)  # open flags now

    def __init__(self, bridge: EngineBridge, circle: str, parent: QWidget | None = None) -> None:
        super().__init__(
            title=messages.CARE_FLAGS_TITLE,
            heading=messages.CARE_FLAGS_TITLE,
            explanation=messages.CARE_FLAGS_TEXT,
            primary_text=messages.CARE_FLAGS_CLOSE,
            parent=parent,
        )
        self.bridge = bridge
        self.circle = circle
        self.flags: list[CareFlag] = []
        self.cards: dict[str, CareFlagCard] = {}
        self.loaded = False
        self.list_widget = QWidget()
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(8)
        self.list_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("careFlags")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.list_widget)
        self.scroll_area.setMinimumSize(*LIST_SIZE)
        self.empty_label = QLabel(messages.CARE_FLAGS_EMPTY)
        style.set_role(self.empty_label, "muted")
        self.empty_label.hide()
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        layout.addWidget(self.empty_label)
        self.secondary_button.hide()
        self.primary_button.clicked.connect(self.accept)
        self.set_submittable(True)

    @async_slot()
    async def load(self) -> None:
        self.set_busy(messages.CARE_FLAGS_LOADING)
        try:
            result = await self.bridge.call("flags", circle=self.circle)
        except Exception as error:
            if still_alive(self):
                self.set_idle()
                self.show_error(failure_message(error, messages.TO_READ_CARE_FLAGS))
            return
        if not still_alive(self):
            return
        self.set_idle()
        self.show_flags(open_flags(care_flags_from(result.get("flags", []))))

    def show_flags(self, flags: list[CareFlag]) -> None:
        for card in self.cards.values():
            card.deleteLater()
        self.cards = {}
        self.flags = flags
        now = int(time.time() * 1000)
        for flag in flags:
            card = CareFlagCard(flag, now)
            card.resolve_button.clicked.connect(lambda _=False, f=flag.id: self.resolve(f))
            self.list_layout.insertWidget(self.list_layout.count() - 1, card)
            self.cards[flag.id] = card
        self._show_count()
        self.loaded = True

    def _show_count(self) -> None:
        self.empty_label.setVisible(not self.flags)
        self.scroll_area.setVisible(bool(self.flags))
        self.changed.emit(len(self.flags))

    @async_slot(str)
    async def resolve(self, flag_id: str) -> None:
        card = self.cards.get(flag_id)
        if card is None:
            return
        card.resolve_button.setEnabled(False)
        self.clear_error()
        try:
            await self.bridge.call("resolve_flag", circle=self.circle, flag=flag_id)
        except Exception as error:
            if still_alive(self):
                card.resolve_button.setEnabled(True)
                self.show_error(failure_message(error, messages.TO_RESOLVE_CARE_FLAG))
            return
        if not still_alive(self):
            return
        self.flags = [flag for flag in self.flags if flag.id != flag_id]
        self.cards.pop(flag_id).deleteLater()
        self._show_count()
