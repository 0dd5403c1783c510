"""Inviting someone: choose how long the code stays valid and how often it may be used,
then hand the code over by copying it or showing its QR image.

The defaults follow the circle: with join approval on (a facilitator reviews everyone who
uses a code) one code may go to a group, so it defaults to 20 uses. "Manage invites…"
asks the window for the list of the circle's codes (manageRequested).

Who may invite is the engine's rule (circle_info's `may_invite`: "" or the reason why
not). When we may not, the "Invite someone…" action stays usable and this dialog says
why, in place of the choices, with only "Close": a disabled menu entry would leave a
person guessing (its tooltip rarely shows), while the dialog tells them and whom to ask.
Should the engine refuse anyway (the setting changed meanwhile), its reason shows inline.

The code is a key to the circle, so the dialog says so, and the code lives only in this
dialog (and the clipboard, if the person copies it): it is never logged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerapp.core import invite_policy
from peerapp.core.api.circles import Invite
from peerapp.core.api.moderation import CircleInfo
from peerapp.core.errors import HearthError
from peerapp.core.invite_code import InvalidInviteCode, decode_invite
from peerapp.ui import style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.qr import qr_matrix, render
from peerapp.ui.text import common, invites
from peerapp.ui.widgets.field import field

QR_TARGET_PIXELS = 220
COPIED_MS = 2500


def choices(values: tuple[int, ...], label: Callable[[int], str], default: int) -> QComboBox:
    box = QComboBox()
    for value in values:
        box.addItem(label(value), value)
    box.setCurrentIndex(values.index(default))
    return box


class InviteResult(QWidget):
    """The code once it exists: its QR image, the text to copy, when it stops working."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.qr_label = QLabel()
        self.qr_label.setObjectName("qrImage")
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_label.setToolTip(invites.qr_tooltip())
        self.qr_missing = QLabel(invites.qr_unavailable())
        self.qr_missing.setWordWrap(True)
        style.set_role(self.qr_missing, "muted")
        self.qr_missing.hide()
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("inviteCode")
        self.code_edit.setReadOnly(True)
        self.copy_button = QPushButton(common.copy())
        self.copy_button.setAutoDefault(False)
        self.details = QLabel()
        self.details.setWordWrap(True)
        style.set_role(self.details, "muted")
        note_text = QLabel(invites.invite_is_a_key())
        note_text.setWordWrap(True)
        note = QFrame()
        note.setObjectName("inviteNote")
        note_layout = QHBoxLayout(note)
        note_layout.setContentsMargins(12, 10, 12, 10)
        note_layout.addWidget(note_text)

        code_row = QHBoxLayout()
        code_row.setSpacing(8)
        code_row.addWidget(self.code_edit, 1)
        code_row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.qr_label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.qr_missing)
        caption = QLabel(invites.invite_ready_heading())
        caption.setBuddy(self.code_edit)
        layout.addWidget(caption)
        layout.addLayout(code_row)
        layout.addWidget(self.details)
        layout.addWidget(note)
        self.copy_button.clicked.connect(self.copy)
        self._copied_timer = QTimer(self)
        self._copied_timer.setSingleShot(True)
        self._copied_timer.setInterval(COPIED_MS)
        self._copied_timer.timeout.connect(lambda: self.copy_button.setText(common.copy()))

    def show_code(self, code: str, uses: int, fallback_expiry: datetime) -> None:
        self.code_edit.setText(code)
        self.code_edit.setCursorPosition(0)
        self.details.setText(invites.invite_details(_expiry(code, fallback_expiry), uses))
        matrix = qr_matrix(code)
        if matrix is None:
            self.qr_label.hide()
            self.qr_missing.show()
            return
        module = max(2, QR_TARGET_PIXELS // (len(matrix) + 8))
        self.qr_label.setPixmap(QPixmap.fromImage(render(matrix, module)))

    def qr_pixmap(self) -> QPixmap:
        return self.qr_label.pixmap()

    @Slot()
    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code_edit.text())
        self.code_edit.selectAll()
        self.copy_button.setText(common.copied())
        self._copied_timer.start()


def _expiry(code: str, fallback: datetime) -> datetime:
    """When the code stops working, as written in the code itself."""
    try:
        return datetime.fromtimestamp(decode_invite(code).expires)
    except (InvalidInviteCode, OverflowError, OSError, ValueError):
        return fallback


