"""Issue 11 through the widgets, on real engines on 127.0.0.1: who may invite (the
settings' checkbox, its notice, the invite dialog's reason when one may not), how long a
member waits before flagging (the settings' hours, its notice, the refusal before), a ban
that takes the people the banned member brought in along (facilitators see who invited
whom), and a member whose app signed two versions of a message (both marked, the member
marked, the facilitator's side-by-side list, deleting one version leaves the other)."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
import trio
from pytestqt.qtbot import QtBot

from peerapp.core.api.moderation import (
    Banned,
    EquivocationView,
    ModerationEntryView,
    ModerationLogOf,
    SettingsDetails,
    VersionView,
)
from peerapp.core.circle_events import EventType
from peerapp.core.events import MemberView, MessageView
from peerapp.crypto.signing import sign_event
from peerapp.engine.circle_service import CircleService
from peerapp.ui.circle_info import facilitating, my_role, my_standing
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.dialogs.circle_settings import CircleSettingsDialog
from peerapp.ui.dialogs.confirm_action import ConfirmActionDialog, ConfirmWithReasonDialog
from peerapp.ui.dialogs.confirm_ban import ConfirmBanDialog
from peerapp.ui.dialogs.equivocations import EquivocationsDialog
from peerapp.ui.dialogs.invite import InviteDialog
from peerapp.ui.invitations import brought_in_by, facilitator_notes
from peerapp.ui.main_window import MainWindow
from peerapp.ui.notices import Settings, notice_text, reason_of, settings_changes
from peerapp.ui.text import common, invites, moderation, safety
from peerapp.ui.widgets.message_model import Look, presentation
from tests.binding import bound
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    Circle,
    choose,
    copy_invite,
    join_circle,
    member_id,
    open_invite,
    send_by_typing,
    wait_for_text,
    wait_settled,
)
from tests.gui.helpers import WAIT_MS, StartSession, circle_info, click, resolve, type_into

T = TypeVar("T")

FIRST = "I am so glad this circle exists"
REWRITE = "Everyone here is pathetic"
WELCOME = "Welcome, Bee"
NOT_YET = (
    "You can flag messages once you have been in this circle a little longer "
    "(the circle's settings say how long)."
)


@pytest.fixture
def circle(two_members: tuple[MainWindow, MainWindow, str]) -> Circle:
    """Ash creates a circle and invites Bee, who joins by pasting the code."""
    return Circle(*two_members)


def settings_details(
    *, members_invite: bool = False, flag_after_hours: int = 24
) -> SettingsDetails:
    return SettingsDetails(
        guidelines="",
        join_approval=False,
        members_invite=members_invite,
        flag_after_hours=flag_after_hours,
        slow_mode_seconds=0,
        harm_flags_to_hide=Settings().harm_flags_to_hide,
    )


def settings_entry(entry_id: str, details: SettingsDetails) -> ModerationEntryView:
    return ModerationEntryView(entry_id, "aa", "Ash", "settings", None, None, 1, 1, details)


def test_settings_notices_say_who_may_invite() -> None:
    assert settings_changes(Settings(members_invite=True), Settings()) == [
        moderation.members_invite_on_now()
    ]
    assert settings_changes(Settings(), Settings(members_invite=True)) == [
        moderation.members_invite_off_now()
    ]
    entry = settings_entry("e1", settings_details(members_invite=True))
    assert notice_text(entry, Settings()) == "Members may now invite people (changed by Ash)"


def test_settings_notices_and_the_rule_say_how_long_members_wait_to_flag() -> None:
    day = Settings()
    assert day.flag_after_hours == 24
    assert settings_changes(Settings(flag_after_hours=0), day) == [
        "Members can now flag messages as soon as they join"
    ]
    assert settings_changes(Settings(flag_after_hours=36), day) == [
        "Members can now flag messages once they have been in the circle for 36 hours"
    ]
    assert settings_changes(day, Settings(flag_after_hours=2)) == [
        "Members can now flag messages once they have been in the circle for 24 hours"
    ]
    # the log's settings entries carry the hours (a settings event states every setting)
    entries = [
        settings_entry("e0", settings_details(flag_after_hours=0)),
        settings_entry("e1", settings_details(flag_after_hours=24)),
    ]
    assert notice_text(entries[0], day) == (
        "Members can now flag messages as soon as they join (changed by Ash)"
    )
    assert notice_text(entries[1], Settings(flag_after_hours=0)) == (
        "Members can now flag messages once they have been in the circle for 24 hours "
        "(changed by Ash)"
    )
    assert "Members can flag as soon as they join." in safety.harm_flags_rule(0)
    assert "once they have been in the circle for 1 hour." in safety.harm_flags_rule(1)
    assert "once they have been in the circle for 5 hours." in safety.harm_flags_rule(5)


def test_who_brought_whom_in_is_read_from_invited_by() -> None:
    def member(key: str, name: str, invited_by: str) -> MemberView:
        return MemberView(key, name, "member", False, invited_by=invited_by)

    ash, bee = member("a", "Ash", ""), member("b", "Bee", "a")
    cy, dee, eve = member("c", "Cy", "b"), member("d", "", "c"), member("e", "Eve", "gone")
    members = [ash, bee, cy, dee, eve]
    assert brought_in_by(members, "b") == [cy, dee]
    assert brought_in_by(members, "a") == [bee, cy, dee]
    assert brought_in_by(members, "e") == []
    # hostile data cannot loop it: a cycle ends once everyone is taken
    loop = [member("x", "X", "y"), member("y", "Y", "x")]
    assert [m.id for m in brought_in_by(loop, "x")] == ["y"]
    assert facilitator_notes(members) == {
        "b": "Invited by Ash",
        "c": "Invited by Bee",
        "d": "Invited by Cy",
        "e": moderation.invited_by_former_member(),
    }
    # reports that keys a member sent did not open, the founder's too
    reported = [
        MemberView("a", "Ash", "founder", False, unreadable_reports=1),
        MemberView("b", "Bee", "member", False, invited_by="a", unreadable_reports=3),
    ]
    assert facilitator_notes(reported) == {
        "a": "Members reported once that new keys this person sent could not be opened "
        "(Hearth repaired it)",
        "b": "Invited by Ash\nMembers reported 3 times that new keys this person sent "
        "could not be opened (Hearth repaired it)",
    }
    # a count below zero (hostile data) says nothing
    rows = [
        MemberView(id="a", name="A", role="member", online=False, unreadable_reports=2),
        MemberView(id="b", name="B", role="member", online=False, unreadable_reports=-4),
    ]
    assert list(facilitator_notes(rows)) == ["a"]
    assert moderation.ban_invitees_names(["Cy"]) == "Cy"
    assert moderation.ban_invitees_names(["Cy", "Dee", "Eve"]) == "Cy, Dee and Eve"
    names = [f"M{i}" for i in range(8)]
    assert moderation.ban_invitees_names(names) == "M0, M1, M2, M3, M4 and 3 more"
    assert moderation.ban_invitees_check(1) == "Also remove the person they brought in:"
    assert moderation.ban_invitees_check(3) == "Also remove the 3 people they brought in:"


def test_what_the_gui_reads_of_circle_info() -> None:
    # removed: no role any more, read as a plain member's (and standing as one)
    removed = circle_info(my_role=None, removed=True)
    assert my_role(removed) == "member"
    assert not facilitating(removed) and not my_standing(removed).leads
    assert facilitating(circle_info(my_role="founder", my_rank=0))
    assert my_standing(circle_info(my_role="facilitator", my_rank=2)).outranks(
        my_standing(circle_info())
    )
    assert not facilitating(None) and not my_standing(None).leads


def test_the_note_shows_on_every_look_but_a_tombstone() -> None:
    plain = MessageView("ab" * 32, "cd" * 32, "Bee", "Hi", 1, False, equivocated=True)
    assert presentation(plain, False, False).note == safety.equivocated_note()
    hidden = dataclasses.replace(plain, hidden=True)
    assert presentation(hidden, False, False).look is Look.HIDDEN
    assert presentation(hidden, False, False).note == safety.equivocated_note()
    gone = dataclasses.replace(plain, deleted="facilitator", text="")
    assert presentation(gone, False, False).note == ""
    honest = dataclasses.replace(plain, equivocated=False)
    assert presentation(honest, False, False).note == ""


def test_equivocation_views_keep_text_and_names_out_of_reprs() -> None:
    version = VersionView("v1", "message", "Hi", False, 5, 7, True)
    item = EquivocationView("cd" * 32, "Bee", 3, (version,))
    assert "Hi" not in repr(version) and "Bee" not in repr(item)


def inside(window: MainWindow, work: Callable[[CircleService], Awaitable[T]]) -> T:
    """Run `work` in the window's engine thread, with its circle service (as a modified
    client would act: past its app's checks)."""
    thread = window.bridge._thread
    engine = thread._engine
    assert engine is not None and engine._circles_service is not None
    service = engine._circles_service
    return trio.from_thread.run(lambda: work(service), trio_token=thread._token)


