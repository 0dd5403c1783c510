"""A circle's history on a real engine: the latest page first, older pages when the
person scrolls to the top, in the engine's order, without jumping."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from peerapp.core.api.messages import History, SendMessage
from peerapp.ui.circle_pane import CirclePane
from tests.binding import bound
from tests.gui.circle_steps import create_circle
from tests.gui.helpers import WAIT_MS, StartSession, resolve

TOTAL = 25
PAGE = 10


def test_scrolling_to_the_top_loads_older_messages(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    circle = create_circle(qtbot, window, "Tuesday circle", "Ash")
    for number in range(TOTAL):
        text = f"note {number} " + "with some words " * 4
        resolve(qtbot, window.bridge.request(SendMessage(circle=circle, text=text)))
    everything = resolve(qtbot, window.bridge.request(History(circle=circle, limit=500))).messages

    pane = CirclePane(window.bridge, circle, "Tuesday circle", 1)
    pane.history_page = PAGE
    qtbot.addWidget(pane)
    pane.resize(640, 360)
    pane.show()
    pane.load()
    qtbot.waitUntil(lambda: pane.loaded, timeout=WAIT_MS)
    assert [m.id for m in pane.model.messages()] == [m.id for m in everything[-PAGE:]]
    bar = pane.message_list.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=WAIT_MS)

    for shown in (2 * PAGE, TOTAL):
        bar.setValue(bar.minimum())
        qtbot.waitUntil(bound(shown, lambda n: len(pane.model.messages()) == n), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not pane.loading_older, timeout=WAIT_MS)
        # what was on screen stays there (restored once the taller list is laid out)
        qtbot.waitUntil(lambda: bar.value() > bar.minimum(), timeout=WAIT_MS)

    assert [m.id for m in pane.model.messages()] == [m.id for m in everything]
    assert not pane.has_older
