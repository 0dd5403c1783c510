"""What one chat message costs in engine requests (issue 13): the sender's window and the
receiver's, each with the circle open, on two real engines on 127.0.0.1.

Each window's `EngineBridge.request` is wrapped to record the commands it sends; the
periodic sync-status question of an open pane (every few seconds, whatever happens) is
recorded apart. The counts are printed; the target is asserted: the sender sends its
message and nothing else, the receiver shows it from the event alone. Then what the
finer events change in the widgets that show them (the unread badge, delivery states)."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from peerapp.core.api.messages import SendMessage
from peerapp.core.events import CircleView, MessageView
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import conversation
from peerapp.ui.widgets.circle_list import CircleList, entries_from
from peerapp.ui.widgets.message_model import MessageModel
from tests.gui.circle_steps import pane_of, send_by_typing, wait_for_text
from tests.gui.request_recorder import Recorder


def test_one_message_costs_the_sender_one_request_and_the_receiver_none(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str]
) -> None:
    ash, bee, circle = two_members
    assert ash.current_pane() is pane_of(ash, circle)
    assert bee.current_pane() is pane_of(bee, circle)
    # the receiver's window is not the active one (offscreen, none is): a message seen in
    # the active window costs one mark_read more, the point of having seen it
    assert not bee.isActiveWindow()
    sender, receiver = Recorder(ash.bridge), Recorder(bee.bridge)
    for recorder in (sender, receiver):
        recorder.quiet_round(qtbot)  # what joining set going has settled
        recorder.recording = True

    send_by_typing(qtbot, ash, "Thinking of you all tonight.")
    arrived = wait_for_text(qtbot, bee, circle, "Thinking of you all tonight.")
    assert not arrived.mine
    for recorder in (sender, receiver, sender, receiver):
        recorder.quiet_round(qtbot)
    print(
        f"\nrequests for one message: sender {sum(sender.sent.values())} {dict(sender.sent)}, "
        f"receiver {sum(receiver.sent.values())} {dict(receiver.sent)} "
        f"(periodic sync_status apart: {sender.periodic}, {receiver.periodic})"
    )
    assert sender.sent == Counter({SendMessage.__name__: 1})
    assert receiver.sent == Counter()
    # what the result and the events alone showed: the message in the sender's list, and
    # the receiver's unread badge
    assert [m.text for m in pane_of(ash, circle).model.messages()] == [arrived.text]
    assert bee.circle_list.unread(circle) == 1


# -- what the finer events change, widget by widget -------------------------------------


@pytest.mark.usefixtures("hearth_app")
def test_unread_changed_moves_one_badge_and_a_quiet_circle_stays_silent() -> None:
    circles = CircleList()
    circles.set_circles(
        entries_from(
            [
                CircleView(id="c1", name="Tuesday", members=2, unread=0),
                CircleView(id="c2", name="Walkers", members=2, unread=1, quiet=True),
            ]
        )
    )
    circles.set_unread("c1", 4)
    circles.set_unread("c2", 5)
    circles.set_unread("gone", 9)  # a circle no longer listed: nothing to move
    assert (circles.unread("c1"), circles.badge("c1")) == (4, 4)
    assert (circles.unread("c2"), circles.badge("c2")) == (5, 0)
    assert circles.total_unread() == 4
    assert circles.ids() == ["c1", "c2"]
    spoken = circles.list.item(0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == f"Tuesday, {conversation.unread_count(4)}"


@pytest.mark.usefixtures("hearth_app")
def test_delivery_changed_sets_how_many_hold_each_own_message_only() -> None:
    model = MessageModel()
    model.set_others(2)
    mine = MessageView(id="m1", author="a", author_name="Ash", text="hi", ts=1, mine=True)
    theirs = MessageView(id="t1", author="b", author_name="Bee", text="yo", ts=2, mine=False)
    model.append([mine, theirs])
    assert model.set_held_by({"m1": 2, "t1": 2, "unknown": 1}) == 1
    assert model.set_held_by({"m1": 2}) == 0  # unchanged: no row touched
    assert [m.held_by for m in model.messages()] == [2, 0]
    assert not model.awaiting_delivery()
