"""Search in the window (issue 15) on a real engine: Ctrl+Shift+F searches every circle,
Ctrl+F the circle in view; Enter and Down go through the results, Enter on one opens its
circle and brings the message into view, loading older pages as needed; Esc closes.
Snippets are plain text: a message's own markup never renders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from peerapp.core.api.circles import CreateCircle
from peerapp.core.api.messages import SendMessage
from peerapp.core.api.search import SearchHitView, SnippetPartView
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.dialogs.search import SearchDialog, snippet_html
from peerapp.ui.main_window import MainWindow
from peerapp.ui.timeline import MessageRow
from tests.gui.circle_steps import create_circle, pane_of
from tests.gui.helpers import WAIT_MS, StartSession, resolve

PAGE = 10
LATER = 35  # messages after the one searched for: more than three pages


def _search_dialog(window: MainWindow) -> SearchDialog:
    dialog = window.active_dialog
    assert isinstance(dialog, SearchDialog)
    return dialog


def _results(qtbot: QtBot, dialog: SearchDialog, words: str, count: int) -> list[str]:
    dialog.query_edit.setText(words)
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)  # searches at once
    qtbot.waitUntil(lambda: len(dialog.hits) == count, timeout=WAIT_MS)
    return dialog.shown_snippets()


def _current_text(pane: CirclePane) -> str | None:
    """The text of the message that is the conversation's current row, if one is."""
    index = pane.message_list.currentIndex()
    if not index.isValid():
        return None
    row = pane.model.row(index.row())
    return row.message.text if isinstance(row, MessageRow) else None


def test_search_everywhere_and_in_a_circle_jumps_to_the_message(
    qtbot: QtBot, start_session: StartSession, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CirclePane, "history_page", PAGE)
    window = start_session(profile).wait_online_after_unlock()
    garden = create_circle(qtbot, window, "Garden circle", "Ash")  # the one in view
    resolve(qtbot, window.bridge.request(SendMessage(circle=garden, text="A lantern for Bee")))
    # another circle, written to before it is ever opened here
    tuesday = resolve(
        qtbot, window.bridge.request(CreateCircle(name="Tuesday circle", member_name="Ash"))
    ).circle
    for text in ["The lantern by the door stays lit", *(f"note {n}" for n in range(LATER))]:
        resolve(qtbot, window.bridge.request(SendMessage(circle=tuesday, text=text)))
    qtbot.waitUntil(lambda: tuesday in window.circle_list.ids(), timeout=WAIT_MS)
    assert window.circle_list.current_id() == garden and tuesday not in window.panes

    # every circle: Ctrl+Shift+F; each result names its circle
    assert window.search_all_action.shortcut() == QKeySequence("Ctrl+Shift+F")
    assert window.search_circle_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    window.search_all_action.trigger()
    dialog = _search_dialog(window)
    assert dialog.circle is None
    assert sorted(_results(qtbot, dialog, "LANTERN", 2)) == [
        "A lantern for Bee",
        "The lantern by the door stays lit",
    ]
    assert {hit.circle_name for hit in dialog.hits} == {"Tuesday circle", "Garden circle"}
    # Enter goes to the results, Down moves, Enter shows the chosen one in its circle
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    assert dialog.results.hasFocus() or dialog.results.currentRow() == 0
    wanted = next(n for n, hit in enumerate(dialog.hits) if hit.circle == tuesday)
    while dialog.results.currentRow() < wanted:
        qtbot.keyClick(dialog.results, Qt.Key.Key_Down)
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.circle_list.current_id() == tuesday, timeout=WAIT_MS)
    pane = pane_of(window, tuesday)
    # the message was four pages back: older pages came until it was there, and it is
    # the current row
    qtbot.waitUntil(
        lambda: _current_text(pane) == "The lantern by the door stays lit", timeout=WAIT_MS
    )
    assert len(pane.model.messages()) == LATER + 1
    assert pane.message_list.hasFocus() or window.active_dialog is None

    # the circle in view: Ctrl+F finds only its own messages
    window.search_circle_action.trigger()
    dialog = _search_dialog(window)
    assert dialog.circle == tuesday
    assert _results(qtbot, dialog, "lantern", 1) == ["The lantern by the door stays lit"]
    assert _results(qtbot, dialog, "note", 20) == [f"note {n}" for n in range(LATER - 1, 14, -1)]
    assert dialog.more_button.isVisible()  # a full page: there are more
    dialog.more_button.click()
    qtbot.waitUntil(lambda: len(dialog.hits) == LATER, timeout=WAIT_MS)
    assert not dialog.more_button.isVisible()
    assert _results(qtbot, dialog, "nothing-like-this", 0) == []
    assert dialog.status.text() == "No message you can read has all of these words."
    # Esc closes
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Escape)
    assert window.active_dialog is None


def test_a_snippet_is_plain_text_with_the_matches_in_bold(qtbot: QtBot) -> None:
    hit = SearchHitView(
        circle="c1" * 16,
        circle_name="<i>Tea</i>",
        message="b3" * 16,
        text='<img src="x"> the <b>garden</b>',
        author="a2" * 32,
        author_name="<u>Bee</u>",
        ts=0,
        lamport=3,
        cw="",
        filter="show",
        mine=False,
        snippet=(
            SnippetPartView('<img src="x"> the <b>', False),
            SnippetPartView("garden", True),
            SnippetPartView("</b>", False),
        ),
    )
    assert snippet_html(hit) == (
        "&lt;img src=&quot;x&quot;&gt; the &lt;b&gt;<b>garden</b>&lt;/b&gt;"
    )
    # a collapsed topic shows its warning, never the words
    folded = SearchHitView(**{**hit.__dict__, "cw": "grief", "filter": "collapse"})
    assert "garden" not in snippet_html(folded) and "Grief" in snippet_html(folded)

    # as the list shows it: the heading's names escaped too
    dialog = SearchDialog(EngineBridge(_no_engine))  # shown results only: no engine asked
    qtbot.addWidget(dialog)
    dialog.show_results([hit], "garden", more=False)
    label = dialog.results.itemWidget(dialog.results.item(0))
    assert isinstance(label, QLabel)
    assert "<img" not in label.text() and "&lt;u&gt;Bee&lt;/u&gt;" in label.text()
    assert dialog.status.text() == "1 message found."


def _no_engine(_emit: Any) -> Any:
    raise AssertionError("the engine must not be needed")
