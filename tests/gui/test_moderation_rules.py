"""Without an engine: how a menu orders the engine's actions (which messages may be
deleted or reported is the core's: tests/core/test_core_permissions_facts.py), the notes
facilitators' actions leave in the conversation and the log, where those notes go among
the messages, and what holds the composer back."""

from __future__ import annotations

import dataclasses
import time
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from peerapp.core.api.moderation import (
    MessageDetails,
    ModerationDetails,
    ModerationEntryView,
    MuteDetails,
    NoDetails,
    RemovalDetails,
    SettingsDetails,
)
from peerapp.core.circle_state import (
    DEFAULT_FLAG_AFTER_HOURS,
    DEFAULT_HARM_FLAGS_TO_HIDE,
)
from peerapp.core.events import MessageView
from peerapp.core.permissions import MemberAction
from peerapp.ui.member_actions import in_menu_order
from peerapp.ui.notices import (
    Settings,
    log_lines,
    notice_text,
    settings_changes,
    with_previous,
)
from peerapp.ui.pane_moderation import notice_key
from peerapp.ui.text import common, moderation
from peerapp.ui.timeline import Item, MessageRow, Notice, NoticeRow
from peerapp.ui.widgets.composer import NO_HOLD, Composer, hold_at
from peerapp.ui.widgets.message_list import MessageList
from peerapp.ui.widgets.message_model import (
    MessageModel,
    describe,
    order_key,
    tombstone,
)
from tests.gui.helpers import WAIT_MS, type_into

A = MemberAction
MINUTE_MS = 60_000
NO_DETAILS = NoDetails()
T0 = int(datetime(2025, 3, 4, 14, 0).timestamp() * 1000)


# -- who may do what ------------------------------------------------------------------
# (the moderation actions on a member are the core's: tests/core/test_core_permissions.py,
# and so are the message rules: tests/core/test_core_permissions_facts.py)


def test_a_menu_lists_the_engines_actions_gentle_first() -> None:
    assert in_menu_order({A.BAN, A.REMOVE, A.MUTE, A.PROMOTE}) == [
        A.PROMOTE,
        A.MUTE,
        A.REMOVE,
        A.BAN,
    ]
    assert in_menu_order([A.BAN, A.REMOVE, A.UNMUTE, A.MAKE_FOUNDER, A.DEMOTE]) == [
        A.DEMOTE,
        A.MAKE_FOUNDER,
        A.UNMUTE,
        A.REMOVE,
        A.BAN,
    ]
    assert in_menu_order(()) == []


# -- notices and the log ----------------------------------------------------------------


def entry(
    action: str,
    details: ModerationDetails = NO_DETAILS,
    *,
    id: str = "",
    target: str | None = "e" * 64,
    target_name: str | None = "Em",
    actor_name: str = "Bee",
    ts: int = T0,
    lamport: int = 4,
) -> ModerationEntryView:
    return ModerationEntryView(
        id=id or f"{action}-1",
        actor="b" * 64,
        actor_name=actor_name,
        action=action,
        target=target,
        target_name=target_name,
        ts=ts,
        lamport=lamport,
        details=details,
    )


def test_notices_say_who_did_what_to_whom() -> None:
    assert notice_text(entry("promote")) == "Bee made Em a co-facilitator"
    assert notice_text(entry("demote")) == "Bee made Em a member again"
    assert notice_text(entry("transfer_founder")) == "Bee made Em the founder"
    assert notice_text(entry("remove")) == "Em was removed by Bee"
    assert notice_text(entry("ban")) == "Em was removed by Bee and cannot rejoin"
    assert notice_text(entry("invite_revoke", target=None)) == "Bee revoked an invite code"
    # a deleted message shows in its own place, not as a notice
    assert notice_text(entry("delete", MessageDetails("m" * 64))) is None


