"""Coming back after a removal, socket-free (tests/engine/circle_parts.py): the removal
notice promises that the history "stays readable here", so a rejoin with a new invite
keeps the history held before, in the store (after a restart too), not only on screen.

Before the fix the joiner's app erased the former copy (rows and all) and a member reads
messages only from its admission on, so the earlier history was gone for good."""

from __future__ import annotations

from pathlib import Path

import pytest
import trio

from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import EventType
from peerapp.core.errors import CommandError
from peerapp.core.events import MessageView, RejoinedCircle, RemovedFromCircle
from peerapp.core.permissions import PLAIN_MEMBER, may_delete_message
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.outbox import COALESCE_SECONDS
from tests.engine.circle_parts import Joiner, Member, admit, circle_of, deliver_and_announce, run


def test_a_rejoin_keeps_the_history_held_before_the_removal(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            hex_id = circle.circle_id.hex()
            mine = await admit(ash, circle, bee)
            await ash.messages.send(hex_id, "Welcome, Bee")
            await _drained()
            await deliver_and_announce(ash, bee, mine)
            await bee.messages.send(hex_id, "Glad to be here")
            await _drained()
            await deliver_and_announce(bee, ash, circle)
            before = [m.text for m in bee.messages.history(hex_id, 50, None)]
            assert before == ["Welcome, Bee", "Glad to be here"]

            await ash.moderation.on_member(hex_id, EventType.REMOVE, mine.me.hex())
            await deliver_and_announce(ash, bee, mine)
            assert bee.record.events(RemovedFromCircle)
            assert [m.text for m in bee.messages.history(hex_id, 50, None)] == before

            # invited again: the joiner's side as JoinService runs it (become_member)
            asking = Joiner(ash.invite(circle), "Bee")
            async with trio.open_nursery() as nursery:
                signed = await asking.ask(ash, nursery)
            await bee.joins.become_member(asking.code, asking.signing, asking.exchange, signed)

            assert bee.record.set_aside == [circle.circle_id]  # the former copy, not erased
            assert bee.record.events(RejoinedCircle) == [RejoinedCircle(hex_id)]
            again = bee.runtimes.require(hex_id)
            assert again.me == asking.key and again.state.is_member(again.me)
            assert [m.text for m in bee.messages.history(hex_id, 50, None)] == before
            await bee.messages.send(hex_id, "Back again")
            after = [m.text for m in bee.messages.history(hex_id, 50, None)]
            assert after == [*before, "Back again"]
            bee.close()

            # a restart: what the history reads is in the store, and the circle resolves
            # over it as a member's again
            reopened = Member(tmp_path / "Bee", "Bee", ash.clock, ash.nursery)
            try:
                (membership,) = reopened.store.memberships()
                runtime = CircleRuntime.for_membership(
                    membership, reopened.store.epoch_secrets(circle.circle_id)
                )
                reopened.log.resolve_from_store(runtime, announce=False)
                reopened.runtimes.add(runtime)
                assert runtime.state.is_member(asking.key)
                shown = [m.text for m in reopened.messages.history(hex_id, 50, None)]
                assert shown == after
            finally:
                reopened.close()

    run(body)


def test_messages_written_before_a_removal_stay_ones_own_after_a_rejoin(tmp_path: Path) -> None:
    """Issue 14: after a rejoin one's old messages showed as someone else's (the old
    member key was not kept, so "is this mine" failed for them). They are one's own
    again, after a restart too; not one's own to delete as their author (the rules know
    authors by key, and that key left the circle), and they count no delivery."""

    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            hex_id = circle.circle_id.hex()
            mine = await admit(ash, circle, bee)
            await bee.messages.send(hex_id, "Written before")
            await _drained()
            await deliver_and_announce(bee, ash, circle)
            await ash.moderation.on_member(hex_id, EventType.REMOVE, mine.me.hex())
            await deliver_and_announce(ash, bee, mine)
            asking = Joiner(ash.invite(circle), "Bee")
            async with trio.open_nursery() as nursery:
                signed = await asking.ask(ash, nursery)
            await bee.joins.become_member(asking.code, asking.signing, asking.exchange, signed)
            await bee.messages.send(hex_id, "Written after")

            def own(views: list[MessageView]) -> list[tuple[str, bool, bool, int]]:
                return [(m.text, m.mine, m.earlier_membership, m.held_by) for m in views]

            expected = [("Written before", True, True, 0), ("Written after", True, False, 0)]
            assert own(bee.messages.history(hex_id, 50, None)) == expected
            (before,) = bee.messages.history(hex_id, 50, None)[:1]
            assert before.author == mine.me.hex()
            # as its author, no longer: the core would refuse a DELETE by the new key
            assert not may_delete_message(
                PLAIN_MEMBER,
                PLAIN_MEMBER,
                mine=True,
                deleted=False,
                removed=False,
                earlier_membership=True,
            )
            with pytest.raises(CommandError) as refused:
                await bee.moderation.delete_message(hex_id, before.id)
            assert refused.value.refusal is Refusal.DELETE_NOT_ALLOWED
            bee.close()

            reopened = Member(tmp_path / "Bee", "Bee", ash.clock, ash.nursery)
            try:
                (membership,) = reopened.store.memberships()
                runtime = CircleRuntime.for_membership(
                    membership,
                    reopened.store.epoch_secrets(circle.circle_id),
                    reopened.store.former_keys(circle.circle_id),
                )
                reopened.log.resolve_from_store(runtime, announce=False)
                reopened.runtimes.add(runtime)
                assert runtime.former_keys == {mine.me}
                assert own(reopened.messages.history(hex_id, 50, None)) == expected
            finally:
                reopened.close()

    run(body)


async def _drained() -> None:
    """The outboxes' pause between envelopes passes (trio's MockClock: virtual time, no
    real wait), so what was queued meanwhile is published."""
    await trio.sleep(COALESCE_SECONDS)


def test_a_removed_member_may_forget_the_circle_and_a_member_may_not(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            hex_id = circle.circle_id.hex()
            mine = await admit(ash, circle, bee)
            with pytest.raises(CommandError) as refused:
                bee.moderation.forget_removed(hex_id)
            assert refused.value.refusal is Refusal.STILL_A_MEMBER
            assert bee.record.forgotten == []
            await ash.moderation.on_member(hex_id, EventType.REMOVE, mine.me.hex())
            await deliver_and_announce(ash, bee, mine)
            bee.moderation.forget_removed(hex_id)  # nothing signed: the log says we are out
            assert bee.record.forgotten == [circle.circle_id]

    run(body)
