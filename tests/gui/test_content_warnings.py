"""Content warnings and check-ins through the widgets: how a message shows for a reader
(collapsed behind its warning, tagged, a compact check-in), "Show" and "Hide again" by
mouse and keyboard, the composer's warning chip and the check-in dialog. The rules and the
list first, without an engine; then real engines on 127.0.0.1, two members in a circle."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from peerapp.core.content_warnings import TOPICS
from peerapp.core.events import MessageView
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.dialogs.check_in import CheckInDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.notifier import notification_for, notified_text
from peerapp.ui.text import check_ins, conversation, safety
from peerapp.ui.timeline import MessageRow
from peerapp.ui.widgets.message_list import MessageList
from peerapp.ui.widgets.message_model import (
    Button,
    Look,
    MessageModel,
    describe,
    presentation,
)
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    create_circle,
    pane_of,
    send_by_typing,
    wait_for_text,
)
from tests.gui.helpers import LEFT, WAIT_MS, StartSession, click, type_into

NOON = int(datetime.combine(date.today(), datetime.min.time()).timestamp() * 1000) + 43_200_000
HARD = "It has been a really hard week since the funeral."


def view(number: int, **fields: object) -> MessageView:
    base = MessageView(f"{number:064x}", "b" * 64, "Bee", HARD, NOON + number, False)
    return dataclasses.replace(base, **fields)  # type: ignore[arg-type]


# -- the rules, without Qt ----------------------------------------------------------------


def test_a_warning_the_reader_collapses_shows_only_the_label_until_revealed() -> None:
    message = view(1, cw="grief", filter="collapse")

    collapsed = presentation(message, revealed=False, reviewer=False)
    assert collapsed.look is Look.WARNED
    assert collapsed.text == safety.cw_label("grief") == "Content warning: Grief and loss"
    assert collapsed.buttons == ((Button.SHOW, safety.cw_show()),)
    assert HARD not in describe(MessageRow(message, True), date.today(), 0, collapsed)

    shown = presentation(message, revealed=True, reviewer=False)
    assert shown.look is Look.PLAIN
    assert shown.text == HARD
    assert shown.tags == (safety.cw_label("grief"),)
    assert shown.buttons == ((Button.HIDE_AGAIN, safety.cw_hide_again()),)


def test_a_warning_the_reader_shows_is_a_tag_above_the_text() -> None:
    shown = presentation(view(1, cw="Moving house", filter="show"), False, False)
    assert (shown.look, shown.text, shown.tags, shown.buttons) == (
        Look.PLAIN,
        HARD,
        ("Content warning: Moving house",),
        (),
    )


def test_hidden_pending_review_comes_before_the_warning_and_offers_restore_to_reviewers() -> None:
    message = view(1, cw="grief", filter="collapse", hidden=True, harm_flags=3)
    member = presentation(message, revealed=False, reviewer=False)
    facilitator = presentation(message, revealed=False, reviewer=True)
    assert member.look is Look.HIDDEN
    assert member.text == safety.hidden_pending_review()
    assert member.buttons == ((Button.SHOW, safety.show_anyway()),)
    assert [kind for kind, _ in facilitator.buttons] == [Button.SHOW, Button.RESTORE]

    anyway = presentation(message, revealed=True, reviewer=True)
    assert anyway.text == HARD
    assert anyway.tags == (safety.hidden_pending_review(), safety.cw_label("grief"))
    assert [kind for kind, _ in anyway.buttons] == [Button.HIDE_AGAIN, Button.RESTORE]


def test_a_check_in_is_compact_and_said_in_words() -> None:
    check_in = view(1, mood=2, text="Slept badly.")
    shown = presentation(check_in, revealed=False, reviewer=False)
    assert shown.look is Look.CHECK_IN
    said = describe(MessageRow(check_in, True), date.today(), 0, shown)
    assert "Bee checked in: Having a hard time (2 of 5). Slept badly." in said


def test_every_listed_topic_has_a_name_people_read() -> None:
    assert all(safety.cw_name(topic) != topic for topic in TOPICS)
    assert safety.cw_name("A custom label") == "A custom label"


# -- the list, without an engine ----------------------------------------------------------


@pytest.fixture
def shown_list(qtbot: QtBot, hearth_app: object) -> MessageList:
    model = MessageModel()
    message_list = MessageList(model)
    qtbot.addWidget(message_list)
    message_list.resize(600, 400)
    message_list.show()
    qtbot.waitExposed(message_list)
    return message_list


def press(qtbot: QtBot, message_list: MessageList, message_id: str, button: Button) -> None:
    """A real click on a button drawn in a message's bubble."""
    rect = message_list.button_rect(message_id, button)
    assert rect is not None, f"no {button} in the bubble"
    QTest.mouseClick(message_list.viewport(), LEFT, pos=rect.center())