def second_version(bee: MainWindow, ash: MainWindow, circle: str, message: str, text: str) -> str:
    """Bee's app signs another message under the number of `message`; it reaches Ash the
    way any event from the network does. Returns the new version's id."""

    async def sign(service: CircleService) -> bytes:
        runtime = service.runtimes.require(circle)
        original = service.store.event(runtime.circle_id, bytes.fromhex(message))
        assert original is not None
        fresh = service.log.author(runtime, EventType.MESSAGE, {"text": text})
        again = dataclasses.replace(fresh.event, seq=original.seq)
        return sign_event(again, runtime.membership.signing_seed).signed

    signed = inside(bee, sign)

    async def deliver(service: CircleService) -> None:
        await service.ingest.ingest(service.runtimes.require(circle), [signed])

    inside(ash, deliver)
    return next(  # the id the engine gives it: the one message with its text
        m.id for m in _history(ash, circle) if m.text == text
    )


def _history(window: MainWindow, circle: str) -> list[MessageView]:
    async def read(service: CircleService) -> list[MessageView]:
        return service.history(circle, 50, None)

    return inside(window, read)


def test_members_may_invite_from_the_settings_and_are_told_why_not_before(
    qtbot: QtBot, circle: Circle
) -> None:
    ash, bee = circle.pane(circle.ash), circle.pane(circle.bee)

    # a plain member may not invite by default: the dialog says why and offers only Close
    click(bee.header.invite_button)
    refused = circle.bee.active_dialog
    assert isinstance(refused, InviteDialog)
    qtbot.waitUntil(lambda: refused.refused, timeout=WAIT_MS)
    reason = "Only facilitators can invite people to this circle."
    assert refused.refusal_note.text() == f"{reason} {invites.ask_a_facilitator_to_invite()}"
    assert refused.refusal_note.isVisible() and not refused.options.isVisible()
    assert refused.primary_button.text() == common.close()
    assert not refused.manage_button.isVisible()
    with qtbot.waitSignal(refused.finished, timeout=WAIT_MS):
        click(refused.primary_button)
    assert refused.code is None

    # the founder lets members invite
    ash.moderation.settings_action.trigger()
    dialog = circle.ash.active_dialog
    assert isinstance(dialog, CircleSettingsDialog)
    assert not dialog.members_invite_check.isChecked()
    dialog.members_invite_check.setChecked(True)
    assert dialog.changes() == {"members_invite": True}
    with qtbot.waitSignal(dialog.accepted, timeout=DELIVERY_WAIT_MS):
        click(dialog.primary_button)
    said = "Members may now invite people (changed by Ash)"
    for pane in (ash, bee):
        qtbot.waitUntil(
            bound(pane, lambda p: said in [n.text for n in p.model.notices()]),
            timeout=DELIVERY_WAIT_MS,
        )

    # reopened, the dialog shows the setting as saved
    qtbot.waitUntil(
        lambda: ash.controller.info is not None and ash.controller.info.members_invite,
        timeout=WAIT_MS,
    )
    ash.moderation.settings_action.trigger()
    reopened = circle.ash.active_dialog
    assert isinstance(reopened, CircleSettingsDialog) and reopened is not dialog
    assert reopened.members_invite_check.isChecked()
    assert reopened.changes() == {}
    with qtbot.waitSignal(reopened.finished, timeout=WAIT_MS):
        click(reopened.secondary_button)

    # and now Bee makes a code
    qtbot.waitUntil(
        lambda: bee.controller.info is not None and bee.controller.info.may_invite == "",
        timeout=DELIVERY_WAIT_MS,
    )
    made = open_invite(qtbot, circle.bee)
    assert made.code and not made.refused
    with qtbot.waitSignal(made.finished, timeout=WAIT_MS):
        click(made.primary_button)


