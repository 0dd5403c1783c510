"""A facilitator's list of messages hidden pending review ("Care and review"), through the
widgets on real engines on 127.0.0.1: Ash founds a circle, Bee and Cee join as plain
members, and one flag hides a message. Ash flags Cee's messages (a plain member flags only
after the circle's flag_after_hours, a day by default); Ash finds them in the list with the
badge counting them, goes to one in the conversation (older pages fetched on the way),
restores one and deletes another for everyone. Bee and Cee never see the list or the
badge, and the list never shows the hidden text or who flagged it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from peerapp.core.api.moderation import ModerationLogOf, SetSettings
from peerapp.core.api.safety import Flag, PendingReviewView
from peerapp.core.circle_events import EventType
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.dialogs.care_flags import CareFlagsDialog, ReviewCard
from peerapp.ui.dialogs.confirm_action import ConfirmWithReasonDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.notices import reason_of
from peerapp.ui.text import care, moderation
from peerapp.ui.widgets.message_model import Look
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    send_by_typing,
    wait_for_text,
    wait_settled,
)
from tests.gui.helpers import WAIT_MS, click, close_dialog, resolve, type_into

FIRST = "Something hurtful that should not have been said."
SECOND = "Another thing that should not stay up."
REASON = "Hurtful to another member"
LATER = ["Let's take a breath.", "Thank you all for being here.", "See you next week."]


def test_a_pending_review_keeps_its_authors_name_out_of_reprs() -> None:
    review = PendingReviewView("ab" * 32, "cd" * 32, "Cee", 2, 5, 7)
    assert "Cee" not in repr(review)


def test_badge_words_count_both() -> None:
    assert care.care_badge(2, 0) == care.care_flags_button(2)
    assert care.care_badge(0, 1) == "1 to review"
    assert care.care_badge(2, 1) == "2 care flags · 1 to review"


def look_of(pane: CirclePane, message_id: str) -> Look | None:
    message = pane.model.message(message_id)
    return None if message is None else pane.model.presentation_of(message).look


def wait_look(qtbot: QtBot, panes: list[CirclePane], message_id: str, look: Look) -> None:
    for pane in panes:
        qtbot.waitUntil(
            lambda p=pane: look_of(p, message_id) is look,  # type: ignore[misc]
            timeout=DELIVERY_WAIT_MS,
        )


def flag(qtbot: QtBot, window: MainWindow, circle: str, message_id: str) -> None:
    """Flag a message as harmful, as the message menu's confirmation does."""
    result = resolve(
        qtbot, window.bridge.request(Flag(circle=circle, kind="harm", message=message_id))
    )
    assert result.hidden is True and result.harm_flags == 1


def open_list(qtbot: QtBot, window: MainWindow, pane: CirclePane) -> CareFlagsDialog:
    click(pane.header.care_flags_button)
    dialog = window.active_dialog
    assert isinstance(dialog, CareFlagsDialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT_MS)
    return dialog


def card_of(dialog: CareFlagsDialog, message_id: str) -> ReviewCard:
    assert [review.message for review in dialog.reviews] == [message_id]
    return dialog.review_cards[message_id]


def no_badge(panes: list[CirclePane]) -> bool:
    return all(pane.header.care_flags_button.isHidden() for pane in panes)


