"""The reminder a facilitator sees before muting or removing (or banning) a member who
asked for support recently: "Bee asked for support 12 minutes ago". The fact is the
engine's (`MemberView.asked_for_support_at`, filled for facilitators from low check-ins
and care flags); whether it is recent enough to mention is core/care_policy.py's rule."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from peerapp.core.care_policy import asked_recently
from peerapp.core.events import MemberView
from peerapp.ui import style
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.text import conversation, follow_through


def support_note_text(member: MemberView | None, now_ms: int) -> str | None:
    """What to say about the member's asking for support, or None when there is nothing
    recent to say."""
    if member is None or not asked_recently(member.asked_for_support_at, now_ms):
        return None
    minutes = max(now_ms - member.asked_for_support_at, 0) // 60_000
    return follow_through.asked_for_support(
        member.name or conversation.unnamed_member(), int(minutes)
    )


def add_support_note(
    dialog: EngineCommandDialog, member: MemberView | None, now_ms: int
) -> QLabel | None:
    """Put the reminder at the top of the dialog's form (before what it asks); the label,
    or None when the member did not ask recently."""
    text = support_note_text(member, now_ms)
    if text is None:
        return None
    label = QLabel(text)
    label.setObjectName("askedForSupport")
    label.setWordWrap(True)
    style.set_role(label, "subheading")
    dialog.form.insertWidget(0, label)
    return label