def test_two_versions_of_a_message_are_both_marked_and_a_facilitator_deletes_one(
    qtbot: QtBot, circle: Circle
) -> None:
    ash, bee = circle.pane(circle.ash), circle.pane(circle.bee)
    send_by_typing(qtbot, circle.bee, FIRST)
    first = wait_for_text(qtbot, circle.ash, circle.id, FIRST)
    assert not first.equivocated
    assert ash.model.presentation_of(first).note == ""

    rewrite = second_version(circle.bee, circle.ash, circle.id, first.id, REWRITE)

    # both versions show for Ash, each with the note under it; Bee is marked
    def marked(message_id: str) -> bool:
        shown = ash.model.message(message_id)
        return shown is not None and shown.equivocated

    qtbot.waitUntil(lambda: marked(first.id) and marked(rewrite), timeout=DELIVERY_WAIT_MS)
    for message_id in (first.id, rewrite):
        shown = ash.model.message(message_id)
        assert shown is not None
        assert ash.model.presentation_of(shown).note == safety.equivocated_note()
        said = ash.model.index(ash.model.row_of(message_id) or 0).data()
        assert said.endswith(safety.equivocated_note())  # what a screen reader says
    bee_id = member_id(ash, "Bee")
    qtbot.waitUntil(
        lambda: (
            bee_id in ash.member_panel.rows
            and not ash.member_panel.rows[bee_id].equivocated_label.isHidden()
        ),
        timeout=WAIT_MS,
    )
    assert ash.member_panel.rows[member_id(ash, "Ash")].equivocated_label.isHidden()

    # only facilitators compare versions
    assert ash.versions.action.isVisible()
    assert not bee.versions.action.isVisible()
    ash.versions.action.trigger()
    listing = circle.ash.active_dialog
    assert isinstance(listing, EquivocationsDialog)
    qtbot.waitUntil(lambda: listing.loaded, timeout=WAIT_MS)
    (item,) = listing.equivocations
    assert item.author == bee_id and item.author_name == "Bee"
    assert sorted(v.text or "" for v in item.versions) == sorted([FIRST, REWRITE])
    columns = {column.version.id: column for column in listing.columns()}
    assert set(columns) == {first.id, rewrite}
    assert all(not column.delete_button.isHidden() for column in columns.values())

    # deleting the rewrite asks first, then leaves the original standing
    click(columns[rewrite].delete_button)
    confirming = listing.confirming
    # Bee's version: the optional reason is offered, as in the pane's delete
    assert isinstance(confirming, ConfirmWithReasonDialog)
    assert confirming.windowTitle() == moderation.delete_message_title()
    type_into(confirming.reason_field.edit, "A second version of a message")
    with qtbot.waitSignal(confirming.accepted, timeout=DELIVERY_WAIT_MS):
        click(confirming.primary_button)

    def rewrite_gone() -> bool:
        versions = {v.id: v for e in listing.equivocations for v in e.versions}
        return rewrite in versions and versions[rewrite].deleted

    qtbot.waitUntil(rewrite_gone, timeout=WAIT_MS)
    versions = {v.id: v for v in listing.equivocations[0].versions}
    assert not versions[first.id].deleted and versions[first.id].text == FIRST
    shown_rewrite = ash.model.message(rewrite)
    assert shown_rewrite is not None and shown_rewrite.deleted == "facilitator"
    shown_first = ash.model.message(first.id)
    assert shown_first is not None and shown_first.text == FIRST and not shown_first.deleted
    remaining = {column.version.id: column for column in listing.columns()}
    assert remaining[rewrite].delete_button.isHidden()
    assert not remaining[first.id].delete_button.isHidden()
    with qtbot.waitSignal(listing.finished, timeout=WAIT_MS):
        click(listing.primary_button)
    log = resolve(qtbot, circle.ash.bridge.request(ModerationLogOf(circle=circle.id))).entries
    deleted = [entry for entry in log if entry.action == EventType.DELETE.value]
    assert [reason_of(entry) for entry in deleted] == ["A second version of a message"]


