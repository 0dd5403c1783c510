"""Moderation and safety as features on their own: real database, FakeClock, the write
path's publish and the fronts' events recorded; no socket (tests/engine/circle_parts.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import nacl.signing
import pytest
from trio.testing import wait_all_tasks_blocked

from peerapp.core.api.moderation import MuteDetails, RemovalDetails
from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import EventType
from peerapp.core.errors import CommandError
from peerapp.core.events import (
    MembersChanged,
    MessageReview,
    ModerationHappened,
    RemovedFromCircle,
)
from peerapp.core.moderation_policy import MAX_REASON_CHARS
from peerapp.crypto.signing import verify_signed
from peerapp.engine.moderation import REMOVAL_NOTICE_SECONDS
from tests.engine.circle_parts import (
    admit,
    admitted_and_said,
    circle_of,
    deliver,
    deliver_and_announce,
    epoch_of,
    hide_at_first_flag,
    run,
    signed_in,
    types_in,
)


def test_a_mute_ends_when_the_clock_passes_it(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            until = await ash.moderation.mute(circle.circle_id.hex(), mine.me.hex(), 90)
            assert until == ash.clock.now_ms() + 90_000
            assert ash.record.events(ModerationHappened) and ash.record.events(MembersChanged)
            await deliver(ash, bee, mine)
            refused = bee.moderation.why_not_send(mine)
            assert refused is not None and refused.refusal is Refusal.MUTED
            assert refused.message == "You are muted in this circle for another 2 minutes."
            with pytest.raises(CommandError, match="muted"):
                await bee.messages.send(mine.circle_id.hex(), "hello")
            bee.clock.advance(91)  # one clock for both: the mute's end passes
            assert bee.moderation.why_not_send(mine) is None
            view = await bee.messages.send(mine.circle_id.hex(), "hello again")
            assert view.mine and view.text == "hello again" and view.held_by == 0

    run(body)


def test_a_removal_rekeys_the_circle_without_the_removed_member(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            held = epoch_of(circle)
            await ash.moderation.on_member(circle.circle_id.hex(), EventType.REMOVE, mine.me.hex())
            # the removal and the new epoch leave together, under the epoch Bee still
            # holds, so Bee learns of it
            last = ash.record.published[-1]
            assert last.topic == held.topic
            assert types_in([last]) == [
                EventType.REMOVE,
                EventType.EXCHANGE_KEY,
                EventType.KEY_ROTATE,
            ]
            current = circle.state.current_epoch
            assert current is not None and mine.me not in current.recipients
            assert ash.record.access_changes == 1  # the gate closes for Bee now
            assert "_disconnect_after_notice" in ash.record.spawned
            print(f"Bee is disconnected {REMOVAL_NOTICE_SECONDS} s after the notice")
            await deliver_and_announce(ash, bee, mine)
            (removed,) = bee.record.events(RemovedFromCircle)
            assert isinstance(removed, RemovedFromCircle) and removed.by_name == "Ash"
            assert mine.epochs == {}  # Bee keeps no epoch secret
            refused = bee.moderation.why_not_send(mine)
            assert refused is not None and refused.refusal is Refusal.REMOVED_FROM_CIRCLE
            assert refused.message == "You were removed from this circle."

    run(body)


def test_an_action_the_rules_refuse_is_never_signed(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            stored = bee.store.event_count(mine.circle_id)
            with pytest.raises(CommandError, match="facilitator"):
                await bee.moderation.on_member(
                    mine.circle_id.hex(), EventType.REMOVE, circle.me.hex()
                )
            assert bee.store.event_count(mine.circle_id) == stored
            assert bee.record.published == []

    run(body)


def test_a_check_in_is_a_message_with_a_mood(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash") as (ash,):
            circle = ash.found()
            await ash.safety.checkin(circle.circle_id.hex(), 3, "tired but ok")
            await wait_all_tasks_blocked()  # the outbox's drain: the publish rule queues
            assert types_in(ash.record.published) == [EventType.MESSAGE]
            (sent,) = signed_in(ash.record.published)
            assert verify_signed(sent).event.body == {"text": "tired but ok", "mood": 3}
            with pytest.raises(CommandError, match="mood is a number from 1 to 5"):
                await ash.safety.checkin(circle.circle_id.hex(), 9, "")
            assert len(signed_in(ash.record.published)) == 1  # nothing signed

    run(body)


def test_a_harm_flag_hides_a_message_and_a_restore_shows_it(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            circle_hex = circle.circle_id.hex()
            await hide_at_first_flag(ash, circle_hex)
            _, view, _ = await admitted_and_said(ash, circle, bee, "a hard night")
            flagged = await ash.safety.flag_harm(circle_hex, view.id)
            assert flagged == {"hidden": True, "harm_flags": 1}
            (review,) = ash.safety.pending_review(circle_hex)
            assert review.message == view.id and review.author_name == "Bee"
            await ash.safety.restore(circle_hex, view.id)
            reviews = [
                (e.message, e.hidden)
                for e in ash.record.events(MessageReview)
                if isinstance(e, MessageReview)
            ]
            assert reviews == [(view.id, True), (view.id, False)]
            assert ash.safety.pending_review(circle_hex) == ()

    run(body)


def test_a_delete_erases_the_message_through_the_write_path(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash") as (ash,):
            circle = ash.found()
            view = await ash.messages.send_body(circle.circle_id.hex(), {"text": "typo"})
            await ash.moderation.delete_message(circle.circle_id.hex(), view.id)
            stored = ash.store.event(circle.circle_id, bytes.fromhex(view.id))
            assert stored is not None and stored.signed == b"" and stored.text is None
            assert types_in(ash.record.published) == [EventType.MESSAGE, EventType.DELETE]

    run(body)


def test_a_reason_reaches_the_member_and_the_log(tmp_path: Path) -> None:
    """A mute's and a removal's reason travel in the signed body: the other member's log
    view carries them, and the removed member's RemovedFromCircle says why."""

    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            circle_hex, bee_hex = circle.circle_id.hex(), mine.me.hex()
            await ash.moderation.mute(circle_hex, bee_hex, 600, "  heated,\n please pause ")
            (published,) = signed_in(ash.record.published[-1:])
            # folded whitespace, as signed
            assert verify_signed(published).event.body["reason"] == "heated, please pause"
            await deliver(ash, bee, mine)
            (muted,) = [e for e in bee.moderation.moderation_log(circle_hex) if e.action == "mute"]
            assert isinstance(muted.details, MuteDetails)
            assert muted.details.reason == "heated, please pause"
            # a mute without one signs no `reason` at all: the body is what it always was
            await ash.moderation.mute(circle_hex, bee_hex, 0)
            (lifted,) = signed_in(ash.record.published[-1:])
            assert set(verify_signed(lifted).event.body) == {"member", "until"}
            await ash.moderation.on_member(
                circle_hex, EventType.REMOVE, bee_hex, "threats to another member"
            )
            await deliver_and_announce(ash, bee, mine)
            (removed,) = bee.record.events(RemovedFromCircle)
            assert isinstance(removed, RemovedFromCircle)
            assert removed.reason == "threats to another member" and not removed.banned
            entries = bee.moderation.moderation_log(circle_hex)
            assert [type(e.details).__name__ for e in entries if e.action != "settings"] == [
                "MuteDetails",
                "MuteDetails",
                "RemovalDetails",
            ]
            assert entries[-1].details == RemovalDetails("threats to another member")
            assert entries[-2].details == MuteDetails(0, "")

    run(body)


