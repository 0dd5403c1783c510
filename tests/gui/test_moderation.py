"""Facilitating a circle through the widgets, on real engines on 127.0.0.1: member menus
that offer exactly what the viewer may do, muting, deleting for everyone, slow mode from
the settings dialog, removal, the moderation log, reporting and leaving."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from peerapp.core.mailbox_messages import MAX_REASON_CHARS
from peerapp.core.moderation_policy import MAX_REASON_CHARS as MAX_MODERATION_REASON_CHARS
from peerapp.core.permissions import MemberAction
from peerapp.engine.profiles import TEST_KDF, create_profile
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.dialogs.circle_settings import CircleSettingsDialog
from peerapp.ui.dialogs.confirm_action import ConfirmActionDialog, ConfirmWithReasonDialog
from peerapp.ui.dialogs.moderation_log import ModerationLogDialog
from peerapp.ui.dialogs.mute_member import MuteMemberDialog
from peerapp.ui.dialogs.report_message import ReportMessageDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import (
    around,
    boundaries,
    care,
    circles,
    content,
    conversation,
    moderation,
    private_talk,
    safety,
)
from peerapp.ui.widgets.member_list import badge_of
from peerapp.ui.widgets.message_model import describe
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    Circle,
    choose,
    copy_invite,
    join_circle,
    member_id,
    menu_of,
    send_by_typing,
    wait_for_text,
    wait_settled,
)
from tests.gui.helpers import PASSPHRASES, WAIT_MS, StartSession, click, type_into

MEMBER_MENU = [moderation.promote_action(), moderation.mute_menu(), moderation.remove_action()]
MEMBER_MENU += [moderation.ban_action()]
FACILITATOR_MENU = [moderation.demote_action(), moderation.make_founder_action()]
FACILITATOR_MENU += [moderation.mute_menu(), moderation.remove_action(), moderation.ban_action()]
# care flags, offered when a facilitator other than oneself and the member can hear them
WORRIED = [care.worried_action()]
SUPPORT = [care.ask_support_action()]
# one's own boundary, offered last on every other member (peerapp.ui.pane_boundaries)
BLOCK = [boundaries.block_action()]
MEMBER_MENU += BLOCK
FACILITATOR_MENU += BLOCK
# a facilitator may talk privately with anyone (core/private_talk.py): offered first
TALK = [private_talk.talk_privately_action()]


@pytest.fixture
def circle(two_members: tuple[MainWindow, MainWindow, str]) -> Circle:
    """Ash creates a circle and invites Bee, who joins by pasting the code."""
    return Circle(*two_members)


def confirm(qtbot: QtBot, window: MainWindow, title: str) -> None:
    dialog = window.active_dialog
    assert isinstance(dialog, ConfirmActionDialog)
    assert dialog.windowTitle() == title
    with qtbot.waitSignal(dialog.accepted, timeout=DELIVERY_WAIT_MS):
        click(dialog.primary_button)


def wait_notice(qtbot: QtBot, pane: CirclePane, text: str) -> None:
    qtbot.waitUntil(
        lambda: text in [n.text for n in pane.model.notices()], timeout=DELIVERY_WAIT_MS
    )


def wait_role(qtbot: QtBot, pane: CirclePane, name: str, role: str) -> None:
    qtbot.waitUntil(
        lambda: any(m.name == name and m.role == role for m in pane.member_panel.members),
        timeout=DELIVERY_WAIT_MS,
    )


def add_cee(
    qtbot: QtBot, start_session: StartSession, circle: Circle, tmp_path: Path
) -> MainWindow:
    """A third person, Cee, joins with a code from Ash."""
    third = tmp_path / "third-profile"
    create_profile(third, PASSPHRASES.good, TEST_KDF)
    cee = start_session(third).wait_online_after_unlock()
    copy_invite(qtbot, circle.ash)
    assert join_circle(qtbot, cee, "Cee") == circle.id
    for window in (circle.ash, circle.bee, cee):
        wait_settled(qtbot, window, circle.id, ["Ash", "Bee", "Cee"])
    return cee


def test_member_menus_offer_exactly_what_each_viewer_may_do(
    qtbot: QtBot, start_session: StartSession, circle: Circle, tmp_path: Path
) -> None:
    cee = add_cee(qtbot, start_session, circle, tmp_path)
    ash, bee, cee_pane = circle.pane(circle.ash), circle.pane(circle.bee), circle.pane(cee)

    # the founder, before anyone is promoted
    assert menu_of(ash, "Bee") == TALK + MEMBER_MENU
    assert menu_of(ash, "Ash") == []
    assert ash.member_panel.rows[member_id(ash, "Ash")].actions_button.isHidden()
    assert not ash.member_panel.rows[member_id(ash, "Bee")].actions_button.isHidden()
    choose(ash, "Bee", moderation.promote_action())
    wait_role(qtbot, ash, "Bee", "facilitator")
    assert menu_of(ash, "Bee") == TALK + FACILITATOR_MENU
    assert menu_of(ash, "Cee") == TALK + WORRIED + MEMBER_MENU

    # a co-facilitator: nothing on the founder, everything but the founder role below
    qtbot.waitUntil(
        lambda: bee.controller.info is not None and bee.controller.info.my_role == "facilitator",
        timeout=DELIVERY_WAIT_MS,
    )
    wait_role(qtbot, bee, "Bee", "facilitator")
    assert menu_of(bee, "Ash") == TALK + BLOCK
    assert menu_of(bee, "Bee") == SUPPORT
    assert menu_of(bee, "Cee") == TALK + WORRIED + MEMBER_MENU

    # a member: no moderation on anyone, only care flags (and support for oneself)
    wait_role(qtbot, cee_pane, "Bee", "facilitator")
    assert [menu_of(cee_pane, name) for name in ("Ash", "Bee", "Cee")] == [
        WORRIED + BLOCK,
        WORRIED + BLOCK,
        SUPPORT,
    ]
    assert not cee_pane.moderation.settings_action.isVisible()
    wait_notice(qtbot, cee_pane, "Ash made Bee a co-facilitator")
    badges = {m.name: badge_of(m) for m in cee_pane.member_panel.members}
    assert badges == {"Ash": "Founder", "Bee": "Co-facilitator", "Cee": None}

    # the founder hands the role on (asking first): Ash now ranks below Bee
    choose(ash, "Bee", moderation.make_founder_action())
    confirm(qtbot, circle.ash, moderation.confirm_make_founder_title("Bee"))
    wait_role(qtbot, ash, "Bee", "founder")
    qtbot.waitUntil(lambda: menu_of(ash, "Bee") == TALK + BLOCK, timeout=DELIVERY_WAIT_MS)
    assert menu_of(ash, "Cee") == TALK + WORRIED + MEMBER_MENU
    qtbot.waitUntil(
        lambda: menu_of(bee, "Ash") == TALK + FACILITATOR_MENU, timeout=DELIVERY_WAIT_MS
    )
    wait_notice(qtbot, cee_pane, "Ash made Bee the founder")


def test_muting_through_the_menu_holds_the_other_composer_until_unmuted(
    qtbot: QtBot, circle: Circle
) -> None:
    ash, bee = circle.pane(circle.ash), circle.pane(circle.bee)
    choose(ash, "Bee", moderation.mute_menu(), "10 minutes")
    # a listed length asks once, with the optional reason every mute may carry (issue 14)
    quick = circle.ash.active_dialog
    assert isinstance(quick, ConfirmWithReasonDialog)
    assert quick.windowTitle() == moderation.mute_for_title("Bee", 600)
    assert quick.reason_field.edit.maxLength() == MAX_MODERATION_REASON_CHARS
    type_into(quick.reason_field.edit, "Taking a breather")
    with qtbot.waitSignal(quick.accepted, timeout=DELIVERY_WAIT_MS):
        click(quick.primary_button)

    qtbot.waitUntil(lambda: bee.composer.hold.muted, timeout=DELIVERY_WAIT_MS)
    assert not bee.composer.edit.isEnabled()
    assert not bee.composer.send_button.isEnabled()
    assert bee.composer.hold_label.text().startswith("You are muted until ")
    assert not bee.composer.hold_label.isHidden()
    wait_notice(qtbot, bee, "Bee was muted for 10 minutes by Ash. Reason: Taking a breather")
    wait_notice(qtbot, ash, "Bee was muted for 10 minutes by Ash. Reason: Taking a breather")
    qtbot.waitUntil(lambda: moderation.unmute_action() in menu_of(ash, "Bee"), timeout=WAIT_MS)
    assert moderation.mute_menu() not in menu_of(ash, "Bee")

    choose(ash, "Bee", moderation.unmute_action())
    qtbot.waitUntil(lambda: bee.composer.hold.text is None, timeout=DELIVERY_WAIT_MS)
    assert bee.composer.edit.isEnabled() and bee.composer.hold_label.isHidden()
    wait_notice(qtbot, bee, "Ash unmuted Bee")

    # a length of one's own
    choose(ash, "Bee", moderation.mute_menu(), moderation.mute_custom_choice())
    custom = circle.ash.active_dialog
    assert isinstance(custom, MuteMemberDialog)
    assert custom.windowTitle() == moderation.mute_title("Bee")
    custom.amount.setValue(2)
    custom.unit.setCurrentIndex(custom.unit.findText("hours"))
    # an optional reason, shown to Bee and in the log (markup stays plain text)
    assert custom.reason_field.edit.maxLength() == MAX_MODERATION_REASON_CHARS
    type_into(custom.reason_field.edit, "  A <b>pause</b> to cool down  ")
    with qtbot.waitSignal(custom.accepted, timeout=DELIVERY_WAIT_MS):
        click(custom.primary_button)
    said = "Bee was muted for 2 hours by Ash. Reason: A <b>pause</b> to cool down"
    wait_notice(qtbot, bee, said)
    wait_notice(qtbot, ash, said)
    qtbot.waitUntil(lambda: bee.composer.hold.muted, timeout=DELIVERY_WAIT_MS)
    qtbot.waitUntil(
        lambda: bee.composer.hold_label.text().endswith(". Reason: A <b>pause</b> to cool down"),
        timeout=WAIT_MS,
    )
    assert bee.composer.hold_label.textFormat() == Qt.TextFormat.PlainText

    # a refusal (here: someone who is not a member) is said plainly, nothing breaks
    ash.moderation.member_action("ab" * 32, MemberAction.PROMOTE, 0)
    qtbot.waitUntil(lambda: not ash.error_banner.isHidden(), timeout=WAIT_MS)
    assert ash.error_banner.label.text() == moderation.moderation_failed(
        "That person is not a member of this circle."
    )

    # every member can read what happened
    bee.moderation.log_action.trigger()
    dialog = circle.bee.active_dialog
    assert isinstance(dialog, ModerationLogDialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT_MS)
    assert [(line.who, line.what, line.whom, line.reason) for line in dialog.lines] == [
        ("Ash", "Muted for 10 minutes", "Bee", "Taking a breather"),
        ("Ash", "Unmuted", "Bee", ""),
        ("Ash", "Muted for 2 hours", "Bee", "A <b>pause</b> to cool down"),
    ]
    assert dialog.entries.count() == 3
    last = dialog.entries.itemWidget(dialog.entries.item(2))
    reason = last.findChild(QLabel, "moderationLogReason")
    assert reason is not None and reason.textFormat() == Qt.TextFormat.PlainText
    assert reason.text() == moderation.moderation_log_reason("A <b>pause</b> to cool down")
    unmuted = dialog.entries.itemWidget(dialog.entries.item(1))
    assert unmuted.findChild(QLabel, "moderationLogReason") is None  # no reason, no line
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        click(dialog.primary_button)


def row_saying(pane: CirclePane, text: str) -> int:
    return next(
        row
        for row in range(pane.model.rowCount())
        if text in describe(pane.model.row(row), date.today())
    )


def message_menu(pane: CirclePane, text: str) -> list[str]:
    """The menu's entries, without replying, reacting and editing (tests/gui/test_content.py
    has those)."""
    menu = pane.message_list.menu_for(pane.model.index(row_saying(pane, text)))
    answering = {content.reply_action(), content.react_menu(), content.edit_action()}
    return [] if menu is None else [a.text() for a in menu.actions() if a.text() not in answering]


def delete_through_menu(
    qtbot: QtBot, window: MainWindow, pane: CirclePane, text: str, reason: str | None = None
) -> None:
    """`reason`: the facilitator's, typed in the field only their confirmation has."""
    menu = pane.message_list.menu_for(pane.model.index(row_saying(pane, text)))
    assert menu is not None
    next(a for a in menu.actions() if a.text() == moderation.delete_for_everyone()).trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, ConfirmWithReasonDialog) == (reason is not None)
    if isinstance(dialog, ConfirmWithReasonDialog) and reason:
        type_into(dialog.reason_field.edit, reason)
    confirm(qtbot, window, moderation.delete_message_title())