def test_a_facilitators_reason_follows_the_notice_and_fills_the_log() -> None:
    why = "Kept on after two <i>warnings</i>"
    assert notice_text(entry("remove", RemovalDetails(why))) == (
        f"Em was removed by Bee. Reason: {why}"
    )
    assert notice_text(entry("ban", RemovalDetails(why))) == (
        f"Em was removed by Bee and cannot rejoin. Reason: {why}"
    )
    muted = entry("mute", MuteDetails(T0 + 10 * MINUTE_MS, why))
    assert notice_text(muted) == f"Em was muted for 10 minutes by Bee. Reason: {why}"
    assert notice_text(entry("remove", RemovalDetails())) == "Em was removed by Bee"
    # a facilitator's delete that says why gets a note (its author reads it there); one
    # without a reason, or an author's own, leaves only the tombstone
    deleted = entry("delete", MessageDetails("m" * 64, why))
    assert notice_text(deleted) == f"A message by Em was removed by Bee. Reason: {why}"
    own = dataclasses.replace(deleted, target="b" * 64, target_name="Bee")
    assert notice_text(own) is None
    lines = log_lines([entry("remove", RemovalDetails(why)), muted, entry("promote")])
    assert [line.reason for line in lines] == [why, why, ""]


def test_a_muted_composer_says_why() -> None:
    hold = hold_at(T0, T0 + 5 * MINUTE_MS, 0, "Take a breath")
    assert hold.muted and (hold.text or "").endswith(". Reason: Take a breath")
    assert hold_at(T0, T0 + 5 * MINUTE_MS, 0) == hold_at(T0, T0 + 5 * MINUTE_MS, 0, "")
    assert hold_at(T0, 0, 0, "Take a breath") == NO_HOLD  # no mute, no reason


@pytest.mark.parametrize(
    ("until", "said"),
    [
        (T0 + 10 * MINUTE_MS, "Em was muted for 10 minutes by Bee"),
        (T0 + 10 * MINUTE_MS + 700, "Em was muted for 10 minutes by Bee"),  # two clock reads
        (T0 + 60 * MINUTE_MS, "Em was muted for 1 hour by Bee"),
        (T0 + 24 * 60 * MINUTE_MS, "Em was muted for 1 day by Bee"),
        (T0 + 90 * MINUTE_MS, "Em was muted for 90 minutes by Bee"),
        (T0 + 45_000, "Em was muted for 45 seconds by Bee"),
        (0, "Bee unmuted Em"),
    ],
)
def test_mute_notices_say_for_how_long(until: int, said: str) -> None:
    assert notice_text(entry("mute", MuteDetails(until))) == said


def settings(slow: int = 0, approval: bool = False, guidelines: str = "Be kind") -> SettingsDetails:
    return SettingsDetails(
        guidelines=guidelines,
        join_approval=approval,
        members_invite=False,
        flag_after_hours=DEFAULT_FLAG_AFTER_HOURS,
        slow_mode_seconds=slow,
        harm_flags_to_hide=DEFAULT_HARM_FLAGS_TO_HIDE,
    )


def test_settings_notices_say_what_changed() -> None:
    before = Settings(0, False, "Be kind")
    assert notice_text(entry("settings", settings(slow=30)), before) == (
        "Slow mode is now 30 s (changed by Bee)"
    )
    assert notice_text(entry("settings", settings(approval=True)), before) == (
        "Join approval is on (changed by Bee)"
    )
    assert notice_text(entry("settings", settings(guidelines="Listen")), before) == (
        "The guidelines were updated (changed by Bee)"
    )
    both = notice_text(entry("settings", settings(slow=300, approval=True)), before)
    assert both == "Slow mode is now 5 min. Join approval is on (changed by Bee)"
    slowed = Settings(60, True, "Be kind")
    assert notice_text(entry("settings", settings(approval=True)), slowed) == (
        "Slow mode is off (changed by Bee)"
    )
    assert notice_text(entry("settings", settings()), before) == "Bee updated the circle settings"


def test_guidelines_not_known_before_are_not_claimed_changed() -> None:
    unknown = Settings(0, False, None)
    assert settings_changes(Settings(0, False, "Listen"), unknown) == []
    assert settings_changes(Settings(10, False, "Listen"), None) == ["Slow mode is now 10 s"]


