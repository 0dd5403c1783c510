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
- Names come from members: set as plain text, never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

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
from peerapp.core.api.usage import CircleUsageView, Cleared, ClearMember, MemberUsageView
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


def former(usage: MemberUsageView) -> bool:
    """Removed or banned: what they stored may be cleared."""
    return not usage.member and (usage.removed or usage.banned)


def member_name(usage: MemberUsageView) -> str:
    return usage.name or conversation.unnamed_member()


def circle_name(usage: CircleUsageView) -> str:
    return usage.name or circles.unnamed_circle()


def largest_first(members: Sequence[MemberUsageView]) -> list[MemberUsageView]:
    return sorted(members, key=lambda m: (-m.total, member_name(m)))


class MemberRow(QWidget):
    """One author: name (and whether they left), size, and for former members the button."""

    def __init__(self, usage: MemberUsageView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.usage = usage
        self.name_label = plain_label(member_name(usage), selectable=False)
        # a wrapping label asks for little room: a name wraps only past NAME_WIDTH
        advance = self.name_label.fontMetrics().horizontalAdvance(member_name(usage))
        self.name_label.setMinimumWidth(min(advance + 2, NAME_WIDTH))
        mark = storage.storage_banned() if usage.banned else storage.storage_removed()
        self.mark_label = plain_label(mark if former(usage) else "", "muted", selectable=False)
        self.mark_label.setWordWrap(False)
        # messages and files together: what clearing them would free
        self.size_label = plain_label(human_size(usage.total), selectable=False)
        self.size_label.setWordWrap(False)
        self.size_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.quota_note = plain_label(storage.storage_quota_note(), "muted", selectable=False)
        self.files_note = plain_label(
            storage.storage_files_part(human_size(usage.files)), "muted", selectable=False
        )
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
        layout.addWidget(self.files_note)
        layout.addWidget(self.quota_note)
        # only once they have a parent: a parentless widget shown opens a window
        self.mark_label.setVisible(former(usage))
        # nothing left of theirs: clearing again would do nothing
        self.clear_button.setVisible(former(usage) and usage.total > 0)
        self.files_note.setVisible(usage.files > 0)
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
        self.usage: Sequence[CircleUsageView] = ()
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
        self.show_usage(result.circles)

    def show_usage(self, usage: Sequence[CircleUsageView]) -> None:
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
        for row, circle in enumerate(sorted(usage, key=lambda c: (-c.total, circle_name(c)))):
            size = plain_label(human_size(circle.total), selectable=False)
            if circle.files:
                size.setToolTip(storage.storage_files_part(human_size(circle.files)))
            size.setWordWrap(False)
            size.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(plain_label(circle_name(circle), selectable=False), row, 0)
            grid.addWidget(size, row, 1)
            self.circle_sizes[circle.circle] = size
        self.list_layout.addWidget(grid_widget)
        shown = next((c for c in usage if c.circle == self.circle), None)
        if shown is not None:
            self._show_members(shown)
        self.list_layout.addStretch(1)
        self.loaded = True

    def _show_members(self, circle: CircleUsageView) -> None:
        self.list_layout.addWidget(
            plain_label(
                storage.storage_member_heading(circle_name(circle)), "subheading", selectable=False
            )
        )
        if circle.member_budget:
            budget = storage.storage_budget(human_size(circle.member_budget, 0))
            self.list_layout.addWidget(plain_label(budget, "muted", selectable=False))
        if not circle.members:
            self.list_layout.addWidget(
                plain_label(storage.storage_nobody(), "muted", selectable=False)
            )
        for usage in largest_first(circle.members):
            row = MemberRow(usage)
            row.clear_button.clicked.connect(
                lambda _=False, u=usage: self.confirm_clear(circle.circle, u)
            )
            self.list_layout.addWidget(row)
            self.rows[usage.id] = row

    def confirm_clear(self, circle: str, member: MemberUsageView) -> ConfirmActionDialog | None:
        """Ask first: it cannot be undone. The question opens over this dialog."""
        if self.confirming is not None or not former(member):
            return None
        self.clear_error()
        dialog = ConfirmActionDialog(
            self.bridge,
            title=storage.clear_member_title(member_name(member)),
            explanation=storage.clear_member_text(member_name(member)),
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

    def _cleared(self, circle: str, member: MemberUsageView, dialog: ConfirmActionDialog) -> None:
        result = dialog.result_data
        cleared = result if isinstance(result, Cleared) else Cleared(messages=0, bytes=0)
        count, size = cleared.messages, cleared.bytes
        self.status_label.setText(
            storage.cleared_member(member_name(member), count, human_size(size))
        )
        self.status_label.show()
        self.cleared.emit(circle, member.id)
        self.load()
