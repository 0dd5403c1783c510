"""Join admission without sockets: the member's side of /hearth/join/1.0.0
(JoinService.serve) and the facilitator's queue, against the joiner's real client over an
in-memory stream, on a real database, with the write path's publish and the fronts'
events recorded (tests/engine/circle_parts.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import trio

from peerapp.core import join_messages as jm
from peerapp.core.circle_events import EventType
from peerapp.core.errors import CommandError
from peerapp.core.events import JoinRequestArrived, MemberJoined
from peerapp.core.invite_code import InviteCode
from peerapp.engine.join_client import JoinPending, JoinRefused
from tests.engine.circle_parts import Joiner, circle_of, epoch_of, run, types_in


def test_a_joiner_with_an_invite_is_admitted_and_the_circle_rekeys(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash") as (ash,):
            runtime = ash.found()
            bee = Joiner(ash.invite(runtime))
            before = epoch_of(runtime)
            async with trio.open_nursery() as nursery:
                signed = await bee.ask(ash, nursery)
            assert runtime.state.is_member(bee.key)
            # the admission and a new epoch sealed to the joiner too, under the old epoch
            assert types_in(ash.record.published) == [
                EventType.ADD_MEMBER,
                EventType.EXCHANGE_KEY,
                EventType.KEY_ROTATE,
            ]
            assert {message.topic for message in ash.record.published} == {before.topic}
            assert ash.record.retired_later == [runtime.circle_id]
            assert ash.record.proofs == [(bee.peer, True)]
            (joined,) = ash.record.events(MemberJoined)
            assert isinstance(joined, MemberJoined) and joined.member.name == "Bee"
            # the joiner got the control log and reads the new epoch
            mine = bee.adopt(ash.__class__(tmp_path / "bee", "Bee", ash.clock, nursery), signed)
            assert epoch_of(mine).epoch_id == epoch_of(runtime).epoch_id != before.epoch_id

    run(body)


def test_a_used_up_invite_and_an_unknown_one_are_refused(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash") as (ash,):
            runtime = ash.found()
            code = ash.invite(runtime, uses=1)
            async with trio.open_nursery() as nursery:
                await Joiner(code, "Bee").ask(ash, nursery)
                with pytest.raises(JoinRefused) as used_up:
                    await Joiner(code, "Cee").ask(ash, nursery)
                assert used_up.value.reason is jm.Refusal.USED_UP
                forged = InviteCode(code.circle_id, bytes(32), code.peer_id, code.addrs, 10**10)
                with pytest.raises(JoinRefused) as bad:
                    await Joiner(forged, "Dee").ask(ash, nursery)
                # its proof holds for its own seed: a stranger that proved a seed stays
                # connected while it hears the refusal
                assert bad.value.reason is jm.Refusal.UNKNOWN_INVITE
            assert ash.record.proofs[-1] == ("12D3KooWDee", True)
            assert len(runtime.state.members) == 2  # Ash and Bee only

    run(body)


def test_with_approval_on_a_request_waits_for_a_facilitator(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash") as (ash,):
            runtime = ash.found()
            await ash.moderation.set_settings(
                runtime.circle_id.hex(),
                slow_mode_seconds=None,
                join_approval=True,
                guidelines=None,
            )
            bee = Joiner(ash.invite(runtime, uses=5))
            published = len(ash.record.published)
            async with trio.open_nursery() as nursery:
                with pytest.raises(JoinPending):
                    await bee.ask(ash, nursery)
                (arrived,) = ash.record.events(JoinRequestArrived)
                assert isinstance(arrived, JoinRequestArrived) and arrived.member_name == "Bee"
                assert not runtime.state.is_member(bee.key)
                assert len(ash.record.published) == published  # nothing entered the log
                (waiting,) = ash.joins.pending_joins(runtime.circle_id.hex())
                await ash.joins.approve_join(runtime.circle_id.hex(), waiting["id"])
                assert runtime.state.is_member(bee.key)
                with pytest.raises(CommandError, match="already approved"):
                    await ash.joins.approve_join(runtime.circle_id.hex(), waiting["id"])
                # asking again with the same key: the log
                signed = await bee.ask(ash, nursery)
            assert any(b"Bee" in s for s in signed)
            assert types_in(ash.record.published)[-3:] == [
                EventType.ADD_MEMBER,
                EventType.EXCHANGE_KEY,
                EventType.KEY_ROTATE,
            ]

    run(body)
