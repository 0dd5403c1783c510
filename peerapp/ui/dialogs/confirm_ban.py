"""Asking before a ban, naming the member; when they brought people into the circle
(peerapp.ui.invitations), a box offers to remove those too, in the same action (the
engine's `ban` with `invitees`). Unchecked by default: most people someone invited came
in good faith, and removing them is a choice the facilitator makes knowingly."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QStyle, QVBoxLayout, QWidget

from peerapp.core.api.moderation import Ban
from peerapp.ui import style
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.confirm_action import ConfirmWithReasonDialog
from peerapp.ui.text import moderation
from peerapp.ui.widgets.field import FIELD_SPACING


class ConfirmBanDialog(ConfirmWithReasonDialog):
    def __init__(
        self,
        bridge: EngineBridge,
        circle: str,
        member_id: str,
        name: str,
        *,
        invitee_names: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        """`invitee_names`: who they brought in (and those brought in), nearest first."""
        super().__init__(
            bridge,
            title=moderation.confirm_ban_title(name),
            explanation=moderation.confirm_ban_text(name),
            confirm_text=moderation.ban_confirm(),
            command=lambda reason: bridge.request(
                Ban(circle=circle, member=member_id, invitees=self.with_invitees(), reason=reason)
            ),
            parent=parent,
        )
        self.invitee_names = list(invitee_names)
        count = len(self.invitee_names)
        self.invitees_check = QCheckBox(moderation.ban_invitees_check(count))
        self.invitees_check.setObjectName("banInvitees")
        # names are other members' words: plain text, wrapped (up to 64 characters each)
        self.invitees_label = QLabel(moderation.ban_invitees_names(self.invitee_names))
        self.invitees_label.setTextFormat(Qt.TextFormat.PlainText)
        self.invitees_label.setWordWrap(True)
        self.invitees_label.setBuddy(self.invitees_check)
        self.invitees_check.setAccessibleDescription(self.invitees_label.text())
        self.invitees_hint = QLabel(moderation.ban_invitees_hint())
        self.invitees_hint.setWordWrap(True)
        style.set_role(self.invitees_hint, "muted")
        # the names and the note line up with the box's words, under it
        below = QVBoxLayout()
        below.setSpacing(FIELD_SPACING)
        below.setContentsMargins(_text_indent(self.invitees_check), 0, 0, 0)
        below.addWidget(self.invitees_label)
        below.addWidget(self.invitees_hint)
        column = QVBoxLayout()
        column.setSpacing(FIELD_SPACING)
        column.addWidget(self.invitees_check)
        column.addLayout(below)
        self.form.addLayout(column)
        # only once they have a parent: a parentless widget shown opens a window of its own
        for widget in (self.invitees_check, self.invitees_label, self.invitees_hint):
            widget.setVisible(bool(self.invitee_names))

    def with_invitees(self) -> bool:
        """Whether the people they brought in go too (offered and checked)."""
        return bool(self.invitee_names) and self.invitees_check.isChecked()


def _text_indent(check: QCheckBox) -> int:
    """How far a check box's words start from its left edge (the box and its gap)."""
    metric = check.style().pixelMetric
    return metric(QStyle.PixelMetric.PM_IndicatorWidth, None, check) + metric(
        QStyle.PixelMetric.PM_CheckBoxLabelSpacing, None, check
    )
