"""The optional "Reason (shown to them and in the log)" field of the remove, ban, mute and
delete dialogs: one line, as long as the log accepts (core/moderation_policy.py), folded
as the engine will sign it. Empty gives no reason."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout

from peerapp.core.moderation_policy import MAX_REASON_CHARS, clean_reason
from peerapp.ui import style
from peerapp.ui.text import moderation
from peerapp.ui.widgets.field import field


class ReasonField:
    """The field's widgets and the reason typed in it."""

    def __init__(self) -> None:
        self.edit = QLineEdit()
        self.edit.setObjectName("moderationReason")
        self.edit.setMaxLength(MAX_REASON_CHARS)
        self.edit.setPlaceholderText(moderation.reason_placeholder())
        self.edit.setAccessibleName(moderation.reason_label())
        self.hint = QLabel(moderation.reason_hint(MAX_REASON_CHARS))
        self.hint.setWordWrap(True)
        style.set_role(self.hint, "muted")
        self.edit.setAccessibleDescription(self.hint.text())
        self.layout: QVBoxLayout = field(moderation.reason_label(), self.edit, self.hint)

    def reason(self) -> str | None:
        """What to send as the command's `reason`: None when nothing was typed."""
        return clean_reason(self.edit.text()) or None
