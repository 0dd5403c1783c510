"""Care flags through the widgets, on real engines on 127.0.0.1: Ash founds a circle, Bee
and Cee join. Bee asks for support from her own menu entry, and is worried about Cee from
one of Cee's messages; Ash gets a gentle notification of its own, sees the badge and the
open flags, and marks them resolved. Cee is never told."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from peerapp.core.api.safety import CareFlagView
from peerapp.core.permissions import MemberAction
from peerapp.ui.dialogs.care_flag import CareFlagDialog
from peerapp.ui.dialogs.care_flags import CareFlagsDialog, about_themselves, open_flags
from peerapp.ui.main_window import MainWindow
from peerapp.ui.member_actions import care_actions
from peerapp.ui.text import care
from peerapp.ui.widgets.member_menu import labels_of
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    member_id,
    member_menu,
    pane_of,
    send_by_typing,
    wait_for_text,
    wait_settled,
)
from tests.gui.helpers import WAIT_MS, click, type_into

SUPPORT_NOTE = "This week has been a lot."
WORRIED_NOTE = "Cee sounded very low today."
CEE_WORDS = "I don't know how much longer I can keep going like this"


def test_care_actions_need_someone_to_tell() -> None:
    assert care_actions(myself=False, someone_to_tell=True) == [MemberAction.CARE_FLAG]
    assert care_actions(myself=True, someone_to_tell=True) == [MemberAction.ASK_SUPPORT]
    assert care_actions(myself=False, someone_to_tell=False) == []
    assert care_actions(myself=True, someone_to_tell=False) == []


def test_only_open_flags_are_listed_and_names_stay_out_of_reprs() -> None:
    flag = CareFlagView(
        id="01" * 16,
        member="aa" * 32,
        member_name="Cee",
        message=None,
        message_text="",
        note="worried",
        sender="bb" * 32,
        sender_name="Bee",
        received_at=5,
        resolved=False,
    )
    flags = [flag, dataclasses.replace(flag, id="02" * 16, resolved=True)]
    assert [f.id for f in open_flags(flags)] == ["01" * 16]
    assert not about_themselves(flag)
    assert about_themselves(dataclasses.replace(flag, sender=flag.member))
    assert "Cee" not in repr(flag) and "Bee" not in repr(flag) and "worried" not in repr(flag)


def _labels(menu: QMenu | None) -> list[str]:
    return [] if menu is None else labels_of(menu)


def _trigger(menu: QMenu | None, label: str) -> None:
    assert menu is not None
    next(a for a in menu.actions() if a.text() == label).trigger()


def _send_flag(qtbot: QtBot, window: MainWindow, note: str) -> CareFlagDialog:
    dialog = window.active_dialog
    assert isinstance(dialog, CareFlagDialog)
    qtbot.waitUntil(dialog.primary_button.isEnabled, timeout=WAIT_MS)  # no note needed
    type_into(dialog.note_edit, note)
    with qtbot.waitSignal(dialog.accepted, timeout=DELIVERY_WAIT_MS):
        click(dialog.primary_button)
    return dialog


def _care_notifications(window: MainWindow) -> list[str]:
    return [n.body for n in window.notifier.shown if n.title == care.care_flag_notification_title()]


def test_members_flag_care_and_the_facilitator_sees_and_resolves_them(
    qtbot: QtBot, three_members: tuple[MainWindow, MainWindow, MainWindow, str]
) -> None:
    ash, bee, cee, circle = three_members
    names = ["Ash", "Bee", "Cee"]
    ash_pane, bee_pane, cee_pane = (wait_settled(qtbot, w, circle, names) for w in (ash, bee, cee))

    # Bee's menu: support for herself; nothing about Ash, whom no one else could hear of
    own_menu = member_menu(bee_pane, "Bee")
    assert own_menu is not None and labels_of(own_menu) == [care.ask_support_action()]
    assert care.worried_action() not in _labels(member_menu(bee_pane, "Ash"))
    assert _labels(member_menu(bee_pane, "Cee"))[0] == care.worried_action()
    assert not ash_pane.header.care_flags_button.isVisible()
    assert ash_pane.care.flags_action.isVisible() and not bee_pane.care.flags_action.isVisible()

    # "I'd like support": worded for oneself; thanks in the status bar once sent
    _trigger(own_menu, care.ask_support_action())
    support = _send_flag(qtbot, bee, SUPPORT_NOTE)
    assert support.windowTitle() == care.support_title()
    assert support.explanation_label.text() == care.support_text()
    qtbot.waitUntil(lambda: bee.statusBar().currentMessage() == care.support_sent())

    # the founder: a notification of its own that names only the circle, and the badge
    qtbot.waitUntil(lambda: bool(_care_notifications(ash)), timeout=DELIVERY_WAIT_MS)
    assert _care_notifications(ash) == [care.care_flag_notification("Tuesday circle")]
    qtbot.waitUntil(
        lambda: ash_pane.header.care_flags_button.text() == care.care_flags_button(1),
        timeout=WAIT_MS,
    )
    assert not ash_pane.header.care_flags_button.isHidden()

    # from one of Cee's messages: "I'm worried about this person"
    cee.circle_list.select(circle)
    send_by_typing(qtbot, cee, CEE_WORDS)
    words = wait_for_text(qtbot, bee, circle, CEE_WORDS)
    row = bee_pane.model.row_of(words.id)
    assert row is not None
    message_menu = bee_pane.message_list.menu_for(bee_pane.model.index(row))
    _trigger(message_menu, care.worried_about_author())
    worried = _send_flag(qtbot, bee, WORRIED_NOTE)
    assert worried.heading_label.text() == care.care_flag_heading("Cee")
    assert worried.message == words.id and worried.member == member_id(bee_pane, "Cee")
    qtbot.waitUntil(
        lambda: ash_pane.header.care_flags_button.text() == care.care_flags_button(2),
        timeout=DELIVERY_WAIT_MS,
    )

    # the list: newest first, each with its note and, for the second, Cee's words
    click(ash_pane.header.care_flags_button)
    listed = ash.active_dialog
    assert isinstance(listed, CareFlagsDialog)
    qtbot.waitUntil(lambda: listed.loaded, timeout=WAIT_MS)
    cards = [listed.cards[flag.id] for flag in listed.flags]
    assert [card.summary.text() for card in cards] == [
        care.care_flag_summary("Cee", "Bee", about_themselves=False),
        care.care_flag_summary("Bee", "Bee", about_themselves=True),
    ]
    assert [card.note.text() for card in cards] == [WORRIED_NOTE, SUPPORT_NOTE]
    assert cards[0].excerpt is not None and CEE_WORDS in cards[0].excerpt.text()
    assert cards[1].excerpt is None

    for card in cards:
        click(card.resolve_button)
    qtbot.waitUntil(lambda: not listed.flags, timeout=WAIT_MS)
    assert listed.empty_label.isVisibleTo(listed)
    # the header's badge follows the circle's row (circle_changed), not the list
    qtbot.waitUntil(ash_pane.header.care_flags_button.isHidden, timeout=WAIT_MS)
    with qtbot.waitSignal(listed.finished, timeout=WAIT_MS):
        click(listed.primary_button)

    # Cee heard nothing of it, and nothing shows in anyone's conversation
    assert _care_notifications(cee) == [] and _care_notifications(bee) == []
    assert not cee_pane.care.flags_action.isVisible()
    for pane in (ash_pane, cee_pane, pane_of(bee, circle)):
        assert [m.text for m in pane.model.messages()] == [CEE_WORDS]

    # opened with one's own id and nothing else (as the drafting prompt's "Tell a
    # facilitator" does), the dialog finds out it is about oneself and words itself so
    bee_id = member_id(bee_pane, "Bee")
    asking = CareFlagDialog(bee_pane.bridge, circle, bee_id, "Bee", parent=bee_pane)
    qtbot.waitUntil(lambda: asking.myself is not None, timeout=WAIT_MS)
    assert asking.windowTitle() == care.support_title()
    assert asking.primary_button.text() == care.support_send()
    about_cee = CareFlagDialog(bee_pane.bridge, circle, member_id(bee_pane, "Cee"), "Cee")
    qtbot.waitUntil(lambda: about_cee.myself is False, timeout=WAIT_MS)
    assert about_cee.heading_label.text() == care.care_flag_heading("Cee")
    for dialog in (asking, about_cee):
        dialog.reject()
        dialog.deleteLater()