def deleted_as(pane: CirclePane, message_id: str) -> str:
    message = pane.model.message(message_id)
    assert message is not None
    return message.deleted


def test_deleting_through_the_message_menu_leaves_a_tombstone_on_both_sides(
    qtbot: QtBot, circle: Circle
) -> None:
    ash, bee = circle.pane(circle.ash), circle.pane(circle.bee)
    send_by_typing(qtbot, circle.bee, "Something I regret saying")
    send_by_typing(qtbot, circle.bee, "Something unkind")
    unkind = wait_for_text(qtbot, circle.ash, circle.id, "Something unkind")
    regret = wait_for_text(qtbot, circle.ash, circle.id, "Something I regret saying")
    send_by_typing(qtbot, circle.ash, "Let us keep it gentle")
    wait_for_text(qtbot, circle.bee, circle.id, "Let us keep it gentle")

    copy, delete = conversation.copy_message(), moderation.delete_for_everyone()
    flag = safety.flag_harm_action()  # others' messages only
    assert message_menu(ash, "Something unkind") == [copy, delete, flag]
    assert message_menu(ash, "Let us keep it gentle") == [copy, delete]
    assert message_menu(bee, "Something unkind") == [copy, delete]
    # the founder's: no other facilitator could receive a report about it
    assert message_menu(bee, "Let us keep it gentle") == [copy, flag]

    # the founder removes Bee's message for everyone
    delete_through_menu(qtbot, circle.ash, ash, "Something unkind", "Unkind to another member")
    assert deleted_as(ash, unkind.id) == "facilitator"
    qtbot.waitUntil(lambda: deleted_as(bee, unkind.id) == "facilitator", timeout=DELIVERY_WAIT_MS)
    for pane in (ash, bee):
        shown = pane.model.message(unkind.id)
        assert shown is not None and shown.text == ""
        row = pane.model.row(pane.model.row_of(unkind.id) or 0)
        assert moderation.removed_by_facilitator() in describe(row, date.today())
    assert message_menu(bee, moderation.removed_by_facilitator()) == []  # nothing left to do

    # Bee deletes her own
    delete_through_menu(qtbot, circle.bee, bee, "Something I regret saying")
    qtbot.waitUntil(lambda: deleted_as(ash, regret.id) == "author", timeout=DELIVERY_WAIT_MS)
    assert deleted_as(bee, regret.id) == "author"
    row = ash.model.row(ash.model.row_of(regret.id) or 0)
    assert moderation.deleted_by_author() in describe(row, date.today())
    # a deletion leaves no notice in the conversation (the tombstone says it), but for a
    # facilitator's reason, which its author and everyone read there
    said = "A message by Bee was removed by Ash. Reason: Unkind to another member"
    wait_notice(qtbot, bee, said)
    wait_notice(qtbot, ash, said)
    # besides "Bee joined" (issue 15), the note of the delete and its reason
    assert [n.text for n in ash.model.notices() if n.text != around.joined_notice("Bee")] == [said]


