"""One's own boundaries through the widgets: blocking a member from the member menu,
taking a break (a circle's own and the global switch), quiet hours, and the "taking a
break" moon others see. The widget rules first, then real engines on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from peerapp.core.api.boundaries import (
    NO_BREAKS,
    AllBreaks,
    BreakView,
    QuietHoursView,
    SetBreak,
)
from peerapp.core.api.registry import command_arguments, result_json
from peerapp.core.events import CircleView, MemberView, MessageView
from peerapp.core.permissions import MemberAction
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.dialogs.confirm_action import ConfirmActionDialog
from peerapp.ui.dialogs.take_a_break import (
    TakeABreakDialog,
    set_break_command,
)
from peerapp.ui.main_window import MainWindow
from peerapp.ui.member_actions import boundary_actions
from peerapp.ui.notifier import Notification, Notifier
from peerapp.ui.preferences import Preferences
from peerapp.ui.text import app_window, boundaries, care, common, moderation, notifications
from peerapp.ui.widgets.circle_header import CircleHeader
from peerapp.ui.widgets.circle_list import CircleList, entries_from
from peerapp.ui.widgets.member_list import MemberPanel
from peerapp.ui.widgets.member_menu import labels_of, member_menu
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    Circle,
    choose,
    create_circle,
    member_id,
    menu_of,
    pane_of,
    send_by_typing,
    wait_for_text,
)
from tests.gui.helpers import WAIT_MS, StartSession, click

ASH_ID, BEE_ID = "aa" * 32, "bb" * 32
MESSAGE = MessageView("01" * 32, BEE_ID, "Bee", "A hard day.", 0, False)

# -- the widget rules, without an engine ----------------------------------------------


def test_block_is_offered_on_every_other_member_and_unblock_once_blocked() -> None:
    assert boundary_actions(myself=True, blocked=False) == []
    assert boundary_actions(myself=False, blocked=False) == [MemberAction.BLOCK]
    assert boundary_actions(myself=False, blocked=True) == [MemberAction.UNBLOCK]


@pytest.mark.usefixtures("hearth_app")
def test_the_member_menu_sets_block_apart_from_moderation() -> None:
    chosen: list[MemberAction] = []
    menu = member_menu(
        [MemberAction.PROMOTE, MemberAction.BLOCK], lambda action, _: chosen.append(action)
    )
    assert menu is not None
    assert labels_of(menu) == [moderation.promote_action(), boundaries.block_action()]
    assert [action.isSeparator() for action in menu.actions()] == [False, True, False]
    menu.actions()[-1].trigger()
    assert chosen == [MemberAction.BLOCK]


@pytest.mark.usefixtures("hearth_app")
def test_the_member_list_marks_blocked_members_and_breaks() -> None:
    rows = [
        MemberView(id=ASH_ID, name="Ash", role="founder", online=True, rank=0),
        MemberView(id=BEE_ID, name="Bee", role="member", online=True, blocked=True),
        MemberView(id="cc" * 32, name="Cee", role="member", online=False, on_break=True),
    ]
    panel = MemberPanel()
    panel.set_members(rows)
    bee, cee = panel.rows[BEE_ID], panel.rows["cc" * 32]
    assert not bee.blocked_label.isHidden() and bee.break_label.isHidden()
    assert bee.blocked_label.text() == boundaries.blocked_badge()
    assert cee.blocked_label.isHidden() and not cee.break_label.isHidden()
    assert cee.break_label.toolTip() == boundaries.on_break_tooltip()
    spoken = panel.list.item(2).data(Qt.ItemDataRole.AccessibleTextRole)
    assert boundaries.on_break_spoken() in spoken


@pytest.mark.usefixtures("hearth_app")
def test_a_quiet_circle_shows_no_badge_and_counts_in_no_total() -> None:
    circles = CircleList()
    circles.set_circles(
        entries_from(
            [
                CircleView(id="c1", name="Tuesday", members=2, unread=3, quiet=True),
                CircleView(id="c2", name="Walkers", members=2, unread=2, on_break=False),
            ]
        )
    )
    assert (circles.unread("c1"), circles.badge("c1"), circles.quiet("c1")) == (3, 0, True)
    assert (circles.badge("c2"), circles.quiet("c2")) == (2, False)
    assert circles.total_unread() == 2
    circles.resize(260, 200)
    circles.list.viewport().grab()  # paints the moon in place of the badge, without error


@pytest.mark.usefixtures("hearth_app")
def test_the_notifier_says_nothing_about_a_silent_message() -> None:
    notifier = Notifier(Preferences())
    notifier.message_arrived("c1", "Tuesday circle", MESSAGE, silent=True)
    notifier.flush()
    assert notifier.shown == [] and notifier.held_back == 1
    notifier.message_arrived("c1", "Tuesday circle", MESSAGE)
    notifier.flush()
    assert notifier.shown == [
        Notification("c1", common.app_name(), notifications.new_messages_in("Tuesday circle", 1))
    ]


@pytest.mark.usefixtures("hearth_app")
def test_a_care_flag_notifies_a_facilitator_unless_the_circle_is_on_a_break() -> None:
    notifier = Notifier(Preferences())
    notifier.care_flag_arrived("c1", "Tuesday circle", silent=True)
    assert notifier.shown == [] and notifier.held_back == 1
    notifier.care_flag_arrived("c1", "Tuesday circle")
    assert notifier.shown == [
        Notification(
            "c1",
            care.care_flag_notification_title(),
            care.care_flag_notification("Tuesday circle"),
        )
    ]


def test_breaks_are_read_and_written_in_the_engine_shape() -> None:
    night = QuietHoursView("22:00", "07:00")
    breaks = AllBreaks(
        global_break=BreakView(on=True), circles={"c1": BreakView(quiet_hours=night)}
    )
    assert breaks.of(None) == BreakView(on=True)
    assert breaks.of("c1") == BreakView(quiet_hours=night)
    assert breaks.of("elsewhere") == BreakView() == NO_BREAKS.of(None)
    assert result_json(breaks) == {
        "global": {"on": True, "quiet_hours": None, "status": False},
        "circles": {
            "c1": {"on": False, "quiet_hours": {"start": "22:00", "end": "07:00"}, "status": False}
        },
    }
    setting = BreakView(True, QuietHoursView("21:30", "06:45"), True)
    assert set_break_command("c1", setting) == SetBreak(
        circle="c1", on=True, quiet_hours=QuietHoursView("21:30", "06:45"), status=True
    )
    assert command_arguments(set_break_command("c1", setting)) == {
        "circle": "c1",
        "on": True,
        "quiet_hours": {"start": "21:30", "end": "06:45"},
        "status": True,
    }
    assert set_break_command(None, BreakView()) == SetBreak(
        on=False, quiet_hours=None, status=False
    )


@pytest.mark.usefixtures("hearth_app")
def test_the_header_shows_the_break_with_one_click_to_end_it() -> None:
    holder = QWidget()
    header = CircleHeader("Tuesday circle", 2, holder)
    assert header.break_label.isHidden() and header.end_break_button.isHidden()
    header.set_break(quiet=True, on_break=True)
    assert boundaries.on_a_break_here() in header.break_label.text()
    assert not header.end_break_button.isHidden()
    header.set_break(quiet=True, on_break=False)  # quiet hours only: nothing to end
    assert boundaries.quiet_hours_now() in header.break_label.text()
    assert header.end_break_button.isHidden()


# -- real engines ---------------------------------------------------------------------


@pytest.fixture
def circle(two_members: tuple[MainWindow, MainWindow, str]) -> Circle:
    """Ash creates a circle and invites Bee, who joins by pasting the code."""
    return Circle(*two_members)


def texts(window: MainWindow, circle: str) -> list[str]:
    return [m.text for m in pane_of(window, circle).model.messages()]


def blocked(pane: CirclePane, name: str) -> Callable[[], bool]:
    return lambda: any(m.name == name and m.blocked for m in pane.member_panel.members)


def test_block_hides_their_messages_for_the_blocker_only(qtbot: QtBot, circle: Circle) -> None:
    ash, bee = circle.ash, circle.bee
    ash_pane, bee_pane = circle.pane(ash), circle.pane(bee)
    send_by_typing(qtbot, ash, "Welcome, Bee.")
    wait_for_text(qtbot, bee, circle.id, "Welcome, Bee.")
    send_by_typing(qtbot, bee, "Thanks. A hard week.")
    wait_for_text(qtbot, ash, circle.id, "Thanks. A hard week.")

    # anyone may block anyone else: Ash (the founder) offers it on Bee, Bee on Ash
    assert menu_of(ash_pane, "Bee")[-1] == boundaries.block_action()
    assert menu_of(bee_pane, "Ash") == [boundaries.block_action()]
    choose(ash_pane, "Bee", boundaries.block_action())
    dialog = ash.active_dialog
    assert isinstance(dialog, ConfirmActionDialog)
    assert dialog.windowTitle() == boundaries.block_title("Bee")
    assert dialog.explanation_label.text() == (
        "You won't see their messages in this circle. They won't be told."
    )
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        click(dialog.primary_button)

    qtbot.waitUntil(lambda: texts(ash, circle.id) == ["Welcome, Bee."], timeout=WAIT_MS)
    qtbot.waitUntil(blocked(ash_pane, "Bee"), timeout=WAIT_MS)
    row = ash_pane.member_panel.rows[member_id(ash_pane, "Bee")]
    assert not row.blocked_label.isHidden()
    assert menu_of(ash_pane, "Bee")[-1] == boundaries.unblock_action()
    # Bee still sees everything, and nothing tells her
    assert texts(bee, circle.id) == ["Welcome, Bee.", "Thanks. A hard week."]
    assert not blocked(bee_pane, "Ash")()
    assert menu_of(bee_pane, "Ash") == [boundaries.block_action()]

    # what Bee says meanwhile stays out of Ash's pane (and comes back with the rest)
    send_by_typing(qtbot, bee, "Is anyone there?")
    assert texts(ash, circle.id) == ["Welcome, Bee."]

    choose(ash_pane, "Bee", boundaries.unblock_action())  # no question asked
    qtbot.waitUntil(
        lambda: (
            texts(ash, circle.id) == ["Welcome, Bee.", "Thanks. A hard week.", "Is anyone there?"]
        ),
        timeout=DELIVERY_WAIT_MS,
    )
    qtbot.waitUntil(lambda: not blocked(ash_pane, "Bee")(), timeout=WAIT_MS)
    assert ash_pane.member_panel.rows[member_id(ash_pane, "Bee")].blocked_label.isHidden()


def open_circle_break(qtbot: QtBot, window: MainWindow, circle: str) -> TakeABreakDialog:
    """ "Take a break from this circle…" from the circle's More menu; waits until the
    dialog has read the current break."""
    pane = pane_of(window, circle)
    assert pane.boundaries.break_action in pane.more_menu.actions()
    pane.boundaries.break_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, TakeABreakDialog)
    assert dialog.circle == circle
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT_MS)
    return dialog


def save(qtbot: QtBot, dialog: TakeABreakDialog) -> None:
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        click(dialog.primary_button)


def notifications_for(window: MainWindow, circle: str) -> list[Notification]:
    return [n for n in window.notifier.shown if n.circle == circle]


def test_a_break_hides_the_badge_and_keeps_notifications_silent(
    qtbot: QtBot, circle: Circle
) -> None:
    ash, bee = circle.ash, circle.bee
    own = create_circle(qtbot, bee, "Notes to self", "Bee")  # Tuesday is out of view now
    bee.activateWindow()

    dialog = open_circle_break(qtbot, bee, circle.id)
    assert not dialog.on_box.isChecked()
    dialog.on_box.setChecked(True)
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: bee.circle_list.quiet(circle.id), timeout=WAIT_MS)
    assert not bee.circle_list.quiet(own)
    header = circle.pane(bee).header
    qtbot.waitUntil(lambda: not header.end_break_button.isHidden(), timeout=WAIT_MS)
    assert boundaries.on_a_break_here() in header.break_label.text()

    held_back = bee.notifier.held_back
    send_by_typing(qtbot, ash, "Are you around tonight?")
    wait_for_text(qtbot, bee, circle.id, "Are you around tonight?")
    qtbot.waitUntil(lambda: bee.circle_list.unread(circle.id) == 1, timeout=WAIT_MS)
    bee.notifier.flush()  # anything waiting to be told would be told now
    assert notifications_for(bee, circle.id) == []
    assert bee.notifier.held_back == held_back + 1
    assert bee.circle_list.badge(circle.id) == 0
    assert bee.circle_list.total_unread() == 0
    assert bee.windowTitle() == app_window.window_title(0, bee.profile_name)

    # one click ends it: the badge and the notifications come back
    click(header.end_break_button)
    qtbot.waitUntil(lambda: not bee.circle_list.quiet(circle.id), timeout=WAIT_MS)
    assert bee.circle_list.badge(circle.id) == 1
    assert header.end_break_button.isHidden() and header.break_label.isHidden()
    send_by_typing(qtbot, ash, "No worries if not.")
    qtbot.waitUntil(lambda: len(notifications_for(bee, circle.id)) == 1, timeout=WAIT_MS)


def test_the_global_break_silences_every_circle_until_ended(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    first = create_circle(qtbot, window, "Tuesday circle", "Ash")
    second = create_circle(qtbot, window, "Walkers", "Ash")
    indicator = window.breaks.indicator
    assert indicator.isHidden()

    window.breaks.action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, TakeABreakDialog) and dialog.circle is None
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT_MS)
    dialog.on_box.setChecked(True)
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: not indicator.isHidden(), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: window.circle_list.quiet(first) and window.circle_list.quiet(second),
        timeout=WAIT_MS,
    )
    assert window.breaks.on_break

    click(indicator.end_button)
    qtbot.waitUntil(indicator.isHidden, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: not window.circle_list.quiet(first) and not window.circle_list.quiet(second),
        timeout=WAIT_MS,
    )


def test_the_circle_break_dialog_round_trips_quiet_hours(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    circle = create_circle(qtbot, window, "Tuesday circle", "Ash")

    dialog = open_circle_break(qtbot, window, circle)
    assert not dialog.quiet_box.isChecked() and not dialog.start_edit.isEnabled()
    dialog.quiet_box.setChecked(True)
    assert dialog.start_edit.isEnabled() and dialog.end_edit.isEnabled()
    dialog.start_edit.setTime(QTime(21, 30))
    dialog.end_edit.setTime(QTime(6, 45))
    dialog.status_box.setChecked(True)
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=WAIT_MS)

    qtbot.waitUntil(window.breaks.has_quiet_hours, timeout=WAIT_MS)  # badges follow the clock
    again = open_circle_break(qtbot, window, circle)
    assert again.setting() == BreakView(False, QuietHoursView("21:30", "06:45"), True)
    assert again.start_edit.time() == QTime(21, 30) and again.end_edit.time() == QTime(6, 45)
    # the circle's quiet hours are its own: the global break has none
    again.reject()
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=WAIT_MS)
    window.breaks.action.trigger()
    everywhere = window.active_dialog
    assert isinstance(everywhere, TakeABreakDialog)
    qtbot.waitUntil(lambda: everywhere.loaded, timeout=WAIT_MS)
    assert everywhere.setting() == BreakView()

    # unticking the quiet hours clears them
    everywhere.reject()
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=WAIT_MS)
    third = open_circle_break(qtbot, window, circle)
    third.quiet_box.setChecked(False)
    save(qtbot, third)
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=WAIT_MS)
    fourth = open_circle_break(qtbot, window, circle)
    assert fourth.setting() == BreakView(False, None, True)
    qtbot.waitUntil(lambda: not window.breaks.has_quiet_hours(), timeout=WAIT_MS)


def test_others_see_taking_a_break_when_the_status_is_shown(qtbot: QtBot, circle: Circle) -> None:
    ash, bee = circle.ash, circle.bee
    ash_pane = circle.pane(ash)

    def bee_on_break() -> bool:
        return any(m.name == "Bee" and m.on_break for m in ash_pane.member_panel.members)

    # a break without the status stays Bee's own
    dialog = open_circle_break(qtbot, bee, circle.id)
    dialog.on_box.setChecked(True)
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: bee.circle_list.quiet(circle.id), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bee.active_dialog is None, timeout=WAIT_MS)

    dialog = open_circle_break(qtbot, bee, circle.id)
    assert dialog.on_box.isChecked() and not dialog.status_box.isChecked()
    dialog.status_box.setChecked(True)
    save(qtbot, dialog)
    qtbot.waitUntil(bee_on_break, timeout=DELIVERY_WAIT_MS)
    row = ash_pane.member_panel.rows[member_id(ash_pane, "Bee")]
    assert not row.break_label.isHidden()
    assert row.break_label.toolTip() == boundaries.on_break_tooltip()
    assert ash_pane.member_panel.rows[member_id(ash_pane, "Ash")].break_label.isHidden()

    # ending the break takes the moon away
    click(circle.pane(bee).header.end_break_button)
    qtbot.waitUntil(lambda: not bee_on_break(), timeout=DELIVERY_WAIT_MS)