def test_the_log_walks_settings_in_order_and_reads_as_lines() -> None:
    log = [
        entry("settings", settings(slow=30), id="s1"),
        entry("settings", settings(slow=30, approval=True), id="s2"),
        entry("mute", MuteDetails(T0 + 10 * MINUTE_MS), id="m1"),
        entry("delete", MessageDetails("m" * 64), id="d1", target="b" * 64, target_name="Bee"),
        entry("delete", MessageDetails("n" * 64), id="d2"),
    ]
    paired = with_previous(log)
    assert paired[1][1] == Settings(30, False, "Be kind")
    lines = log_lines(log)
    assert [(line.who, line.what, line.whom) for line in lines] == [
        ("Bee", "Slow mode is now 30 s", ""),
        ("Bee", "Join approval is on", ""),
        ("Bee", "Muted for 10 minutes", "Em"),
        ("Bee", "Deleted their own message", ""),
        ("Bee", "Removed a message", "Em"),
    ]
    assert lines[0].when == moderation.log_when(datetime(2025, 3, 4, 14, 0))
    assert lines[0].when.endswith("4 Mar 14:00")


def test_names_are_never_missing() -> None:
    nameless = entry("remove", actor_name="", target_name=None)
    assert notice_text(nameless) == "Someone was removed by Someone"
    assert notice_text(entry("something new")) == "Bee changed something in the circle"


# -- where a notice goes ------------------------------------------------------------------


def message(lamport: int, ts: int) -> MessageView:
    return MessageView(f"{lamport:064x}", "a" * 64, "Ash", "hello", ts, False, lamport)


def test_a_notice_goes_where_the_log_places_it() -> None:
    """The engine gives every entry its place in the circle's one order (its lamport)."""
    shown = [message(3, T0), message(5, T0 + MINUTE_MS), message(8, T0 + 3 * MINUTE_MS)]
    key = notice_key(entry("remove", lamport=6, ts=T0 - MINUTE_MS))
    assert key == (6, "remove-1")
    assert (5, shown[1].id) < key < (8, shown[2].id)


# -- what holds the composer back ---------------------------------------------------------


def test_a_mute_says_until_when_rounded_up_to_the_minute() -> None:
    hold = hold_at(T0, T0 + 4 * MINUTE_MS + 30_000, 0)
    assert hold.muted
    assert hold.text == "You are muted until 14:05"
    tomorrow = hold_at(T0, T0 + 24 * 60 * MINUTE_MS, 0)
    assert tomorrow.text == "You are muted until Wednesday 14:00"


def test_slow_mode_counts_down_in_whole_seconds() -> None:
    hold = hold_at(T0, 0, T0 + 23_200)
    assert not hold.muted
    assert hold.text == "You can send again in 24 s"
    assert hold_at(T0, 0, T0 + 150_000).text == "You can send again in 2 min 30 s"
    assert hold_at(T0, 0, T0) == NO_HOLD
    assert hold_at(T0, T0 - 1, T0 - 1) == NO_HOLD


def test_durations_read_naturally() -> None:
    assert common.duration(600) == "10 minutes"
    assert common.duration(3600) == "1 hour"
    assert common.duration(2 * 86400) == "2 days"
    assert common.duration(1) == "1 second"
    assert common.short_duration(30) == "30 s"
    assert common.short_duration(60) == "1 min"
    assert common.short_duration(3600) == "1 h"


# -- notices and tombstones in the message model and on screen -------------------------


def a_message(lamport: int, author: str = "a", minutes: int | None = None) -> MessageView:
    ts = T0 + (lamport if minutes is None else minutes) * MINUTE_MS
    return MessageView(
        f"{lamport:064x}", author * 64, author, f"text {lamport}", ts, False, lamport
    )


def a_notice(after: MessageView, text: str = "Bee made Em a co-facilitator") -> Notice:
    return Notice("n" + after.id[1:], text, after.ts, after.lamport, after.id + "~")