def open_settings(window: MainWindow, pane: CirclePane) -> CircleSettingsDialog:
    pane.moderation.settings_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, CircleSettingsDialog)
    return dialog


def save_settings(qtbot: QtBot, dialog: CircleSettingsDialog) -> None:
    with qtbot.waitSignal(dialog.accepted, timeout=DELIVERY_WAIT_MS):
        click(dialog.primary_button)


def wait_notice(qtbot: QtBot, panes: tuple[CirclePane, ...], text: str) -> None:
    for pane in panes:
        qtbot.waitUntil(
            bound(pane, lambda p: text in [n.text for n in p.model.notices()]),
            timeout=DELIVERY_WAIT_MS,
        )


def flag(window: MainWindow, pane: CirclePane, message: str) -> ConfirmActionDialog:
    """Choose "Flag as harmful…" on a message; the dialog that asks."""
    menu = pane.message_list.menu_for(pane.model.index(pane.model.row_of(message) or 0))
    assert menu is not None
    next(a for a in menu.actions() if a.text() == safety.flag_harm_action()).trigger()
    flagging = window.active_dialog
    assert isinstance(flagging, ConfirmActionDialog)
    assert flagging.windowTitle() == safety.flag_harm_title()
    return flagging


def test_a_member_flags_once_the_circles_waiting_time_allows_it(
    qtbot: QtBot, circle: Circle
) -> None:
    ash, bee = circle.pane(circle.ash), circle.pane(circle.bee)

    # on its first day (the default wait) a plain member's flag is refused: the dialog
    # says why and stays open
    send_by_typing(qtbot, circle.ash, WELCOME)
    welcome = wait_for_text(qtbot, circle.bee, circle.id, WELCOME)
    refused = flag(circle.bee, bee, welcome.id)
    click(refused.primary_button)
    qtbot.waitUntil(lambda: not refused.error_label.isHidden(), timeout=WAIT_MS)
    assert refused.error_label.text() == NOT_YET
    with qtbot.waitSignal(refused.finished, timeout=WAIT_MS):
        click(refused.secondary_button)

    # the settings show the wait beside the threshold, and the rule says it in words
    dialog = open_settings(circle.ash, ash)
    box = dialog.flag_after_box
    assert (box.value(), box.minimum(), box.maximum()) == (24, 0, 168)
    assert box.text() == "24 hours in the circle"
    assert dialog.harm_flags_rule.text() == safety.harm_flags_rule(24)
    assert "in the circle for 24 hours." in dialog.harm_flags_rule.text()
    box.setValue(1)
    assert box.text() == "1 hour in the circle"
    box.setValue(0)
    assert box.text() == safety.flag_after_at_once()
    assert dialog.harm_flags_rule.text() == safety.harm_flags_rule(0)
    assert dialog.changes() == {"flag_after_hours": 0}
    save_settings(qtbot, dialog)
    wait_notice(
        qtbot, (ash, bee), "Members can now flag messages as soon as they join (changed by Ash)"
    )

    # reopened, the dialog shows it saved
    qtbot.waitUntil(
        lambda: ash.controller.info is not None and ash.controller.info.flag_after_hours == 0,
        timeout=WAIT_MS,
    )
    reopened = open_settings(circle.ash, ash)
    assert reopened is not dialog and reopened.flag_after_box.value() == 0
    assert reopened.changes() == {}
    with qtbot.waitSignal(reopened.finished, timeout=WAIT_MS):
        click(reopened.secondary_button)

    # and Bee's flag now goes through
    qtbot.waitUntil(
        lambda: bee.controller.info is not None and bee.controller.info.flag_after_hours == 0,
        timeout=DELIVERY_WAIT_MS,
    )
    flagging = flag(circle.bee, bee, welcome.id)
    with qtbot.waitSignal(flagging.accepted, timeout=DELIVERY_WAIT_MS):
        click(flagging.primary_button)
    qtbot.waitUntil(
        lambda: (shown := bee.model.message(welcome.id)) is not None and shown.flagged,
        timeout=WAIT_MS,
    )


