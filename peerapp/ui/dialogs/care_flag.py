""" "I'm worried about someone": a member tells the circle's facilitators, privately, that
they are worried about a member (optionally pointing at one of that member's messages),
with an optional note (the engine's `flag` with kind "care").

Rules:
- Only the facilitators see it; the person it is about is not told, and never learns who
  sent it. The dialog says so before anything is sent.
- About oneself ("I need support"): the same flag with one's own id, worded as asking a
  facilitator for support. Whether `member` is oneself is known from `myself` when the
  caller knows it; otherwise the dialog asks circle_info for its own id and words itself
  accordingly (until then, the button waits).
- The note is optional, at most MAX_NOTE_CHARS (the engine's limit); nothing else is
  required, so the primary button is on as soon as the wording is settled.
- A refusal (no other facilitator, the member left...) shows inline; nothing is lost.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from peerapp.core.api.moderation import CircleInfo
from peerapp.core.api.safety import Flag
from peerapp.core.errors import HearthError
from peerapp.core.mailbox_messages import MAX_REASON_CHARS as MAX_NOTE_CHARS
from peerapp.ui import style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.text import care, conversation
from peerapp.ui.widgets.field import FIELD_SPACING

NOTE_HEIGHT = 96


class CareFlagDialog(EngineCommandDialog):
    # the positional signature is the one other views rely on (issue 6 contract)
    def __init__(  # noqa: PLR0917
        self,
        bridge: EngineBridge,
        circle: str,
        member: str,
        member_name: str,
        message: str | None = None,
        parent: QWidget | None = None,
        *,
        myself: bool | None = None,
    ) -> None:
        name = member_name or conversation.unnamed_member()
        super().__init__(
            bridge,
            title=care.care_flag_title(),
            explanation=care.care_flag_text(name),
            primary_text=care.care_flag_send(),
            offer_help=True,  # "Get help now" inside the dialog (issue 14)
            parent=parent,
        )
        self.circle = circle
        self.member = member
        self.member_name = name
        self.message = message or None
        self.myself: bool | None = None
        self.message_label = QLabel(care.care_flag_with_message())
        self.message_label.setWordWrap(True)
        style.set_role(self.message_label, "muted")
        self.message_label.setVisible(self.message is not None)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("careNote")
        self.note_edit.setPlaceholderText(care.care_note_placeholder())
        self.note_edit.setFixedHeight(NOTE_HEIGHT)
        self.note_edit.setTabChangesFocus(True)
        self.note_label = QLabel(care.care_note_label())
        self.note_label.setBuddy(self.note_edit)
        note_field = QVBoxLayout()
        note_field.setSpacing(FIELD_SPACING)
        note_field.addWidget(self.note_label)
        note_field.addWidget(self.note_edit)
        self.form.addWidget(self.message_label)
        self.form.addLayout(note_field)
        self.note_edit.textChanged.connect(self._refresh)
        self.primary_button.clicked.connect(self.submit)
        self.note_edit.setFocus()
        if myself is None:
            self.find_out_who_i_am()
        else:
            self.set_myself(myself)

    # -- wording ------------------------------------------------------------------------

    def set_myself(self, myself: bool) -> None:
        """Word the dialog for a flag about someone else, or for asking for support."""
        self.myself = myself
        if myself:
            self.setWindowTitle(care.support_title())
            self.heading_label.setText(care.support_title())
            self.explanation_label.setText(care.support_text())
            self.primary_button.setText(care.support_send())
            self.note_label.setText(care.support_note_label())
        else:
            self.setWindowTitle(care.care_flag_title())
            self.heading_label.setText(care.care_flag_heading(self.member_name))
            self.explanation_label.setText(care.care_flag_text(self.member_name))
            self.primary_button.setText(care.care_flag_send())
            self.note_label.setText(care.care_note_label())
        self._refresh()

    @async_slot()
    async def find_out_who_i_am(self) -> None:
        try:
            info = await self.bridge.request(CircleInfo(circle=self.circle))
        except HearthError:
            my_id = ""
        else:
            my_id = info.my_id
        if still_alive(self):
            self.set_myself(my_id == self.member)

    # -- sending ------------------------------------------------------------------------

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()

    def sent_text(self) -> str:
        """What the window may say once it is sent."""
        return care.support_sent() if self.myself else care.care_flag_sent()

    def _refresh(self) -> None:
        too_long = len(self.note()) > MAX_NOTE_CHARS
        self.set_submittable(self.myself is not None and not too_long)
        if too_long:
            self.show_error(conversation.too_long(MAX_NOTE_CHARS))
        else:
            self.clear_error()

    @async_slot()
    async def submit(self) -> None:
        note = self.note()
        if self.busy or self.myself is None or len(note) > MAX_NOTE_CHARS:
            return
        command = Flag(
            circle=self.circle,
            kind="care",
            member=self.member,
            message=self.message,
            note=note or None,
        )
        await self.run_and_accept(
            care.care_flag_sending(),
            care.to_care_flag(),
            lambda: self.bridge.request(command),
        )
