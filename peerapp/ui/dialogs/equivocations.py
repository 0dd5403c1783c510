"""A facilitator's "Conflicting versions" list for one circle (the engine's
`equivocations`): each time a member's app signed two (or more) different events under
one number, every version side by side, so a facilitator can compare them and delete a
message version that should not stand.

Rules:
- The engine keeps every version and shows every message version in the conversation,
  marked; nothing here decides which one is "real". A facilitator compares and may
  delete a message version ("Delete this version": the ordinary `delete_message` with
  that version's id, asked first as every delete is). The others stay.
- A version shows its text (a message's), when it was signed, and what became of it:
  deleted, or refused by the circle's rules (then it never showed). A version that is
  not a message shows what kind of event it is, without a button.
- Only facilitators may read the list (the engine refuses others; the refusal shows).
- Everything shown comes from a member: set as plain text, never read as markup.
- `deleted` fires with the message id once a version was deleted; the list then reads
  itself again.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.api.moderation import Equivocations, EquivocationView, VersionView
from peerapp.core.circle_events import EventType
from peerapp.ui import style, timeline
from peerapp.ui.async_slot import async_slot
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.confirm_action import ConfirmActionDialog, confirm_delete_message
from peerapp.ui.dialogs.form_dialog import FormDialog, read_latest
from peerapp.ui.text import common, conversation, moderation, versions
from peerapp.ui.widgets.plain_label import plain_label
from peerapp.ui.widgets.scroll_list import scroll_list

LIST_SIZE = (600, 360)


def is_message(version: VersionView) -> bool:
    return version.type == EventType.MESSAGE.value


class VersionColumn(QFrame):
    """One version: which, when, its text (or what kind of event), and the button."""

    def __init__(self, number: int, version: VersionView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("versionCard")
        self.version = version
        when = moderation.log_when(timeline.local_time(version.ts))
        self.heading = plain_label(versions.version_heading(number, when), "subheading")
        if not is_message(version):
            self.text = plain_label(versions.version_not_a_message(version.type), "muted")
        elif version.deleted:
            self.text = plain_label(versions.version_deleted(), "muted")
        else:
            self.text = plain_label(version.text or versions.version_empty_text())
        # a version the circle's rules refused never showed to anyone
        self.refused = plain_label(versions.version_refused(), "muted")
        self.delete_button = QPushButton(versions.delete_this_version())
        self.delete_button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.text)
        layout.addWidget(self.refused)
        layout.addStretch(1)
        layout.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignRight)
        # only once they have a parent: a parentless widget shown opens a window
        self.refused.setVisible(not version.accepted)
        self.delete_button.setVisible(is_message(version) and not version.deleted)


class EquivocationCard(QFrame):
    """Who signed the versions, and the versions side by side."""

    def __init__(self, item: EquivocationView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.summary = plain_label(
            versions.equivocation_summary(
                item.author_name or conversation.unnamed_member(), len(item.versions)
            ),
            "subheading",
        )
        self.columns = [
            VersionColumn(number, version) for number, version in enumerate(item.versions, start=1)
        ]
        side_by_side = QHBoxLayout()
        side_by_side.setSpacing(8)
        for column in self.columns:
            side_by_side.addWidget(column, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.summary)
        layout.addLayout(side_by_side)


class EquivocationsDialog(FormDialog):
    deleted = Signal(str)  # message id: a version deleted for everyone

    def __init__(
        self, bridge: EngineBridge, circle: str, parent: QWidget | None = None, my_id: str = ""
    ) -> None:
        super().__init__(
            title=versions.equivocations_title(),
            heading=versions.equivocations_title(),
            explanation=versions.equivocations_text(),
            primary_text=common.close(),
            parent=parent,
        )
        self.bridge = bridge
        self.circle = circle
        self.my_id = my_id  # whose versions are our own: deleting those asks no reason
        self.cards: list[EquivocationCard] = []
        self.confirming: ConfirmActionDialog | None = None  # "Delete this message?"

        listing = scroll_list("equivocations", LIST_SIZE, spacing=16, see_through=True)
        self.scroll_area, self.list_widget, self.list_layout = (
            listing.area,
            listing.widget,
            listing.layout,
        )
        self.empty_label = QLabel(versions.equivocations_empty())
        style.set_role(self.empty_label, "muted")
        self.list_layout.addWidget(self.empty_label)
        self.list_layout.addStretch(1)
        self.empty_label.hide()
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self.secondary_button.hide()
        self.primary_button.clicked.connect(self.accept)
        self.set_submittable(True)

    @property
    def equivocations(self) -> list[EquivocationView]:
        return [card.item for card in self.cards]

    def columns(self) -> list[VersionColumn]:
        return [column for card in self.cards for column in card.columns]

    @async_slot()
    async def load(self) -> None:
        result = await read_latest(
            self,
            versions.equivocations_loading(),
            versions.to_read_equivocations(),
            lambda: self.bridge.request(Equivocations(circle=self.circle)),
        )
        if result is None:
            return
        self.show_equivocations(result.equivocations)

    def show_equivocations(self, items: Sequence[EquivocationView]) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        for position, item in enumerate(items):
            card = EquivocationCard(item)
            for column in card.columns:
                version = column.version.id
                column.delete_button.clicked.connect(
                    lambda _=False, v=version: self.confirm_delete(v)
                )
            self.list_layout.insertWidget(position, card)
            self.cards.append(card)
        self.empty_label.setVisible(not items)
        self.loaded = True

    def confirm_delete(self, message_id: str) -> ConfirmActionDialog | None:
        """Ask first, as every delete does; the question opens over this list."""
        if self.confirming is not None:
            return None
        self.clear_error()
        # deleting someone else's message, a facilitator may say why (as in the pane)
        authors = {
            version.id: card.item.author for card in self.cards for version in card.item.versions
        }
        mine = bool(self.my_id) and authors.get(message_id) == self.my_id
        dialog = confirm_delete_message(
            self.bridge, self.circle, message_id, self, with_reason=not mine
        )
        self.confirming = dialog
        dialog.accepted.connect(lambda: self._deleted(message_id))
        dialog.finished.connect(self._confirm_finished)
        dialog.open()  # window-modal over this list, never a nested event loop
        return dialog

    def _confirm_finished(self) -> None:
        dialog, self.confirming = self.confirming, None
        if dialog is not None:
            dialog.deleteLater()

    def _deleted(self, message_id: str) -> None:
        self.deleted.emit(message_id)
        self.load()  # the version now shows as deleted; the others stay as they were