def test_a_ban_can_remove_the_people_the_banned_member_brought_in(
    qtbot: QtBot, start_session: StartSession, circle: Circle, third_profile: Path
) -> None:
    ash, bee = circle.pane(circle.ash), circle.pane(circle.bee)

    # members may invite: Bee brings in Cee
    dialog = open_settings(circle.ash, ash)
    dialog.members_invite_check.setChecked(True)
    save_settings(qtbot, dialog)
    qtbot.waitUntil(
        lambda: bee.controller.info is not None and bee.controller.info.may_invite == "",
        timeout=DELIVERY_WAIT_MS,
    )
    cee_window = start_session(third_profile).wait_online_after_unlock()
    copy_invite(qtbot, circle.bee)
    assert join_circle(qtbot, cee_window, "Cee") == circle.id
    for window in (circle.ash, circle.bee, cee_window):
        wait_settled(qtbot, window, circle.id, ["Ash", "Bee", "Cee"])
    cee = circle.pane(cee_window)

    # Ash, facilitating, sees who invited whom; members do not
    ids = {name: member_id(ash, name) for name in ("Ash", "Bee", "Cee")}
    rows = ash.member_panel.rows
    assert rows[ids["Cee"]].name_label.toolTip() == "Invited by Bee"
    assert rows[ids["Bee"]].name_label.toolTip() == "Invited by Ash"
    assert rows[ids["Ash"]].name_label.toolTip() == ""
    assert bee.member_panel.notes == {} and cee.member_panel.notes == {}
    assert all(row.name_label.toolTip() == "" for row in bee.member_panel.rows.values())

    # banning Cee (who brought no one) offers nothing more
    choose(ash, "Cee", moderation.ban_action())
    plain = circle.ash.active_dialog
    assert isinstance(plain, ConfirmBanDialog)
    assert plain.invitees_check.isHidden() and not plain.with_invitees()
    with qtbot.waitSignal(plain.finished, timeout=WAIT_MS):
        click(plain.secondary_button)

    # banning Bee offers to remove Cee too, unchecked; checked, both go in one action
    choose(ash, "Bee", moderation.ban_action())
    banning = circle.ash.active_dialog
    assert isinstance(banning, ConfirmBanDialog)
    assert banning.windowTitle() == moderation.confirm_ban_title("Bee")
    assert not banning.invitees_check.isHidden()
    assert banning.invitees_check.text() == "Also remove the person they brought in:"
    assert banning.invitees_label.text() == "Cee"
    assert not banning.invitees_check.isChecked()
    banning.invitees_check.setChecked(True)
    with qtbot.waitSignal(banning.accepted, timeout=DELIVERY_WAIT_MS):
        click(banning.primary_button)
    assert banning.result_data == Banned(removed=[ids["Cee"]])

    qtbot.waitUntil(lambda: [m.name for m in ash.member_panel.members] == ["Ash"], timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: bee.controller.removed and bee.controller.banned, timeout=DELIVERY_WAIT_MS
    )
    qtbot.waitUntil(lambda: cee.controller.removed, timeout=DELIVERY_WAIT_MS)
    assert not cee.controller.banned  # removed, not banned: a new invite could bring them back
    wait_notice(qtbot, (ash,), "Cee was removed by Ash")