def test_settings_dialog_turns_on_slow_mode_and_the_composer_counts_down(
    qtbot: QtBot, circle: Circle
) -> None:
    ash, bee = circle.pane(circle.ash), circle.pane(circle.bee)
    assert ash.moderation.settings_action.isVisible()
    assert not bee.moderation.settings_action.isVisible()  # members only read them
    ash.moderation.settings_action.trigger()
    dialog = circle.ash.active_dialog
    assert isinstance(dialog, CircleSettingsDialog)
    assert not dialog.primary_button.isEnabled()  # nothing changed yet
    dialog.slow_mode_box.setCurrentIndex(dialog.slow_mode_box.findText("30 seconds"))
    assert dialog.changes() == {"slow_mode_seconds": 30}
    with qtbot.waitSignal(dialog.accepted, timeout=DELIVERY_WAIT_MS):
        click(dialog.primary_button)

    wait_notice(qtbot, ash, "Slow mode is now 30 s (changed by Ash)")
    wait_notice(qtbot, bee, "Slow mode is now 30 s (changed by Ash)")
    qtbot.waitUntil(
        lambda: bee.controller.info is not None and bee.controller.info.slow_mode_seconds == 30,
        timeout=DELIVERY_WAIT_MS,
    )

    send_by_typing(qtbot, circle.bee, "Thank you for slowing things down")
    qtbot.waitUntil(lambda: bee.composer.hold.text is not None, timeout=WAIT_MS)
    assert (bee.composer.hold.text or "").startswith("You can send again in ")
    type_into(bee.composer.edit, "And another thing")
    assert bee.composer.edit.isEnabled()  # the draft can be written meanwhile
    assert not bee.composer.send_button.isEnabled()
    # the founder is never slowed down
    wait_for_text(qtbot, circle.ash, circle.id, "Thank you for slowing things down")
    send_by_typing(qtbot, circle.ash, "Of course")
    assert ash.composer.hold.text is None


