"""A member's row keeps its marks whole (issue 14's walk under Xvfb): with a private
message's badge beside the founder's, "Founder" was squeezed to "Four" in the panel's
fixed width; now a long name gives way with "…" and every mark keeps its size."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from peerapp.core.events import MemberView
from peerapp.core.permissions import MemberAction
from peerapp.ui.widgets.member_list import MemberPanel

ASH = MemberView(
    id="aa" * 32,
    name="Ashley-Margaret Featherstonehaugh",
    role="founder",
    online=True,
    rank=0,
)


def test_marks_keep_their_size_and_a_long_name_gives_way(qtbot: QtBot, hearth_app: object) -> None:
    panel = MemberPanel()
    qtbot.addWidget(panel)
    panel.set_members([ASH], {ASH.id: [MemberAction.MUTE]})
    panel.set_private_unread({ASH.id: 12})
    panel.show()
    qtbot.waitExposed(panel)
    row = panel.rows[ASH.id]
    layout = row.layout()
    assert layout is not None
    layout.activate()
    marks: list[QLabel] = [row.badge]
    assert row.unread_label is not None
    marks.append(row.unread_label)
    for mark in marks:
        assert mark.isVisible()
        assert mark.width() >= mark.sizeHint().width(), f"{mark.text()!r} squeezed"
    assert row.name_label.text() == ASH.name  # the whole name, shown with "…"
    assert row.name_label.width() < row.name_label.sizeHint().width()