def test_show_reveals_a_collapsed_message_and_hide_again_collapses_it(
    qtbot: QtBot, shown_list: MessageList
) -> None:
    model = shown_list.message_model
    message = view(1, cw="grief", filter="collapse")
    model.append([message])
    collapsed_height = shown_list.visualRect(model.index(1)).height()
    assert model.presentation_of(message).look is Look.WARNED
    assert shown_list.button_rect(message.id, Button.HIDE_AGAIN) is None

    press(qtbot, shown_list, message.id, Button.SHOW)
    qtbot.waitUntil(lambda: model.is_revealed(message.id), timeout=WAIT_MS)
    assert model.presentation_of(message).text == HARD
    assert shown_list.visualRect(model.index(1)).height() > collapsed_height

    press(qtbot, shown_list, message.id, Button.HIDE_AGAIN)
    qtbot.waitUntil(lambda: not model.is_revealed(message.id), timeout=WAIT_MS)


def test_enter_on_a_collapsed_message_shows_it_and_its_menu_offers_the_same(
    qtbot: QtBot, shown_list: MessageList
) -> None:
    model = shown_list.message_model
    message = view(1, cw="self-harm", filter="collapse")
    model.append([message])
    index = model.index(1)
    menu = shown_list.menu_for(index)
    assert menu is not None
    labels = [action.text() for action in menu.actions()]
    assert safety.cw_show() in labels
    assert conversation.copy_message() not in labels  # copying would reveal it unasked
    shown_list.setFocus()
    shown_list.setCurrentIndex(index)
    QTest.keyClick(shown_list, Qt.Key.Key_Return)
    assert model.is_revealed(message.id)
    assert shown_list.selected_text() == HARD


def test_a_check_in_row_is_one_slim_line(qtbot: QtBot, shown_list: MessageList) -> None:
    model = shown_list.message_model
    check_in = view(1, mood=4, text="Better today.")
    plain = view(2, text="Better today.", author="c" * 64, author_name="Cee")
    model.append([check_in, plain])
    check_in_height = shown_list.visualRect(model.index(1)).height()
    plain_height = shown_list.visualRect(model.index(2)).height()
    assert 0 < check_in_height < plain_height  # no name above it, a slimmer bubble
    delegate = shown_list.message_delegate
    geometry, _ = delegate._geometry(model.row(1), shown_list.viewport().width())  # type: ignore[arg-type]
    assert geometry.text_origin.y() == geometry.head_rect.top()  # the line beside the mood


# -- real engines ---------------------------------------------------------------------------


def choose_warning(pane: CirclePane, label: str) -> None:
    action = next(a for a in pane.composer.cw_menu.actions() if a.text() == label)
    action.trigger()