@pytest.mark.parametrize("ban", [False, True], ids=["removed", "banned"])
def test_a_removed_member_keeps_the_history_and_is_told_why(
    qtbot: QtBot, circle: Circle, ban: bool
) -> None:
    ash, bee = circle.pane(circle.ash), circle.pane(circle.bee)
    send_by_typing(qtbot, circle.ash, "Welcome, Bee")
    wait_for_text(qtbot, circle.bee, circle.id, "Welcome, Bee")

    choose(ash, "Bee", moderation.ban_action() if ban else moderation.remove_action())
    asking = circle.ash.active_dialog
    assert isinstance(asking, ConfirmWithReasonDialog)  # the ban's dialog too
    type_into(asking.reason_field.edit, "Repeated threats")
    title = moderation.confirm_ban_title("Bee") if ban else moderation.confirm_remove_title("Bee")
    confirm(qtbot, circle.ash, title)

    bar = bee.moderation.removed_bar
    qtbot.waitUntil(lambda: not bar.isHidden(), timeout=DELIVERY_WAIT_MS)
    expected = circles.banned_from_circle() if ban else circles.removed_from_circle()
    qtbot.waitUntil(lambda: bar.text == expected, timeout=DELIVERY_WAIT_MS)
    # why, in the facilitator's words
    assert bar.reason.text() == moderation.removed_reason("Repeated threats")
    assert not bar.reason.isHidden()
    assert bee.composer.isHidden()
    assert [m.text for m in bee.model.messages()] == ["Welcome, Bee"]
    assert not bee.moderation.leave_action.isVisible()
    assert all(row.actions_button.isHidden() for row in bee.member_panel.rows.values())
    said = "Bee was removed by Ash" + (" and cannot rejoin" if ban else "")
    said += ". Reason: Repeated threats"
    wait_notice(qtbot, ash, said)
    qtbot.waitUntil(lambda: [m.name for m in ash.member_panel.members] == ["Ash"], timeout=WAIT_MS)


