""" "Storage": what each circle takes on this computer (the engine's `circle_usage`), and
clearing what a removed or banned member stored (`clear_member`).

Rules:
- Every circle we are in: its name and size, in human units ("2.4 MB"). The circle the
  dialog was opened for (the one in view) also lists who stored what, largest first,
  with former members marked "removed" or "banned", and the budget each member has.
- Only former members get "Clear what they stored…": a current member's messages are the
  circle's conversation (the engine refuses them too). Clearing asks first: the messages
  are erased on this computer only, the rows stay, it cannot be undone. Once cleared, the
  sizes are read again and the status line says what was freed.
- A member a quota refused (`refused` > 0) gets a quiet note, not an alarm.
- Names come from members: set as plain text, never read as markup. A malformed row
  from the engine is skipped, never raised.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.api.usage import CircleUsage as UsageOf
from peerapp.core.api.usage import Cleared, ClearMember
from peerapp.ui.async_slot import async_slot
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.confirm_action import ConfirmActionDialog
from peerapp.ui.dialogs.form_dialog import FormDialog, read_latest
from peerapp.ui.text import circles, common, conversation, storage
from peerapp.ui.widgets.plain_label import plain_label
from peerapp.ui.widgets.scroll_list import scroll_list

LIST_SIZE = (520, 300)
NAME_WIDTH = 200


def human_size(size: int, decimals: int = 1) -> str:
    """Bytes as people read them ("2.4 MB"), Qt's own wording for the current locale."""
    return QLocale().formattedDataSize(
        max(size, 0), decimals, QLocale.DataSizeFormat.DataSizeTraditionalFormat
    )


@dataclass(frozen=True, repr=False)
class MemberUsage:
    id: str
    name: str
    member: bool  # still in the circle
    removed: bool
    banned: bool
    bytes: int
    refused: int  # their events a quota refused since the engine started

    @property
    def former(self) -> bool:
        return not self.member and (self.removed or self.banned)

    def __repr__(self) -> str:  # keeps names out of logs and failure reports
        return f"MemberUsage({self.id[:8]})"


@dataclass(frozen=True, repr=False)
class CircleUsage:
    id: str
    name: str
    bytes: int
    member_budget: int
    members: tuple[MemberUsage, ...]

    def __repr__(self) -> str:
        return f"CircleUsage({self.id[:8]})"