@pytest.mark.parametrize(
    ("reason", "refusal"),
    [("x" * (MAX_REASON_CHARS + 1), Refusal.REASON_TOO_LONG), ("a\x00b", Refusal.REASON_NOT_PLAIN)],
    ids=["too long", "not plain"],
)
def test_a_bad_reason_is_refused_before_anything_is_signed(
    tmp_path: Path, reason: str, refusal: Refusal
) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            circle_hex, bee_hex = circle.circle_id.hex(), mine.me.hex()
            published = len(ash.record.published)
            stored = ash.store.event_count(circle.circle_id)
            attempts = [
                ash.moderation.mute(circle_hex, bee_hex, 60, reason),
                ash.moderation.on_member(circle_hex, EventType.REMOVE, bee_hex, reason),
                ash.moderation.ban(circle_hex, bee_hex, invitees=False, reason=reason),
            ]
            for attempt in attempts:
                with pytest.raises(CommandError) as raised:
                    await attempt
                assert raised.value.refusal is refusal
                print(raised.value.message)
            assert ash.store.event_count(circle.circle_id) == stored
            assert len(ash.record.published) == published
            # the exact limit goes through
            await ash.moderation.mute(circle_hex, bee_hex, 60, "é" * MAX_REASON_CHARS)

    run(body)


def test_a_hostile_oversize_reason_is_refused_and_counted_nothing_else_lost(
    tmp_path: Path,
) -> None:
    """A facilitator's app modified to sign a 281-character (or non-text) reason: every
    other replica refuses that event as malformed, counts it, and keeps what came with it."""

    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            await deliver(ash, bee, mine)
            stored = bee.store.event_count(mine.circle_id)
            good = ash.log.author(circle, EventType.MESSAGE, {"text": "still here"})
            hostile = []
            for reason in ("x" * (MAX_REASON_CHARS + 1), b"rude", ""):
                valid = ash.log.author(circle, EventType.MUTE, {"member": mine.me, "until": 0})
                event = replace(valid.event, body={**valid.event.body, "reason": reason})
                encoded = event.encode()
                seed = circle.membership.signing_seed
                hostile.append(encoded + nacl.signing.SigningKey(seed).sign(encoded).signature)
            accepted = bee.receive(mine, [*hostile, good.signed])
            assert [s.id for s in accepted] == [good.id]
            assert bee.record.counted.count("invalid") == 3
            assert bee.store.event_count(mine.circle_id) == stored + 1
            assert [e.action for e in bee.moderation.moderation_log(mine.circle_id.hex())] == []

    run(body)