def test_the_composer_chip_shows_the_warning_goes_with_the_message_and_resets(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    create_circle(qtbot, window, "Tuesday circle", "Ash")
    pane = window.current_pane()
    assert pane is not None
    composer = pane.composer
    assert composer.cw_chip.isHidden()

    choose_warning(pane, safety.cw_name("grief"))
    assert composer.content_warning == "grief"
    assert composer.cw_chip.isVisible()
    assert composer.cw_chip_label.text() == "Content warning: Grief and loss"
    click(composer.cw_remove_button)
    assert composer.content_warning == ""
    assert composer.cw_chip.isHidden()

    choose_warning(pane, safety.cw_custom_choice())
    assert composer.cw_custom_edit.isVisible()
    type_into(composer.cw_custom_edit, "  Moving   house ")
    QTest.keyClick(composer.cw_custom_edit, Qt.Key.Key_Return)
    assert composer.content_warning == "Moving house"
    assert composer.cw_custom_edit.isHidden()
    assert composer.cw_chip_label.text() == "Content warning: Moving house"

    send_by_typing(qtbot, window, "We are packing the last boxes.")
    sent = wait_for_text(qtbot, window, pane.circle_id, "We are packing the last boxes.")
    assert sent.cw == "Moving house"
    assert composer.content_warning == ""
    assert composer.cw_chip.isHidden()

    send_by_typing(qtbot, window, "And now a plain one.")
    assert wait_for_text(qtbot, window, pane.circle_id, "And now a plain one.").cw == ""


def test_a_warned_message_arrives_collapsed_and_show_reveals_it(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str]
) -> None:
    ash, bee, circle = two_members
    choose_warning(pane_of(ash, circle), safety.cw_name("grief"))
    send_by_typing(qtbot, ash, HARD)

    arrived = wait_for_text(qtbot, bee, circle, HARD)
    bee_pane = pane_of(bee, circle)
    assert (arrived.cw, arrived.filter) == ("grief", "collapse")
    assert bee_pane.model.presentation_of(arrived).look is Look.WARNED
    number = bee_pane.model.row_of(arrived.id)
    assert number is not None
    said = bee_pane.model.index(number).data(Qt.ItemDataRole.AccessibleTextRole)
    assert safety.cw_label("grief") in said
    assert HARD not in said

    bee_list = bee_pane.message_list
    press(qtbot, bee_list, arrived.id, Button.SHOW)
    qtbot.waitUntil(lambda: bee_pane.model.is_revealed(arrived.id), timeout=WAIT_MS)
    assert bee_pane.model.presentation_of(arrived).text == HARD


def test_a_check_in_goes_out_from_the_dialog_and_shows_compactly(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str]
) -> None:
    ash, bee, circle = two_members
    ash_pane = pane_of(ash, circle)
    click(ash_pane.composer.check_in_button)
    dialog = ash.active_dialog
    assert isinstance(dialog, CheckInDialog)
    assert dialog.heading_label.text() == check_ins.check_in_heading()
    assert not dialog.primary_button.isEnabled()  # a mood first
    QTest.keyClick(dialog, Qt.Key.Key_4)
    assert dialog.mood() == 4
    type_into(dialog.line_edit, "Better than last week.")
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        click(dialog.primary_button)

    for window in (ash, bee):
        model = pane_of(window, circle).model
        qtbot.waitUntil(lambda m=model: any(v.mood for v in m.messages()), timeout=DELIVERY_WAIT_MS)  # type: ignore[misc]
        [check_in] = [v for v in model.messages() if v.mood]
        assert (check_in.mood, check_in.text, check_in.author_name) == (
            4,
            "Better than last week.",
            "Ash",
        )
        assert model.presentation_of(check_in).look is Look.CHECK_IN


def test_notifications_never_carry_the_text_of_a_collapsed_message() -> None:
    warned = view(1, cw="grief", filter="collapse")
    hidden = view(2, hidden=True)
    shown = view(3, cw="grief", filter="show")
    check_in = view(4, mood=5, text="")
    assert notified_text(warned) == safety.cw_label("grief")
    assert notified_text(hidden) == safety.hidden_pending_review()
    assert notified_text(shown) == HARD
    assert notified_text(check_in) == check_ins.mood_name(5)
    note = notification_for("c" * 32, "Tuesday circle", [warned], show_text=True)
    assert HARD not in note.body