def test_a_facilitator_reviews_hidden_messages_from_the_list(
    qtbot: QtBot, three_members: tuple[MainWindow, MainWindow, MainWindow, str]
) -> None:
    ash, bee, cee, circle = three_members
    names = ["Ash", "Bee", "Cee"]
    panes = [wait_settled(qtbot, w, circle, names) for w in (ash, bee, cee)]
    ash_pane, bee_pane, cee_pane = panes

    resolve(qtbot, ash.bridge.request(SetSettings(circle=circle, harm_flags_to_hide=1)))
    for pane in panes:
        qtbot.waitUntil(
            lambda p=pane: p.info is not None and p.info.harm_flags_to_hide == 1,  # type: ignore[misc]
            timeout=DELIVERY_WAIT_MS,
        )
    assert ash_pane.care.flags_action.text() == care.care_and_review_action()
    assert ash_pane.care.flags_action.isVisible()

    # Cee writes; then the conversation goes on for a while
    cee.circle_list.select(circle)
    send_by_typing(qtbot, cee, FIRST)
    for text in LATER:
        send_by_typing(qtbot, cee, text)
    first = wait_for_text(qtbot, bee, circle, FIRST)
    wait_for_text(qtbot, ash, circle, LATER[-1])

    # one flag hides it for everyone; Ash's badge counts it, nobody else has one
    flag(qtbot, ash, circle, first.id)
    wait_look(qtbot, panes, first.id, Look.HIDDEN)
    qtbot.waitUntil(
        lambda: ash_pane.header.care_flags_button.text() == care.care_badge(0, 1),
        timeout=DELIVERY_WAIT_MS,
    )
    assert not ash_pane.header.care_flags_button.isHidden()
    assert ash_pane.care.review_count == 1
    assert no_badge([bee_pane, cee_pane])
    assert not bee_pane.care.flags_action.isVisible()
    assert not cee_pane.care.flags_action.isVisible()

    # the list: Cee's message, when, one flag; neither its text nor who flagged it
    listed = open_list(qtbot, ash, ash_pane)
    assert listed.windowTitle() == care.care_and_review_title()
    assert listed.empty_label.isVisibleTo(listed)  # no care flags
    assert not listed.review_empty_label.isVisibleTo(listed)
    card = card_of(listed, first.id)
    assert card.summary.text() == care.review_summary("Cee")
    assert care.review_flags(1) in card.details.text()
    assert card.restore_button.isVisibleTo(card) and card.own_note is None
    shown_text = " ".join(label.text() for label in listed.findChildren(QLabel))
    assert FIRST not in shown_text and "Ash" not in shown_text

    # "Show in conversation": with only the latest messages shown, older pages come in
    # until the message is there, and it becomes the current row in view
    ash_pane.history_page = 2
    with qtbot.waitSignal(ash_pane.model.modelReset, timeout=WAIT_MS):
        ash_pane.review.reload_filtered()
    assert first.id not in ash_pane.model and ash_pane.has_older
    with qtbot.waitSignal(listed.finished, timeout=WAIT_MS):
        click(card.show_button)
    qtbot.waitUntil(lambda: first.id in ash_pane.model, timeout=WAIT_MS)
    view = ash_pane.message_list
    row = ash_pane.model.row_of(first.id)
    qtbot.waitUntil(lambda: view.currentIndex().row() == row, timeout=WAIT_MS)
    assert view.viewport().rect().intersects(view.visualRect(view.currentIndex()))
    assert look_of(ash_pane, first.id) is Look.HIDDEN  # read it with "Show anyway"

    # Restore: off the list, shown again for everyone, the badge gone
    listed = open_list(qtbot, ash, ash_pane)
    click(card_of(listed, first.id).restore_button)
    qtbot.waitUntil(lambda: not listed.reviews, timeout=WAIT_MS)
    assert listed.review_empty_label.isVisibleTo(listed)
    wait_look(qtbot, panes, first.id, Look.PLAIN)
    qtbot.waitUntil(lambda: no_badge(panes), timeout=WAIT_MS)
    close_dialog(qtbot, listed)

    # a second message hidden, deleted for everyone from the list (asked first)
    send_by_typing(qtbot, cee, SECOND)
    second = wait_for_text(qtbot, bee, circle, SECOND)
    wait_for_text(qtbot, ash, circle, SECOND)
    flag(qtbot, ash, circle, second.id)
    wait_look(qtbot, panes, second.id, Look.HIDDEN)
    qtbot.waitUntil(
        lambda: ash_pane.header.care_flags_button.text() == care.care_badge(0, 1),
        timeout=DELIVERY_WAIT_MS,
    )
    listed = open_list(qtbot, ash, ash_pane)
    click(card_of(listed, second.id).delete_button)
    asking = listed.confirming
    # someone else's message: the optional reason is offered, as in the pane's delete
    assert isinstance(asking, ConfirmWithReasonDialog)
    assert asking.windowTitle() == moderation.delete_message_title()
    type_into(asking.reason_field.edit, REASON)
    with qtbot.waitSignal(asking.accepted, timeout=WAIT_MS):
        click(asking.primary_button)
    qtbot.waitUntil(lambda: not listed.reviews, timeout=WAIT_MS)
    for pane in panes:
        qtbot.waitUntil(
            lambda p=pane: (m := p.model.message(second.id)) is not None and bool(m.deleted),  # type: ignore[misc]
            timeout=DELIVERY_WAIT_MS,
        )
        message = pane.model.message(second.id)
        assert message is not None and message.text == ""
    qtbot.waitUntil(lambda: no_badge(panes), timeout=WAIT_MS)
    close_dialog(qtbot, listed)
    assert bee_pane.care.review_count == 0 and cee_pane.care.review_count == 0
    # the reason typed there is the moderation log entry's
    log = resolve(qtbot, ash.bridge.request(ModerationLogOf(circle=circle))).entries
    deleted = [entry for entry in log if entry.action == EventType.DELETE.value]
    assert [reason_of(entry) for entry in deleted] == [REASON]
