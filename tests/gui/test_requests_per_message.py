"""What one chat message costs in engine requests (issue 13): the sender's window and the
receiver's, each with the circle open, on two real engines on 127.0.0.1.

Each window's `EngineBridge.request` is wrapped to record the commands it sends; the
periodic sync-status question of an open pane (every few seconds, whatever happens) is
recorded apart. The counts are printed; the target is asserted: the sender sends its
message and nothing else, the receiver shows it from the event alone."""

from __future__ import annotations

from collections import Counter

from pytestqt.qtbot import QtBot

from peerapp.core.api.messages import SendMessage
from peerapp.ui.main_window import MainWindow
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
