"""The invite codes of a circle: who made each, how often it was used, when it expires,
whether it was revoked; Copy for one's own codes and Revoke for facilitators.

Rules:
- The list is the engine's (invites), asked for when the dialog opens, after a revoke,
  and when the window reports a revoke by anyone (refresh()).
- A code made by another member has no text here (the engine keeps only its key), so
  only one's own codes can be copied. The text lives in the widget and the clipboard
  only; it is never logged.
- Revoke asks first, in the dialog itself: "Revoke the invite …? Nobody will be able to
  join with it any more." Keep it / Revoke. Once revoked the dialog says so (the engine
  lists only codes still usable, so the row goes). Only active codes (not revoked, expired or
  used up) offer Revoke, and only to facilitators; the engine checks again and its
  refusal is shown inline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.api.moderation import CircleInfo, Invites, InviteView, RevokeInvite
from peerapp.core.errors import HearthError
from peerapp.ui import clock, style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.circle_info import facilitating
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.text import common, conversation, errors, invites

LIST_HEIGHT = 280


@dataclass(frozen=True)
class InviteEntry:
    id: str
    code: str | None
    uses: int
    max_uses: int
    expires: int  # seconds since 1970
    revoked: bool
    created_by_name: str
    mine: bool

    def state(self, now: float) -> str | None:
        """Why the code admits nobody any more, or None while it can still be used."""
        if self.revoked:
            return invites.invite_revoked()
        if self.expires <= now:
            return invites.invite_expired()
        if self.uses >= self.max_uses:
            return invites.invite_used_up()
        return None


def invites_from(views: Sequence[InviteView], now: float) -> list[InviteEntry]:
    """The engine's invites, usable ones first (soonest to expire first), then the rest."""
    entries = [
        InviteEntry(
            id=view.id,
            code=view.code or None,
            uses=view.uses,
            max_uses=max(view.max_uses, 1),
            expires=view.expires,
            revoked=view.revoked,
            # names come from the circle's log, written by members: they may be blank
            created_by_name=view.created_by_name or conversation.unnamed_member(),
            mine=view.mine,
        )
        for view in views
    ]
    return sorted(entries, key=lambda e: (e.state(now) is not None, e.expires, e.id))


class InviteRow(QFrame):
    def __init__(self, entry: InviteEntry, now: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inviteRow")
        self.entry = entry
        self.made_by = QLabel(invites.invite_made_by(entry.created_by_name, entry.mine))
        self.made_by.setTextFormat(Qt.TextFormat.PlainText)
        state = entry.state(now)
        uses = invites.invite_uses(entry.uses, entry.max_uses)
        details = [state, uses] if state else [uses, invites.expires_in(entry.expires - now)]
        self.details = QLabel(" · ".join(details))
        style.set_role(self.details, "muted")
        self.copy_button = QPushButton(common.copy())
        self.copy_button.setAutoDefault(False)
        self.revoke_button = QPushButton(invites.revoke())
        self.revoke_button.setAutoDefault(False)
        # compact buttons: two of them and the details share the dialog's narrow width
        style.set_role(self.copy_button, "toggle")
        style.set_role(self.revoke_button, "toggle")
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.made_by)
        text.addWidget(self.details)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(8)
        layout.addLayout(text, 1)
        layout.addWidget(self.copy_button)
        layout.addWidget(self.revoke_button)
        self.active = state is None
        self.copy_button.setVisible(entry.code is not None and self.active)
        self.copy_button.clicked.connect(self.copy)

    @Slot()
    def copy(self) -> None:
        if self.entry.code is not None:
            QGuiApplication.clipboard().setText(self.entry.code)
            self.copy_button.setText(common.copied())


