"""Reports get a place, and a resolution's note reaches the other facilitators (issue 14),
on real engines on 127.0.0.1: Ash founds a circle, Bee and Cee join, Ash makes Bee a
facilitator. Cee writes; Bee reports it: Ash's "Care and review" lists the report (who,
whose, why, the words) with "Show in conversation", "Reach out" to the reporter or the
author and "Resolve" with a note; the circle's badge counts it until resolved. Bee's list,
open all along, shows Ash's note without being opened again; the same holds for a care
flag's note."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.dialogs.care_flag import CareFlagDialog
from peerapp.ui.dialogs.care_flags import CareFlagsDialog
from peerapp.ui.dialogs.report_message import ReportMessageDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import care, moderation, private_talk
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    choose,
    member_id,
    send_by_typing,
    wait_for_text,
    wait_settled,
)
from tests.gui.helpers import WAIT_MS, click, close_dialog, type_into

NAMES = ["Ash", "Bee", "Cee"]
WORDS = "Everyone should just cheer up"


def _report(qtbot: QtBot, window: MainWindow, pane: CirclePane, message_id: str) -> None:
    number = pane.model.row_of(message_id)
    assert number is not None
    menu = pane.message_list.menu_for(pane.model.index(number))
    assert menu is not None
    next(a for a in menu.actions() if a.text() == moderation.report_message()).trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, ReportMessageDialog)
    type_into(dialog.reason_edit, "This feels dismissive")
    with qtbot.waitSignal(dialog.accepted, timeout=DELIVERY_WAIT_MS):
        click(dialog.primary_button)


def _listed(qtbot: QtBot, pane: CirclePane) -> CareFlagsDialog:
    listed = pane.care.open_list()
    qtbot.waitUntil(lambda: listed.loaded, timeout=WAIT_MS)
    return listed


def test_reports_are_listed_acted_on_and_notes_reach_the_other_facilitator(
    qtbot: QtBot, three_members: tuple[MainWindow, MainWindow, MainWindow, str]
) -> None:
    ash, bee, cee, circle = three_members
    ash_pane, bee_pane, cee_pane = (
        wait_settled(qtbot, w, circle, NAMES) for w in three_members[:3]
    )
    choose(ash_pane, "Bee", moderation.promote_action())
    qtbot.waitUntil(lambda: bee_pane.controller.facilitating, timeout=DELIVERY_WAIT_MS)
    cee.circle_list.select(circle)
    send_by_typing(qtbot, cee, WORDS)
    said = wait_for_text(qtbot, bee, circle, WORDS)
    _report(qtbot, bee, bee_pane, said.id)

    # Ash: the report waits on the circle's row, and the status bar says one came
    qtbot.waitUntil(
        lambda: ash_pane.header.care_flags_button.text() == care.care_badge(0, 1),
        timeout=DELIVERY_WAIT_MS,
    )
    assert ash.circle_list.care(circle) == 1
    listed = _listed(qtbot, ash_pane)
    (card,) = listed.report_cards.values()
    assert card.summary.text() == care.report_summary("Bee", "Cee")
    assert card.reason.text() == care.report_reason("This feels dismissive")
    assert card.excerpt is not None and card.excerpt.text() == f"“{WORDS}”"
    assert card.reach_reporter_button.text() == care.reach_out_to_reporter("Bee")
    for button in (card.show_button, card.reach_reporter_button, card.reach_author_button):
        assert not button.isHidden()
    assert listed.reports_empty_label.isHidden()

    # Bee keeps a copy (a facilitator who reports): Bee's list stays open meanwhile
    bee_list = _listed(qtbot, bee_pane)
    (bee_card,) = bee_list.report_cards.values()
    assert bee_card.reach_reporter_button.isHidden()  # not to oneself

    # Ash resolves it with a note: gone from Ash's list and badge; Bee's open list shows
    # the note under the report without being opened again (the resolution_note event)
    type_into(card.note_edit, "Spoke with Cee, all calm.")
    click(card.resolve_button)
    qtbot.waitUntil(lambda: not listed.report_cards, timeout=WAIT_MS)
    assert not listed.reports_empty_label.isHidden()
    qtbot.waitUntil(lambda: ash.circle_list.care(circle) == 0, timeout=WAIT_MS)
    said_by_ash = private_talk.flag_note("Ash", "Spoke with Cee, all calm.")
    qtbot.waitUntil(
        lambda: (
            [n.text() for c in bee_list.report_cards.values() for n in c.notes] == [said_by_ash]
        ),
        timeout=DELIVERY_WAIT_MS,
    )
    close_dialog(qtbot, listed)

    # "Show in conversation": the list closes and the message is the current row
    (bee_card,) = bee_list.report_cards.values()
    with qtbot.waitSignal(bee_list.finished, timeout=WAIT_MS):
        click(bee_card.show_button)
    row = bee_pane.model.row_of(said.id)
    qtbot.waitUntil(lambda: bee_pane.message_list.currentIndex().row() == row, timeout=WAIT_MS)

    # "Reach out to the author": the private conversation with Cee
    bee_list = _listed(qtbot, bee_pane)
    (bee_card,) = bee_list.report_cards.values()
    with qtbot.waitSignal(bee_list.finished, timeout=WAIT_MS):
        click(bee_card.reach_author_button)
    cee_id = member_id(bee_pane, "Cee")
    window = bee_pane.private.windows[cee_id]
    assert window.isVisible() and window.windowTitle() == private_talk.window_title("Cee")
    window.close()
    qtbot.waitUntil(lambda: not bee_pane.private.windows, timeout=WAIT_MS)

    # a care flag's note: Cee asks for support, both facilitators hear; Ash resolves with
    # a note and Bee's open list shows it at once
    asking = cee_pane.care.open_flag(member_id(cee_pane, "Cee"), None)
    assert isinstance(asking, CareFlagDialog)
    qtbot.waitUntil(asking.primary_button.isEnabled, timeout=WAIT_MS)
    with qtbot.waitSignal(asking.accepted, timeout=DELIVERY_WAIT_MS):
        click(asking.primary_button)
    qtbot.waitUntil(lambda: bee_pane.care.open_count == 1, timeout=DELIVERY_WAIT_MS)
    qtbot.waitUntil(lambda: ash_pane.care.open_count == 1, timeout=DELIVERY_WAIT_MS)
    bee_list = _listed(qtbot, bee_pane)
    listed = _listed(qtbot, ash_pane)
    (flag_card,) = listed.cards.values()
    type_into(flag_card.note_edit, "I called Cee.")
    click(flag_card.resolve_button)
    qtbot.waitUntil(lambda: not listed.cards, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: (
            [n.text() for c in bee_list.cards.values() for n in c.notes]
            == [private_talk.flag_note("Ash", "I called Cee.")]
        ),
        timeout=DELIVERY_WAIT_MS,
    )
    close_dialog(qtbot, listed)
    close_dialog(qtbot, bee_list)
