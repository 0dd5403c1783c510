"""Search finds private conversations (issue 15, on issue 14's), through the widgets on
real engines on 127.0.0.1: Ash wrote to Bee privately, more than a page ago; Ash's search
across circles shows the result as "private, with Bee", and Enter on it opens the private
conversation's window with older pages read until the message is the current row."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from peerapp.core import private_talk_policy
from peerapp.core.api.private_talk import PrivateSend
from peerapp.core.search_policy import HitKind
from peerapp.ui.dialogs.private_talk import PrivateTalkDialog
from peerapp.ui.dialogs.search import SearchDialog
from peerapp.ui.main_window import MainWindow
from tests.gui.circle_steps import Circle, member_id
from tests.gui.helpers import WAIT_MS, resolve

PAGE = 4  # the conversation's pages, small: the message found is three pages back
LATER = 10


def _current_text(window: PrivateTalkDialog) -> str | None:
    item = window.list.currentItem()
    return None if item is None else item.text().split("\n", 1)[1]


def test_a_private_result_opens_its_conversation_at_the_message(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(private_talk_policy, "DEFAULT_PAGE", PAGE)
    monkeypatch.setattr(private_talk_policy, "MAX_PAGE", PAGE)
    circle = Circle(*two_members)
    ash = circle.pane(circle.ash)
    bee_id = member_id(ash, "Bee")
    bridge = circle.ash.bridge
    for text in ["The lantern by the door stays lit", *(f"note {n}" for n in range(LATER))]:
        resolve(qtbot, bridge.request(PrivateSend(circle=circle.id, member=bee_id, text=text)))

    circle.ash.search_all_action.trigger()
    dialog = circle.ash.active_dialog
    assert isinstance(dialog, SearchDialog)
    dialog.query_edit.setText("lantern")
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(dialog.hits) == 1, timeout=WAIT_MS)
    (hit,) = dialog.hits
    assert (hit.kind, hit.member, hit.member_name) == (HitKind.PRIVATE, bee_id, "Bee")
    heading = dialog.results.item(0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert heading.startswith("You · private, with Bee in ")

    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)  # to the results
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bee_id in ash.private.windows, timeout=WAIT_MS)
    window = ash.private.windows[bee_id]
    qtbot.waitUntil(
        lambda: _current_text(window) == "The lantern by the door stays lit", timeout=WAIT_MS
    )
    assert window.isVisible() and len(window.ids) == LATER + 1  # older pages came
    assert window.texts()[0] == "The lantern by the door stays lit"
    window.close()
    qtbot.waitUntil(lambda: not ash.private.windows, timeout=WAIT_MS)
    QApplication.processEvents()