class InviteManagerDialog(EngineCommandDialog):
    def __init__(
        self,
        bridge: EngineBridge,
        circle_id: str,
        circle_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            bridge,
            title=invites.manage_invites_title(),
            explanation=invites.manage_invites_explanation(circle_name),
            primary_text=common.done(),
            parent=parent,
        )
        self.circle_id = circle_id
        self.can_revoke = True  # until circle_info says otherwise; the engine checks anyway
        self.loaded = False
        self.status_label = QLabel(invites.loading_invites())
        style.set_role(self.status_label, "muted")
        self.revoked_label = QLabel(invites.invite_revoked_done())
        self.revoked_label.setWordWrap(True)
        style.set_role(self.revoked_label, "muted")
        self.revoked_label.hide()
        self.rows_widget = QWidget()
        self.rows_layout = QVBoxLayout(self.rows_widget)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(6)
        self.rows_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("inviteList")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFixedHeight(LIST_HEIGHT)
        self.scroll_area.setWidget(self.rows_widget)

        self.confirm_label = QLabel()
        self.keep_button = QPushButton(invites.keep_it())
        self.confirm_button = QPushButton(invites.revoke())
        self.confirm = self._build_confirm()

        self.form.addWidget(self.status_label)
        self.form.addWidget(self.scroll_area)
        self.form.addWidget(self.confirm)
        self.form.addWidget(self.revoked_label)
        self.secondary_button.hide()
        self.set_submittable(True)
        self.rows: list[InviteRow] = []
        self.revoking: InviteEntry | None = None
        self._asked = 0
        self._shown = 0
        self.primary_button.clicked.connect(self.accept)
        self.keep_button.clicked.connect(self._keep)
        self.confirm_button.clicked.connect(self.revoke_confirmed)
        self.refresh()

    def _build_confirm(self) -> QFrame:
        """The question asked before revoking, in the dialog rather than over it."""
        confirm = QFrame()
        confirm.setObjectName("revokeConfirm")
        self.confirm_label.setWordWrap(True)
        self.keep_button.setAutoDefault(False)
        self.confirm_button.setAutoDefault(False)
        style.mark_primary(self.confirm_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(confirm)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.confirm_label)
        layout.addLayout(buttons)
        confirm.hide()
        return confirm

    # -- the list -----------------------------------------------------------------------

    @async_slot()
    async def refresh(self) -> None:
        self._asked += 1
        asked = self._asked
        try:
            result = await self.bridge.request(Invites(circle=self.circle_id))
            info = await self.bridge.request(CircleInfo(circle=self.circle_id))
        except HearthError as error:
            if still_alive(self) and not self.loaded:
                reason = errors.could_not(invites.to_list_invites(), error.message)
                self.status_label.setText(reason)
            return
        # answers can overtake each other; an older one must not undo a newer one
        if not still_alive(self) or asked < self._shown:
            return
        self._shown = asked
        self.can_revoke = facilitating(info)
        self.loaded = True
        self._show(invites_from(result.invites, clock.now_s()))

    def _show(self, entries: list[InviteEntry]) -> None:
        now = clock.now_s()
        for row in self.rows:
            self.rows_layout.removeWidget(row)
            row.deleteLater()
        self.rows = []
        for position, entry in enumerate(entries):
            row = InviteRow(entry, now, self.rows_widget)
            row.revoke_button.setVisible(row.active and self.can_revoke)
            row.revoke_button.clicked.connect(lambda _=False, e=entry: self._ask_revoke(e))
            self.rows_layout.insertWidget(position, row)
            self.rows.append(row)
        self.status_label.setText("" if entries else invites.no_invites())
        self.status_label.setVisible(not entries)
        if self.revoking is not None and self.revoking.id not in {e.id for e in entries}:
            self._keep()

    def entries(self) -> list[InviteEntry]:
        return [row.entry for row in self.rows]

    def row_for(self, invite: str) -> InviteRow | None:
        return next((row for row in self.rows if row.entry.id == invite), None)

    # -- revoking -----------------------------------------------------------------------

    def _ask_revoke(self, entry: InviteEntry) -> None:
        self.revoking = entry
        self.clear_error()
        self.revoked_label.hide()
        self.confirm_label.setText(invites.confirm_revoke(entry.created_by_name, entry.mine))
        self.confirm.show()
        self.keep_button.setFocus()

    @Slot()
    def _keep(self) -> None:
        self.revoking = None
        self.confirm.hide()

    @async_slot()
    async def revoke_confirmed(self) -> None:
        entry = self.revoking
        if entry is None or self.busy:
            return
        # the id names the invite whoever made it; the engine takes either
        result = await self.run_command(
            invites.revoking(),
            invites.to_revoke_invite(),
            lambda: self.bridge.request(RevokeInvite(circle=self.circle_id, code=entry.id)),
        )
        if result is None:
            return  # refused: the reason is shown
        self.set_idle()
        self._keep()
        self.revoked_label.show()
        self.refresh()