class InviteDialog(EngineCommandDialog):
    manageRequested = Signal(str)  # circle id

    def __init__(
        self,
        bridge: EngineBridge,
        circle_id: str,
        circle_name: str,
        parent: QWidget | None = None,
        *,
        join_approval: bool | None = None,
        may_invite: str | None = None,
    ) -> None:
        """`join_approval`, `may_invite` (circle_info's): the circle's if known; else they
        are asked for."""
        super().__init__(
            bridge,
            title=invites.invite_title(),
            explanation=invites.invite_explanation(circle_name),
            primary_text=invites.create_invite(),
            parent=parent,
        )
        self.circle_id = circle_id
        self.expiry_box = choices(
            invite_policy.EXPIRY_CHOICES, invites.expiry_choice, invite_policy.DEFAULT_SECONDS
        )
        self.uses_box = choices(
            invite_policy.USES_CHOICES, invites.uses_choice, invite_policy.default_uses(False)
        )
        self.options = QWidget()
        options = QHBoxLayout(self.options)
        options.setContentsMargins(0, 0, 0, 0)
        options.setSpacing(16)
        options.addLayout(field(invites.expires_label(), self.expiry_box), 1)
        options.addLayout(field(invites.uses_label(), self.uses_box), 1)
        self.approval_note = QLabel(invites.approval_invite_note())
        self.approval_note.setWordWrap(True)
        style.set_role(self.approval_note, "muted")
        self.result_view = InviteResult()
        self.result_view.hide()
        self.manage_button = QPushButton(invites.manage_invites_action())
        self.manage_button.setAutoDefault(False)
        style.set_role(self.manage_button, "quiet")
        self.form.addWidget(self.options)
        self.form.addWidget(self.approval_note)
        self.form.addWidget(self.result_view)
        self.form.addWidget(self.manage_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.approval_note.hide()
        self.refusal_note = QLabel()
        self.refusal_note.setObjectName("inviteRefusal")
        self.refusal_note.setTextFormat(Qt.TextFormat.PlainText)
        self.refusal_note.setWordWrap(True)
        self.form.addWidget(self.refusal_note)
        self.refusal_note.hide()
        self.refused = False  # the engine says we may not invite here
        self.code: str | None = None
        self._uses_chosen = False  # the person picked a number: the circle's default yields
        self.set_submittable(True)
        self.primary_button.clicked.connect(self._primary_clicked)
        self.manage_button.clicked.connect(lambda: self.manageRequested.emit(circle_id))
        self.uses_box.activated.connect(self._uses_picked)
        if join_approval is None or may_invite is None:
            self.ask_circle_defaults()
        else:
            self.apply_circle_defaults(join_approval, may_invite)

    def apply_circle_defaults(self, join_approval: bool, may_invite: str = "") -> None:
        """Defaults for the circle's setting, unless the person already chose; the reason
        instead of the choices when we may not invite."""
        if self.code is not None or self.busy:
            return
        if may_invite:
            self.show_refusal(may_invite)
            return
        self.approval_note.setVisible(join_approval)
        if not self._uses_chosen:
            uses = invite_policy.default_uses(join_approval)
            self.uses_box.setCurrentIndex(invite_policy.USES_CHOICES.index(uses))

    @Slot(int)
    def _uses_picked(self, _index: int) -> None:
        self._uses_chosen = True

    @async_slot()
    async def ask_circle_defaults(self) -> None:
        try:
            info = await self.bridge.request(CircleInfo(circle=self.circle_id))
        except HearthError:
            return  # the engine's own defaults stand
        if still_alive(self):
            self.apply_circle_defaults(info.join_approval, info.may_invite)

    def show_refusal(self, reason: str) -> None:
        """We may not invite here: the engine's reason and whom to ask, and only Close."""
        self.refused = True
        self.explanation_label.hide()  # it speaks of choosing, and there is nothing to choose
        self.options.hide()
        self.approval_note.hide()
        self.manage_button.hide()
        self.refusal_note.setText(f"{reason} {invites.ask_a_facilitator_to_invite()}")
        self.refusal_note.show()
        self.secondary_button.hide()
        self.primary_button.setText(common.close())
        self.primary_button.setFocus()

    def expires_in(self) -> int:
        return int(self.expiry_box.currentData())

    def max_uses(self) -> int:
        return int(self.uses_box.currentData())

    @Slot()
    def _primary_clicked(self) -> None:
        if self.refused:
            self.reject()  # nothing was made
        elif self.code is None:
            self.submit()
        else:
            self.accept()

    @async_slot()
    async def submit(self) -> None:
        if self.busy or self.code is not None:
            return
        expires_in, uses = self.expires_in(), self.max_uses()
        asked_at = datetime.now()
        result = await self.run_command(
            invites.creating_invite(),
            invites.to_create_invite(),
            lambda: self.bridge.request(
                Invite(circle=self.circle_id, max_uses=uses, expires_in=expires_in)
            ),
        )
        if result is None:
            return  # refused (the reason is shown) or the dialog is gone
        self.set_idle()
        self.code = result.code
        self.options.hide()
        self.approval_note.hide()
        self.explanation_label.hide()
        fallback = datetime.fromtimestamp(asked_at.timestamp() + expires_in)
        self.result_view.show_code(result.code, uses, fallback)
        self.result_view.show()
        self.secondary_button.hide()
        self.primary_button.setText(common.done())
        self.result_view.copy_button.setFocus()