def test_reporting_a_message_and_leaving_the_circle(
    qtbot: QtBot, start_session: StartSession, circle: Circle, tmp_path: Path
) -> None:
    cee = add_cee(qtbot, start_session, circle, tmp_path)
    bee = circle.pane(circle.bee)
    cee.circle_list.select(circle.id)
    send_by_typing(qtbot, cee, "Everyone should just cheer up")
    shown = wait_for_text(qtbot, circle.bee, circle.id, "Everyone should just cheer up")

    number = bee.model.row_of(shown.id)
    assert number is not None
    menu = bee.message_list.menu_for(bee.model.index(number))
    assert menu is not None
    next(a for a in menu.actions() if a.text() == moderation.report_message()).trigger()
    report = circle.bee.active_dialog
    assert isinstance(report, ReportMessageDialog)
    assert not report.primary_button.isEnabled()
    # the dialog holds a reason to the limit the engine keeps, and says so past it
    report.reason_edit.setPlainText("x" * MAX_REASON_CHARS)
    assert report.primary_button.isEnabled()
    report.reason_edit.setPlainText("x" * (MAX_REASON_CHARS + 1))
    assert not report.primary_button.isEnabled()
    assert report.error_label.text() == conversation.too_long(MAX_REASON_CHARS)
    report.reason_edit.clear()
    type_into(report.reason_edit, "This feels dismissive")
    with qtbot.waitSignal(report.accepted, timeout=DELIVERY_WAIT_MS):
        click(report.primary_button)
    qtbot.waitUntil(
        lambda: circle.bee.statusBar().currentMessage() == moderation.report_sent(), timeout=WAIT_MS
    )

    circle.bee.circle_list.select(circle.id)
    circle.bee.refresh_moderation_actions()
    assert circle.bee.leave_circle_action.isEnabled()
    circle.bee.leave_circle_action.trigger()
    confirm(qtbot, circle.bee, circles.leave_title("Tuesday circle"))
    qtbot.waitUntil(lambda: circle.id not in circle.bee.panes, timeout=DELIVERY_WAIT_MS)
    assert circle.bee.circle_list.name_of(circle.id) == circles.unnamed_circle()  # not listed