def _whole(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _member(row: Mapping[str, object]) -> MemberUsage | None:
    key = row.get("id")
    if not isinstance(key, str) or not key:
        return None
    name = row.get("name")
    return MemberUsage(
        id=key,
        name=name if isinstance(name, str) and name else conversation.unnamed_member(),
        member=row.get("member") is True,
        removed=row.get("removed") is True,
        banned=row.get("banned") is True,
        bytes=_whole(row.get("bytes")),
        refused=_whole(row.get("refused")),
    )


def usage_from(rows: object) -> list[CircleUsage]:
    """The engine's `circle_usage` circles, skipping malformed rows; members largest first."""
    if not isinstance(rows, Sequence) or isinstance(rows, str):
        return []
    found = []
    for row in rows:
        if not isinstance(row, Mapping) or not isinstance(row.get("circle"), str):
            continue
        name = row.get("name")
        members_rows = row.get("members")
        if not isinstance(members_rows, Sequence) or isinstance(members_rows, str):
            members_rows = ()
        members = [m for m in (_member(r) for r in members_rows if isinstance(r, Mapping)) if m]
        members.sort(key=lambda m: (-m.bytes, m.name))
        found.append(
            CircleUsage(
                id=str(row["circle"]),
                name=name if isinstance(name, str) and name else circles.unnamed_circle(),
                bytes=_whole(row.get("bytes")),
                member_budget=_whole(row.get("member_budget")),
                members=tuple(members),
            )
        )
    return found


class MemberRow(QWidget):
    """One author: name (and whether they left), size, and for former members the button."""

    def __init__(self, usage: MemberUsage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.usage = usage
        self.name_label = plain_label(usage.name, selectable=False)
        # a wrapping label asks for little room: a name wraps only past NAME_WIDTH
        advance = self.name_label.fontMetrics().horizontalAdvance(usage.name)
        self.name_label.setMinimumWidth(min(advance + 2, NAME_WIDTH))
        mark = storage.storage_banned() if usage.banned else storage.storage_removed()
        self.mark_label = plain_label(mark if usage.former else "", "muted", selectable=False)
        self.mark_label.setWordWrap(False)
        self.size_label = plain_label(human_size(usage.bytes), selectable=False)
        self.size_label.setWordWrap(False)
        self.size_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.quota_note = plain_label(storage.storage_quota_note(), "muted", selectable=False)
        self.clear_button = QPushButton(storage.clear_member_button())
        self.clear_button.setAutoDefault(False)
        line = QHBoxLayout()
        line.setSpacing(8)
        # the name and its mark take the room left, so a long name wraps only when it must
        who = QHBoxLayout()
        who.setSpacing(8)
        who.addWidget(self.name_label)
        who.addWidget(self.mark_label)
        who.addStretch(1)
        line.addLayout(who, 1)
        line.addWidget(self.size_label)
        line.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        layout.addLayout(line)
        layout.addWidget(self.quota_note)
        # only once they have a parent: a parentless widget shown opens a window
        self.mark_label.setVisible(usage.former)
        # nothing left of theirs: clearing again would do nothing
        self.clear_button.setVisible(usage.former and usage.bytes > 0)
        self.quota_note.setVisible(usage.refused > 0)


class StorageDialog(FormDialog):
    cleared = Signal(str, str)  # circle id, member id: what they stored was erased

    def __init__(
        self, bridge: EngineBridge, circle: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            title=storage.storage_title(),
            heading=storage.storage_title(),
            explanation=storage.storage_text(),
            primary_text=common.close(),
            parent=parent,
        )
        self.bridge = bridge
        self.circle = circle  # the circle whose members are listed (the one in view)
        self.usage: list[CircleUsage] = []
        self.rows: dict[str, MemberRow] = {}
        self.circle_sizes: dict[str, QLabel] = {}
        self.confirming: ConfirmActionDialog | None = None

        listing = scroll_list(
            "storage", LIST_SIZE, spacing=12, right_margin=8, see_through=True, frameless=True
        )
        self.scroll_area, self.list_widget, self.list_layout = (
            listing.area,
            listing.widget,
            listing.layout,
        )
        # what the last clearing freed; stays until the next one
        self.status_label = plain_label("", "muted", selectable=False)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        layout.addWidget(self.status_label)
        self.status_label.hide()
        self.secondary_button.hide()
        self.primary_button.clicked.connect(self.accept)
        self.set_submittable(True)

    @async_slot()
    async def load(self) -> None:
        result = await read_latest(
            self,
            storage.storage_loading(),
            storage.to_read_storage(),
            lambda: self.bridge.request(UsageOf()),
        )
        if result is None:
            return
        self.show_usage(usage_from(result.circles))

    def show_usage(self, usage: list[CircleUsage]) -> None:
        while (item := self.list_layout.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        self.usage = usage
        self.rows = {}
        self.circle_sizes = {}
        self.list_layout.addWidget(
            plain_label(storage.storage_circles(), "subheading", selectable=False)
        )
        if not usage:
            self.list_layout.addWidget(
                plain_label(storage.storage_no_circles(), "muted", selectable=False)
            )
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setColumnStretch(0, 1)
        for row, circle in enumerate(sorted(usage, key=lambda c: (-c.bytes, c.name))):
            size = plain_label(human_size(circle.bytes), selectable=False)
            size.setWordWrap(False)
            size.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(plain_label(circle.name, selectable=False), row, 0)
            grid.addWidget(size, row, 1)
            self.circle_sizes[circle.id] = size
        self.list_layout.addWidget(grid_widget)
        shown = next((c for c in usage if c.id == self.circle), None)
        if shown is not None:
            self._show_members(shown)
        self.list_layout.addStretch(1)
        self.loaded = True

    def _show_members(self, circle: CircleUsage) -> None:
        self.list_layout.addWidget(
            plain_label(storage.storage_member_heading(circle.name), "subheading", selectable=False)
        )
        if circle.member_budget:
            budget = storage.storage_budget(human_size(circle.member_budget, 0))
            self.list_layout.addWidget(plain_label(budget, "muted", selectable=False))
        if not circle.members:
            self.list_layout.addWidget(
                plain_label(storage.storage_nobody(), "muted", selectable=False)
            )
        for usage in circle.members:
            row = MemberRow(usage)
            row.clear_button.clicked.connect(
                lambda _=False, u=usage: self.confirm_clear(circle.id, u)
            )
            self.list_layout.addWidget(row)
            self.rows[usage.id] = row

    def confirm_clear(self, circle: str, member: MemberUsage) -> ConfirmActionDialog | None:
        """Ask first: it cannot be undone. The question opens over this dialog."""
        if self.confirming is not None or not member.former:
            return None
        self.clear_error()
        dialog = ConfirmActionDialog(
            self.bridge,
            title=storage.clear_member_title(member.name),
            explanation=storage.clear_member_text(member.name),
            confirm_text=storage.clear_member_confirm(),
            command=lambda: self.bridge.request(ClearMember(circle=circle, member=member.id)),
            busy_text=storage.clearing_member(),
            what=storage.to_clear_member(),
            parent=self,
        )
        self.confirming = dialog
        dialog.accepted.connect(lambda: self._cleared(circle, member, dialog))
        dialog.finished.connect(self._confirm_finished)
        dialog.open()  # window-modal over this dialog, never a nested event loop
        return dialog

    def _confirm_finished(self) -> None:
        dialog, self.confirming = self.confirming, None
        if dialog is not None:
            dialog.deleteLater()

    def _cleared(self, circle: str, member: MemberUsage, dialog: ConfirmActionDialog) -> None:
        result = dialog.result_data
        cleared = result if isinstance(result, Cleared) else Cleared(messages=0, bytes=0)
        count, size = cleared.messages, cleared.bytes
        self.status_label.setText(storage.cleared_member(member.name, count, human_size(size)))
        self.status_label.show()
        self.cleared.emit(circle, member.id)
        self.load()
