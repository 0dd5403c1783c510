"""Private conversations through the widgets, on real engines on 127.0.0.1 (issue 14):
Ash founds a circle, Bee joins. The three doors to the "Private conversation" window:
the member menu's "Talk privately…", a care flag's "Reach out" and a reviewed message's
"Reach out to the author". Bee is not offered to open one until Ash wrote; then she sees
the badge on Ash, answers, and Ash's open window shows it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from peerapp.core.api.safety import PendingReviewView
from peerapp.ui.dialogs.care_flag import CareFlagDialog
from peerapp.ui.dialogs.care_flags import CareFlagsDialog
from peerapp.ui.dialogs.private_talk import PrivateTalkDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import care, notifications, private_talk
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    Circle,
    choose,
    member_id,
    member_menu,
    menu_of,
)
from tests.gui.helpers import WAIT_MS, click, type_into

HELLO = "Hi Bee, I noticed you've been quiet. How are you?"
ANSWER = "Thanks for asking. Better today."


def _send(qtbot: QtBot, window: PrivateTalkDialog, text: str) -> None:
    type_into(window.composer, text)
    with qtbot.waitSignal(window.sent, timeout=DELIVERY_WAIT_MS):
        click(window.send_button)


def test_a_facilitator_talks_privately_and_the_member_answers(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str]
) -> None:
    circle = Circle(*two_members)
    ash, bee = circle.pane(circle.ash), circle.pane(circle.bee)
    talk = private_talk.talk_privately_action()
    assert talk in menu_of(ash, "Bee")
    assert talk not in menu_of(bee, "Ash")  # a member answers; it never opens one

    choose(ash, "Bee", talk)
    to_bee = ash.private.windows[member_id(ash, "Bee")]
    assert to_bee.isVisible() and not to_bee.isModal()
    assert to_bee.windowTitle() == private_talk.window_title("Bee")
    qtbot.waitUntil(lambda: to_bee.empty.isVisibleTo(to_bee), timeout=WAIT_MS)
    _send(qtbot, to_bee, HELLO)
    assert to_bee.texts() == [HELLO] and to_bee.composer.toPlainText() == ""

    # Bee: a badge on Ash, and now she may answer
    ash_id = member_id(bee, "Ash")
    qtbot.waitUntil(lambda: bee.private.unread(ash_id) == 1, timeout=DELIVERY_WAIT_MS)
    qtbot.waitUntil(
        lambda: circle.bee.statusBar().currentMessage() == private_talk.arrived_notice("Ash"),
        timeout=WAIT_MS,
    )
    # and a desktop notification, as much as the default choice says: only the circle
    told = notifications.private_message_in(circle.bee.circle_list.name_of(circle.id))
    assert told in [shown.body for shown in circle.bee.notifier.shown]
    assert all(HELLO not in shown.body for shown in circle.bee.notifier.shown)
    badge = bee.member_panel.rows[ash_id].unread_label
    assert badge is not None and badge.text() == private_talk.unread_badge(1)
    qtbot.waitUntil(lambda: talk in menu_of(bee, "Ash"), timeout=WAIT_MS)
    assert menu_of(bee, "Ash")[0] == talk
    choose(bee, "Ash", talk)
    to_ash = bee.private.windows[ash_id]
    qtbot.waitUntil(lambda: to_ash.texts() == [HELLO], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bee.private.unread(ash_id) == 0, timeout=WAIT_MS)
    assert not badge.isVisibleTo(bee.member_panel)
    _send(qtbot, to_ash, ANSWER)

    # Ash's window, still open, shows the answer as it arrives
    qtbot.waitUntil(lambda: to_bee.texts() == [HELLO, ANSWER], timeout=DELIVERY_WAIT_MS)
    # opening it again brings the same window forward
    choose(ash, "Bee", talk)
    assert ash.private.windows[member_id(ash, "Bee")] is to_bee
    for window in (to_bee, to_ash):
        window.close()
    qtbot.waitUntil(lambda: not ash.private.windows and not bee.private.windows, timeout=WAIT_MS)
    QApplication.processEvents()


def test_reach_out_from_a_care_flag_and_from_a_message_under_review(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str]
) -> None:
    circle = Circle(*two_members)
    ash, bee = circle.pane(circle.ash), circle.pane(circle.bee)
    bee_id = member_id(ash, "Bee")

    # Bee asks for support; Ash's care list offers "Reach out"
    own = member_menu(bee, "Bee")
    assert own is not None
    next(a for a in own.actions() if a.text() == care.ask_support_action()).trigger()
    asking = circle.bee.active_dialog
    assert isinstance(asking, CareFlagDialog)
    qtbot.waitUntil(asking.primary_button.isEnabled, timeout=WAIT_MS)
    with qtbot.waitSignal(asking.accepted, timeout=DELIVERY_WAIT_MS):
        click(asking.primary_button)
    qtbot.waitUntil(
        lambda: ash.header.care_flags_button.text() == care.care_flags_button(1),
        timeout=DELIVERY_WAIT_MS,
    )
    listed = ash.care.open_list()
    qtbot.waitUntil(lambda: listed.loaded, timeout=WAIT_MS)
    (card,) = listed.cards.values()
    assert card.reach_out_button.text() == private_talk.reach_out()
    with qtbot.waitSignal(listed.finished, timeout=WAIT_MS):
        click(card.reach_out_button)
    window = ash.private.windows[bee_id]
    assert window.isVisible() and window.may_write
    assert window.windowTitle() == private_talk.window_title("Bee")
    window.close()
    qtbot.waitUntil(lambda: not ash.private.windows, timeout=WAIT_MS)

    # a message waiting for review: "Reach out to the author" (not on one's own)
    review = PendingReviewView(
        message="ab" * 32, author=bee_id, author_name="Bee", harm_flags=3, ts=0, lamport=9
    )
    listed = ash.care.open_list()
    qtbot.waitUntil(lambda: listed.loaded, timeout=WAIT_MS)
    listed.show_reviews([review], 0)
    (review_card,) = listed.review_cards.values()
    assert review_card.reach_out_button.text() == private_talk.reach_out_to_author()
    assert not review_card.reach_out_button.isHidden()
    with qtbot.waitSignal(listed.finished, timeout=WAIT_MS):
        click(review_card.reach_out_button)
    window = ash.private.windows[bee_id]
    assert window.isVisible()
    mine = CareFlagsDialog(ash.bridge, circle.id, my_id=bee_id)
    mine.show_reviews([review], 0)
    assert next(iter(mine.review_cards.values())).reach_out_button.isHidden()
    mine.deleteLater()
    window.close()
    qtbot.waitUntil(lambda: not ash.private.windows, timeout=WAIT_MS)