@pytest.mark.usefixtures("hearth_app")
def test_notices_sit_among_messages_and_break_groups() -> None:
    log = [a_message(n) for n in range(1, 6)]
    model = MessageModel()
    model.append(log)
    notice = a_notice(log[1])
    assert model.merge([notice]) == 1
    assert model.merge([notice]) == 0  # once
    shown: list[Item] = [*log, notice]
    assert [order_key(item) for item in model.items()] == sorted(order_key(i) for i in shown)
    assert model.messages() == log and model.notices() == [notice]
    assert model.last_message() == log[-1]
    after = model.row(model.row_of(log[2].id) or 0)
    assert isinstance(after, MessageRow) and after.starts_group  # the name shows again
    row = model.row(model.row_of(notice.id) or 0)
    assert isinstance(row, NoticeRow)
    assert describe(row, date.today()).endswith(": Bee made Em a co-facilitator")
    assert not model.flags(model.index(model.row_of(notice.id) or 0)) & Qt.ItemFlag.ItemIsSelectable

    # older messages with a notice among them go in above in one step
    older = [a_message(-3), a_message(-2)]
    early = a_notice(older[0], "Bee revoked an invite code")
    assert model.prepend(sorted([*older, early], key=order_key)) == 3
    assert [type(item).__name__ for item in model.items()[:3]] == [
        "MessageView",
        "Notice",
        "MessageView",
    ]


@pytest.mark.usefixtures("hearth_app")
def test_a_deleted_message_keeps_its_place_with_a_tombstone() -> None:
    log = [a_message(n) for n in range(1, 4)]
    model = MessageModel()
    model.append(log)
    assert model.mark_deleted(log[1].id, "facilitator")
    assert not model.mark_deleted(log[1].id, "author")  # once
    gone = model.message(log[1].id)
    assert gone is not None and gone.text == "" and gone.deleted == "facilitator"
    assert tombstone(gone) == moderation.removed_by_facilitator()
    # a fresher copy from the engine (a reload) carries a deletion that happened meanwhile
    fresher = dataclasses.replace(log[2], text="", deleted="author")
    assert model.update_delivery([fresher]) == 1
    row = model.row(model.row_of(log[2].id) or 0)
    assert moderation.deleted_by_author() in describe(row, date.today())
    assert [m.id for m in model.messages()] == [m.id for m in log]


def test_notices_and_tombstones_are_painted(qtbot: QtBot, hearth_app: object) -> None:
    log = [a_message(n) for n in range(1, 4)]
    model = MessageModel()
    model.append(log)
    model.merge([a_notice(log[0], "Slow mode is now 30 s (changed by Bee) " * 6)])
    view = MessageList(model)
    qtbot.addWidget(view)
    view.resize(420, 600)
    view.show()
    qtbot.waitExposed(view)
    before = view.visualRect(model.index(model.row_of(log[1].id) or 0)).height()
    model.mark_deleted(log[1].id, "author")
    view.viewport().grab()  # paints every row, tombstone and wrapped notice included
    notice_row = view.visualRect(model.index(model.row_of(a_notice(log[0]).id) or 0))
    assert notice_row.height() > 2 * QFontMetrics(view.font()).height()  # it wrapped
    after = view.visualRect(model.index(model.row_of(log[1].id) or 0)).height()
    assert after > 0 and after <= before + QFontMetrics(view.font()).height()
    # a tombstone offers nothing to copy
    view.setCurrentIndex(model.index(model.row_of(log[1].id) or 0))
    assert view.selected_text() is None


def test_the_composer_lets_go_when_a_mute_ends(qtbot: QtBot, hearth_app: object) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.show()
    type_into(composer.edit, "Still here")
    now = int(time.time() * 1000)
    composer.set_holds(now + 1200, 0)
    assert composer.hold.muted and not composer.edit.isEnabled()
    assert not composer.send_button.isEnabled()
    with qtbot.waitSignal(composer.holdEnded, timeout=WAIT_MS):
        pass
    assert composer.hold == NO_HOLD and composer.edit.isEnabled()
    assert composer.send_button.isEnabled() and composer.text() == "Still here"
    assert composer.hold_label.isHidden()
