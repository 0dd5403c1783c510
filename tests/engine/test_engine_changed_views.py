"""Finer events (issue 13) on the engine's parts alone: a stored message whose view
changed, a circle's settings and its members are announced with the view as of now,
whoever wrote the change (our own command, or events stored from another member), so a
front updates without asking. Real database, FakeClock, no socket
(tests/engine/circle_parts.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from peerapp.core.circle_events import EventType
from peerapp.core.events import (
    CircleSettingsChanged,
    HistoryChanged,
    MembersChanged,
    MessageChanged,
    MessageReview,
)
from peerapp.core.permissions import MemberAction
from peerapp.crypto.signing import sign_event
from tests.engine.circle_parts import (
    Member,
    admit,
    admitted_and_said,
    circle_of,
    deliver,
    deliver_and_announce,
    hide_at_first_flag,
    run,
)


def _changed(member: Member) -> list[MessageChanged]:
    return [e for e in member.record.emitted if isinstance(e, MessageChanged)]


def _settings(member: Member) -> list[CircleSettingsChanged]:
    return [e for e in member.record.emitted if isinstance(e, CircleSettingsChanged)]


def test_a_flag_hides_a_message_and_a_restore_shows_it_each_as_its_view(
    tmp_path: Path,
) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            circle_hex = circle.circle_id.hex()
            await hide_at_first_flag(ash, circle_hex)
            mine, view, _ = await admitted_and_said(ash, circle, bee, "a hard night")
            ash.record.emitted.clear()

            await ash.safety.flag_harm(circle_hex, view.id)
            (hidden,) = _changed(ash)
            assert hidden.circle == circle_hex and hidden.message.id == view.id
            assert (hidden.message.hidden, hidden.message.harm_flags) == (True, 1)
            assert hidden.message.flagged and not hidden.message.mine
            # the row first, then the review's turn (a facilitator's note goes under it)
            kinds = [
                type(e) for e in ash.record.emitted if isinstance(e, MessageChanged | MessageReview)
            ]
            assert kinds == [MessageChanged, MessageReview]

            # the author's app hears it from the events it stores: its own message, hidden
            await deliver_and_announce(ash, bee, mine)
            (seen_by_bee,) = _changed(bee)
            assert seen_by_bee.message.mine and seen_by_bee.message.hidden
            assert not seen_by_bee.message.flagged  # Bee did not flag it; who did is not told

            ash.record.emitted.clear()
            await ash.safety.restore(circle_hex, view.id)
            (shown,) = _changed(ash)
            assert (shown.message.hidden, shown.message.restored) == (False, True)

    run(body)


def test_a_delete_is_announced_as_the_tombstone_not_as_a_new_history(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine, view, _ = await admitted_and_said(ash, circle, bee, "typo")
            await bee.moderation.delete_message(mine.circle_id.hex(), view.id)
            (own,) = _changed(bee)
            assert (own.message.id, own.message.deleted, own.message.text) == (
                view.id,
                "author",
                "",
            )

            ash.record.emitted.clear()
            await deliver_and_announce(bee, ash, circle)
            (theirs,) = _changed(ash)
            assert (theirs.message.deleted, theirs.message.text) == ("author", "")
            assert not ash.record.events(HistoryChanged)

    run(body)


def test_a_blocked_members_changed_message_is_not_told(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine, view, _ = await admitted_and_said(ash, circle, bee, "typo")
            ash.boundaries.block(circle.circle_id.hex(), mine.me.hex())
            await bee.moderation.delete_message(mine.circle_id.hex(), view.id)
            ash.record.emitted.clear()
            await deliver_and_announce(bee, ash, circle)
            assert _changed(ash) == []  # the history leaves it out: so does its change

    run(body)


def test_settings_and_members_come_with_their_views_by_every_path(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            circle_hex = circle.circle_id.hex()
            mine = await admit(ash, circle, bee)
            await deliver_and_announce(ash, bee, mine)
            ash.record.emitted.clear()
            bee.record.emitted.clear()

            # our own command: the settings as circle_info gives them now, nothing else
            await ash.moderation.set_settings(
                circle_hex,
                slow_mode_seconds=30,
                join_approval=None,
                guidelines="Listen first.",
                harm_flags_to_hide=None,
                flag_after_hours=None,
            )
            (own,) = _settings(ash)
            assert own.info == ash.moderation.circle_info(circle_hex)
            assert (own.info.guidelines, own.info.slow_mode_seconds) == ("Listen first.", 30)
            assert not ash.record.events(MembersChanged)

            # stored from another member: the same, as that member's standing is
            await deliver_and_announce(ash, bee, mine)
            (theirs,) = _settings(bee)
            assert theirs.info.guidelines == "Listen first."
            assert (theirs.info.my_role, theirs.info.my_id) == ("member", mine.me.hex())

            # a mute: the members (with what the viewer may do to each) and the standing
            ash.record.emitted.clear()
            bee.record.emitted.clear()
            until = await ash.moderation.mute(circle_hex, mine.me.hex(), 90)
            (members,) = ash.record.events(MembersChanged)
            assert isinstance(members, MembersChanged)
            muted = next(m for m in members.members if m.id == mine.me.hex())
            assert muted.muted_until == until
            assert MemberAction.REMOVE.value in muted.actions
            await deliver_and_announce(ash, bee, mine)
            (standing,) = _settings(bee)
            assert standing.info.muted_until == until
            (seen,) = bee.record.events(MembersChanged)
            assert isinstance(seen, MembersChanged)
            # as Bee sees them: a member removes no one
            assert all(MemberAction.REMOVE.value not in m.actions for m in seen.members)

    run(body)


def test_a_second_version_marks_the_first_as_a_changed_view(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            await deliver(ash, bee, mine)
            first = await bee.messages.send_body(mine.circle_id.hex(), {"text": "first"})
            await deliver(bee, ash, circle)
            # Bee's app signs another message under the same number (a modified client)
            stored = bee.store.event(mine.circle_id, bytes.fromhex(first.id))
            assert stored is not None
            fresh = bee.log.author(mine, EventType.MESSAGE, {"text": "second"})
            again = dataclasses.replace(fresh.event, seq=stored.seq)
            signed = sign_event(again, mine.membership.signing_seed).signed
            ash.record.emitted.clear()
            await ash.log.announce(circle, ash.receive(circle, [signed]))
            (marked,) = _changed(ash)
            assert (marked.message.id, marked.message.text) == (first.id, "first")
            assert marked.message.equivocated

    run(body)
