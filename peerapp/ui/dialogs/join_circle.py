"""Joining a circle with an invite code, under a name of one's choosing, after reading
the circle's guidelines.

Rules (the steps, in order):
- CODE: the person pastes the code (the text of its QR image is the same code) and types
  a name. "Continue" asks the engine to read the invite (preview_invite): the circle's
  name, its member count, its guidelines and whether a facilitator approves newcomers.
  Nothing is joined yet. A refusal (a mistyped or expired code, nobody reachable) is
  shown inline and the step stays.
- PREVIEW: the guidelines, scrollable, as plain text, and a note when a facilitator will
  review the request. "Back" returns to CODE with everything typed kept; only
  "I agree — join" joins. Admitted at once -> the dialog is accepted (the window opens the
  circle). Join approval on (the reply says pending) -> WAITING.
- WAITING: the request is with the facilitators; "Close" accepts the dialog (the request
  stays open and the sidebar shows it). Told the outcome while still open: approved ->
  accepted; declined -> DECLINED.
- DECLINED: the kind message (or the engine's reason when the request ended otherwise);
  "Close".

Reaching a member over the network can take several seconds; the dialog says so while it
waits, and everything typed stays when something fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from peerapp.core.api.circles import Join
from peerapp.core.api.joins import InvitePreview as PreviewResult
from peerapp.core.api.joins import PreviewInvite
from peerapp.ui import style
from peerapp.ui.async_slot import async_slot
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.text import circles, common, conversation, joins
from peerapp.ui.widgets.field import field
from peerapp.ui.widgets.member_name import member_name_field

CODE_HEIGHT = 72
GUIDELINES_HEIGHT = 180


class Step(Enum):
    CODE = "code"
    PREVIEW = "preview"
    WAITING = "waiting"
    DECLINED = "declined"


# what each step's buttons say: (primary, secondary or None when hidden); text functions,
# called when shown, so the words are in the language of that moment
BUTTONS: dict[Step, tuple[Callable[[], str], Callable[[], str] | None]] = {
    Step.CODE: (common.continue_label, common.cancel),
    Step.PREVIEW: (joins.agree_and_join, common.back),
    Step.WAITING: (common.close, None),
    Step.DECLINED: (common.close, None),
}


@dataclass(frozen=True)
class InvitePreview:
    """What preview_invite says about the circle an invite opens."""

    circle: str
    name: str
    guidelines: str
    join_approval: bool
    members: int


def invite_preview_from(result: PreviewResult) -> InvitePreview:
    """The preview as it is shown: the circle's words come from one of its members, so an
    empty name or count still reads sensibly."""
    return InvitePreview(
        circle=result.circle,
        name=result.name.strip() or circles.unnamed_circle(),
        guidelines=result.guidelines.strip(),
        join_approval=result.join_approval,
        members=max(result.members, 1),
    )


class JoinCircleDialog(EngineCommandDialog):
    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            bridge,
            title=circles.join_circle_title(),
            explanation=circles.join_circle_explanation(),
            primary_text=common.continue_label(),
            parent=parent,
        )
        self.step = Step.CODE
        self.preview: InvitePreview | None = None
        self.ended_because = ""  # DECLINED: what the person is told
        self.pending = False  # joined with approval on: waiting for a facilitator

        # a code is a few hundred characters: let it wrap so a person can check it
        self.code_edit = QPlainTextEdit()
        self.code_edit.setPlaceholderText(circles.invite_code_placeholder())
        self.code_edit.setFixedHeight(CODE_HEIGHT)
        self.code_edit.setTabChangesFocus(True)
        self.code_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.code_edit.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.name_edit, member_name = member_name_field()
        self.code_page = QWidget()
        code_layout = _column(self.code_page)
        code_layout.addLayout(field(circles.invite_code_label(), self.code_edit))
        code_layout.addLayout(member_name)

        self.circle_name_label = QLabel()
        self.circle_name_label.setTextFormat(Qt.TextFormat.PlainText)
        style.set_role(self.circle_name_label, "subheading")
        self.member_count_label = QLabel()
        style.set_role(self.member_count_label, "muted")
        # guidelines are written by members: plain text, never markup
        self.guidelines_view = QPlainTextEdit()
        self.guidelines_view.setObjectName("guidelinesView")
        self.guidelines_view.setReadOnly(True)
        self.guidelines_view.setFixedHeight(GUIDELINES_HEIGHT)
        self.guidelines_view.setTabChangesFocus(True)
        self.approval_note = QLabel(joins.approval_note())
        self.approval_note.setWordWrap(True)
        self.approval_note.setObjectName("approvalNote")
        self.preview_page = QWidget()
        preview_layout = _column(self.preview_page)
        preview_layout.addWidget(self.circle_name_label)
        preview_layout.addWidget(self.member_count_label)
        preview_layout.addLayout(field(joins.guidelines_heading(), self.guidelines_view))
        preview_layout.addWidget(self.approval_note)

        self.form.addWidget(self.code_page)
        self.form.addWidget(self.preview_page)
        self.preview_page.hide()

        self.code_edit.textChanged.connect(self._refresh)
        self.name_edit.textChanged.connect(self._refresh)
        self.primary_button.clicked.connect(self._primary_clicked)
        self.secondary_button.clicked.disconnect(self.reject)
        self.secondary_button.clicked.connect(self._secondary_clicked)
        self.code_edit.setFocus()

    def code(self) -> str:
        return self.code_edit.toPlainText().strip()

    def member_name(self) -> str:
        return self.name_edit.text().strip()

    def result_circle(self) -> str | None:
        """The circle joined, once admitted (None while a facilitator decides)."""
        return None if self.pending else super().result_circle()

    def waiting_circle(self) -> str | None:
        """The circle asked to join, while a facilitator decides."""
        return super().result_circle() if self.step is Step.WAITING else None

    # -- steps --------------------------------------------------------------------------

    def _go(self, step: Step) -> None:
        self.step = step
        self.clear_error()
        preview = self.preview
        name = preview.name if preview is not None else ""
        self.code_page.setVisible(step is Step.CODE)
        self.preview_page.setVisible(step is Step.PREVIEW)
        if step is Step.CODE:
            self.heading_label.setText(circles.join_circle_title())
            self.explanation_label.setText(circles.join_circle_explanation())
        elif step is Step.PREVIEW:
            self.heading_label.setText(circles.join_circle_title())
            self.explanation_label.setText(joins.preview_explanation())
        elif step is Step.WAITING:
            self.heading_label.setText(joins.waiting_heading())
            self.explanation_label.setText(joins.waiting_explanation(name))
        else:
            self.heading_label.setText(joins.not_approved())
            self.explanation_label.setText(self.ended_because or joins.join_declined(name))
        primary, secondary = BUTTONS[step]
        self.primary_button.setText(primary())
        self.secondary_button.setVisible(secondary is not None)
        if secondary is not None:
            self.secondary_button.setText(secondary())
        self._refresh()

    def _show_preview(self, preview: InvitePreview) -> None:
        self.preview = preview
        self.circle_name_label.setText(preview.name)
        self.member_count_label.setText(conversation.member_count(preview.members))
        self.guidelines_view.setPlainText(preview.guidelines or joins.no_guidelines())
        self.approval_note.setVisible(preview.join_approval)
        self._go(Step.PREVIEW)
        self.primary_button.setFocus()

    def _refresh(self) -> None:
        if self.step is Step.CODE:
            self.set_submittable(bool(self.code() and self.member_name()))
            if self.error_label.isVisible() and not self.busy:
                self.clear_error()
        else:
            self.set_submittable(True)

    @Slot()
    def _primary_clicked(self) -> None:
        if self.step is Step.CODE:
            self.read_invite()
        elif self.step is Step.PREVIEW:
            self.agree_and_join()
        else:
            self.accept()

    @Slot()
    def _secondary_clicked(self) -> None:
        if self.step is Step.PREVIEW and not self.busy:
            self._go(Step.CODE)
            self.code_edit.setFocus()
        else:
            self.reject()

    # -- the engine ---------------------------------------------------------------------

    @async_slot()
    async def read_invite(self) -> None:
        code, name = self.code(), self.member_name()
        if self.busy or self.step is not Step.CODE or not code or not name:
            return
        result = await self.run_command(
            circles.reaching_the_circle(),
            joins.to_read_invite(),
            lambda: self.bridge.request(PreviewInvite(code=code)),
        )
        if result is None:
            return  # refused: the reason is shown
        self.result_data = None  # only what join answers says which circle was joined
        self.set_idle()
        self._show_preview(invite_preview_from(result))

    @async_slot()
    async def agree_and_join(self) -> None:
        code, name = self.code(), self.member_name()
        if self.busy or self.step is not Step.PREVIEW or not code or not name:
            return
        result = await self.run_command(
            joins.joining(),
            joins.to_join_circle(),
            lambda: self.bridge.request(Join(code=code, name=name)),
        )
        if result is None:
            return
        if result.pending:
            self.pending = True
            self.set_idle()
            self._go(Step.WAITING)
            return
        self.finish_accepted()

    # -- what the window tells the dialog -----------------------------------------------

    def join_answered(self, circle: str, approved: bool, message: str = "") -> bool:
        """A request to join `circle` was answered (the engine's event; `message`: what
        to say when it was not approved); whether this dialog waited for it and said so."""
        if circle != self.waiting_circle():
            return False
        if approved:
            self.pending = False  # admitted after all: the window opens the circle
            self.accept()
        else:
            self.ended_because = message
            self._go(Step.DECLINED)
        return True


def _column(page: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(14)
    return layout
