"""Private conversations without sockets (engine/private_talk.py): the circle parts as the
service wires them (tests/engine/circle_parts.py), one FakeClock, the mailbox's streams
in memory. Ash founds the circle (a facilitator), Bee and Cee are plain members.

What is held: a facilitator reaches out and the member answers, delivery waits for the
member to come back (the mailbox's back-off, by the clock) and survives a restart (the
outbox is stored); a replayed note is acknowledged and stored once, a forged sender, a
forged signature, a wrong key, a care flag relabelled as a private message and a plain
member writing to a plain member are refused and counted; the sender's own refusals
(not a facilitator, blocked, oneself, blank); a member who blocked the facilitator drops
its messages without telling it; a break makes them silent; a removed member keeps the
history but can no longer write or be written to."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import nacl.public
import pytest
import trio
from trio.testing import wait_all_tasks_blocked

from peerapp.core import private_talk_policy as policy
from peerapp.core import wire
from peerapp.core.api.refusals import Refusal as Why
from peerapp.core.circle_events import EventType
from peerapp.core.errors import CommandError
from peerapp.core.events import PrivateMessageArrived, ResolutionNoteReceived
from peerapp.core.mailbox_messages import (
    MAX_ANSWER_BYTES,
    PROTOCOL,
    Ack,
    Answer,
    Note,
    NoteBody,
    NoteKind,
    Refusal,
    Refused,
    decode_answer,
    decode_note_frame,
    encode_note_frame,
)
from peerapp.crypto.notes import seal_note
from peerapp.crypto.signing import sign_detached
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.mailbox import DAY_MS, RETRY_BASE_MS
from peerapp.storage.mailbox_store import MailboxStore
from tests.engine.circle_parts import (
    Member,
    MemberAt,
    admit,
    admitted_and_said,
    circle_of,
    deliver,
    in_reach,
    open_hosts,
    run,
)


def texts(member: Member, runtime: CircleRuntime, other: bytes) -> list[tuple[str, bool]]:
    views = member.parts.private.messages(runtime.circle_id.hex(), other.hex(), None, None)
    return [(view.text, view.mine) for view in views]


def learn_of(ash: Member, bee: Member, runtime: CircleRuntime, key: bytes) -> None:
    """Bee stores Ash's whole log (the invites Ash only committed included), as a sync
    would, and so knows the member `key`."""
    bee.receive(runtime, [e.signed for e in ash.store.events_in_order(runtime.circle_id)])
    assert key in runtime.state.members


async def bee_then_cee(
    ash: Member, circle: CircleRuntime, bee: Member, cee: Member
) -> tuple[CircleRuntime, CircleRuntime]:
    """Bee joins, then Cee, and Bee learns that Cee joined: Bee's runtime and Cee's."""
    mine = await admit(ash, circle, bee)
    theirs = await admit(ash, circle, cee)
    learn_of(ash, bee, mine, theirs.me)
    return mine, theirs


async def answer(nursery: trio.Nursery, target: Member, from_peer: str, frame: bytes) -> Answer:
    """One note handed to `target`'s mailbox by `from_peer`, as a delivery would."""
    stream = await MemberAt(target, nursery, from_peer).open_stream(target.peer, PROTOCOL)
    await stream.send(frame)
    answered = decode_answer(await stream.receive(MAX_ANSWER_BYTES))
    await stream.close()
    return answered


def test_a_facilitator_reaches_out_and_the_member_answers_once_back(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            outbox = MailboxStore(ash.database)
            async with trio.open_nursery() as network:
                open_hosts(network, ash, bee)
                sent = await ash.parts.private.send(
                    circle.circle_id.hex(), mine.me.hex(), "How are you doing?"
                )
                await wait_all_tasks_blocked()
                (note,) = outbox.undelivered()  # Bee is offline: it waits, backing off
                assert note.kind == "private" and note.attempts == 1
                assert sent.mine and not sent.delivered
                assert bee.record.events(PrivateMessageArrived) == []
                # Bee comes back: the periodic round delivers once the back-off passed
                in_reach(ash, bee)
                ash.online_peers.add(bee.peer)
                assert ash.parts.mailbox.deliver_due() == []
                ash.clock.advance(RETRY_BASE_MS / 1000)
                assert ash.parts.mailbox.deliver_due() == [bee.peer]
                await wait_all_tasks_blocked()
                assert outbox.undelivered() == []
                (arrived,) = bee.record.events(PrivateMessageArrived)
                assert isinstance(arrived, PrivateMessageArrived)
                assert arrived.member == circle.me.hex() and not arrived.silent
                assert arrived.message.text == "How are you doing?"
                assert arrived.message.author_name == "Ash" and not arrived.message.read
                (talk,) = bee.parts.private.conversations(mine.circle_id.hex())
                assert (talk.member, talk.unread, talk.opened_by_me) == (circle.me.hex(), 1, False)
                assert talk.may_write  # a member may answer the facilitator who wrote
                # Bee answers; Ash is reachable
                in_reach(bee, ash)
                await bee.parts.private.send(
                    mine.circle_id.hex(), circle.me.hex(), "Better, thanks."
                )
                await wait_all_tasks_blocked()
                network.cancel_scope.cancel()
            expected = [("How are you doing?", True), ("Better, thanks.", False)]
            assert texts(ash, circle, mine.me) == expected
            assert texts(bee, mine, circle.me) == [(t, not m) for t, m in expected]
            (first, _) = ash.parts.private.messages(circle.circle_id.hex(), mine.me.hex(), None, 5)
            assert first.delivered  # the receipt: Bee's app acknowledged it
            (talk,) = ash.parts.private.conversations(circle.circle_id.hex())
            assert talk.unread == 1 and talk.opened_by_me
            ash.parts.private.read(circle.circle_id.hex(), mine.me.hex())
            (talk,) = ash.parts.private.conversations(circle.circle_id.hex())
            assert talk.unread == 0
            # paging: the page before Bee's answer is Ash's first message
            answer_id = ash.parts.private.messages(
                circle.circle_id.hex(), mine.me.hex(), None, None
            )[-1].id
            older = ash.parts.private.messages(
                circle.circle_id.hex(), mine.me.hex(), answer_id, None
            )
            assert [view.text for view in older] == ["How are you doing?"]

    run(body)


def test_the_outbox_survives_a_restart(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            # no host attached: nothing leaves before the "crash"
            await ash.parts.private.send(circle.circle_id.hex(), mine.me.hex(), "Still here?")
            ash.close()
            async with trio.open_nursery() as network:
                again = Member(tmp_path / "Ash", "Ash", ash.clock, network, reopen=True)
                again.runtimes.add(circle)  # the membership, as a start-up loads it
                (note,) = MailboxStore(again.database).undelivered()
                assert note.kind == "private"
                open_hosts(network, again, bee)
                in_reach(again, bee)
                again.online_peers.add(bee.peer)
                assert again.parts.mailbox.deliver_due() == [bee.peer]
                await wait_all_tasks_blocked()
                assert MailboxStore(again.database).undelivered() == []
                assert texts(again, circle, mine.me) == [("Still here?", True)]
                network.cancel_scope.cancel()
                again.close()
            assert texts(bee, mine, circle.me) == [("Still here?", False)]

    run(body)


def test_replays_forgeries_and_plain_members_are_refused_and_counted(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee", "Cee") as (ash, bee, cee):
            circle = ash.found()
            mine, theirs = await bee_then_cee(ash, circle, bee, cee)
            await ash.parts.private.send(circle.circle_id.hex(), mine.me.hex(), "Hello Bee")
            (note,) = MailboxStore(ash.database).undelivered()
            frame = note.frame
            genuine = decode_note_frame(frame)
            bee_exchange = circle.state.members[mine.me].exchange

            def sealed(seed: bytes, exchange: bytes, kind: NoteKind = NoteKind.PRIVATE) -> Note:
                body = (
                    NoteBody(kind, "", ash.clock.now_ms(), text="forged")
                    if kind is NoteKind.PRIVATE
                    else NoteBody(kind, "", ash.clock.now_ms(), member=theirs.me)
                )
                return seal_note(
                    circle=circle.circle_id,
                    note_id=bytes(16),
                    recipient=mine.me,
                    recipient_exchange=exchange,
                    body=body,
                    sender_seed=seed,
                )

            stranger_key = bytes(nacl.public.PrivateKey.generate().public_key)
            cee_seed = theirs.membership.signing_seed
            ash_seed = circle.membership.signing_seed
            cee_as_ash = dataclasses.replace(sealed(cee_seed, bee_exchange), sender=circle.me)
            care = sealed(ash_seed, bee_exchange, NoteKind.CARE)
            relabelled = dataclasses.replace(care, kind=NoteKind.PRIVATE)
            # an oversize text, sealed and signed by hand (seal_note refuses to make one)
            oversize = wire.encode({"kind": "private", "ts": 1, "text": "x" * 4001})
            unsigned = dataclasses.replace(
                genuine,
                id=bytes([7]) * 16,
                sealed=bytes(
                    nacl.public.SealedBox(nacl.public.PublicKey(bee_exchange)).encrypt(oversize)
                ),
                signature=b"",
            )
            too_long = dataclasses.replace(
                unsigned, signature=sign_detached(unsigned.signed_part(), ash_seed)
            )
            async with trio.open_nursery() as network:
                cases = [
                    (ash.peer, frame, Ack(genuine.id)),
                    (ash.peer, frame, Ack(genuine.id)),  # a replay: acknowledged, not stored
                    (cee.peer, frame, Refused(Refusal.UNKNOWN_SENDER)),  # not Ash's peer
                    (ash.peer, encode_note_frame(cee_as_ash), Refused(Refusal.BAD_SIGNATURE)),
                    (
                        ash.peer,
                        encode_note_frame(sealed(ash_seed, stranger_key)),
                        Refused(Refusal.UNREADABLE),
                    ),
                    (ash.peer, encode_note_frame(relabelled), Refused(Refusal.BAD_SIGNATURE)),
                    (ash.peer, encode_note_frame(too_long), Refused(Refusal.UNREADABLE)),
                    # Cee (a plain member) writing to Bee (a plain member)
                    (
                        cee.peer,
                        encode_note_frame(sealed(cee_seed, bee_exchange)),
                        Refused(Refusal.NOT_FOR_ME),
                    ),
                ]
                for peer, data, expected in cases:
                    assert await answer(network, bee, peer, data) == expected
                network.cancel_scope.cancel()
            assert texts(bee, mine, circle.me) == [("Hello Bee", False)]
            assert len(bee.record.events(PrivateMessageArrived)) == 1
            counts = bee.parts.mailbox.counts
            assert counts["private_refused_unknown_sender"] == 1
            assert counts["private_refused_bad_signature"] == 2
            assert counts["private_refused_unreadable"] == 2
            assert counts["private_refused_not_for_me"] == 1
            print("counted at Bee:", dict(sorted(counts.items())))

    run(body)


def test_the_writer_is_told_what_it_can_know(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee", "Cee") as (ash, bee, cee):
            circle = ash.found()
            mine, theirs = await bee_then_cee(ash, circle, bee, cee)
            cee_key, c = theirs.me, mine.circle_id.hex()
            refused = [
                (bee, c, cee_key.hex(), "hi", Why.PRIVATE_ONLY_FACILITATORS_START),
                (bee, c, circle.me.hex(), "hi", Why.PRIVATE_ONLY_FACILITATORS_START),
                (ash, c, circle.me.hex(), "hi", Why.PRIVATE_ONESELF),
                (ash, c, mine.me.hex(), "  ", Why.PRIVATE_TEXT_EMPTY),
                (ash, c, "ab", "hi", Why.NOT_AN_ID),
            ]
            for member, circle_hex, to, text, why in refused:
                with pytest.raises(CommandError) as raised:
                    await member.parts.private.send(circle_hex, to, text)
                assert raised.value.refusal is why
            ash.boundaries.block(c, mine.me.hex())
            with pytest.raises(CommandError) as raised:
                await ash.parts.private.send(c, mine.me.hex(), "hi")
            assert raised.value.refusal is Why.PRIVATE_BLOCKED
            assert MailboxStore(ash.database).undelivered() == []
            assert MailboxStore(bee.database).undelivered() == []
            assert ash.parts.private.conversations(c) == ()
            print("refused:", [why.value for *_, why in refused] + ["private_blocked"])

    run(body)


def test_a_member_who_blocked_the_facilitator_drops_quietly(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            bee.boundaries.block(mine.circle_id.hex(), circle.me.hex())
            async with trio.open_nursery() as network:
                open_hosts(network, ash, bee)
                in_reach(ash, bee)
                await ash.parts.private.send(circle.circle_id.hex(), mine.me.hex(), "Hello?")
                await wait_all_tasks_blocked()
                network.cancel_scope.cancel()
            # Ash's app sees it taken (it stops retrying, learns nothing of the block)
            assert MailboxStore(ash.database).undelivered() == []
            assert bee.record.events(PrivateMessageArrived) == []
            assert bee.parts.private.conversations(mine.circle_id.hex()) == ()
            assert bee.parts.mailbox.counts["private_dropped_blocked"] == 1

    run(body)


def test_a_message_during_a_break_is_kept_and_silent(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            await bee.boundaries.set_break(mine.circle_id.hex(), True)
            async with trio.open_nursery() as network:
                open_hosts(network, ash, bee)
                in_reach(ash, bee)
                await ash.parts.private.send(circle.circle_id.hex(), mine.me.hex(), "No rush.")
                await wait_all_tasks_blocked()
                network.cancel_scope.cancel()
            (arrived,) = bee.record.events(PrivateMessageArrived)
            assert isinstance(arrived, PrivateMessageArrived) and arrived.silent
            assert texts(bee, mine, circle.me) == [("No rush.", False)]

    run(body)


def test_a_removed_member_keeps_the_history_and_can_no_longer_write(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            c = circle.circle_id.hex()
            async with trio.open_nursery() as network:
                open_hosts(network, ash, bee)
                in_reach(ash, bee)
                await ash.parts.private.send(c, mine.me.hex(), "Checking in.")
                await wait_all_tasks_blocked()
                assert ash.host is not None
                ash.host.reachable.clear()  # Bee goes offline; one more waits for it
                await ash.parts.private.send(c, mine.me.hex(), "Are you there?")
                await wait_all_tasks_blocked()
                await ash.moderation.on_member(c, EventType.REMOVE, mine.me.hex())
                await deliver(ash, bee, mine)
                # the owed message is dropped at the next round: Bee is no longer a member
                ash.online_peers.add(bee.peer)
                ash.clock.advance(RETRY_BASE_MS / 1000)
                assert ash.parts.mailbox.deliver_due() == []
                assert MailboxStore(ash.database).undelivered() == []
                network.cancel_scope.cancel()
            for member, runtime, other in ((ash, circle, mine.me), (bee, mine, circle.me)):
                assert len(texts(member, runtime, other)) >= 1  # still readable
            with pytest.raises(CommandError) as raised:
                await ash.parts.private.send(c, mine.me.hex(), "hi")
            assert raised.value.refusal is Why.PRIVATE_NOT_A_MEMBER
            with pytest.raises(CommandError) as raised:
                await bee.parts.private.send(c, circle.me.hex(), "hi")
            assert raised.value.refusal is Why.NO_LONGER_MEMBER
            (talk,) = ash.parts.private.conversations(c)
            assert not talk.may_write

    run(body)


def test_resolving_a_care_flag_tells_the_other_facilitators_privately(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee", "Cee") as (ash, bee, cee):
            circle = ash.found()
            bees = await admit(ash, circle, bee)
            cees = await admit(ash, circle, cee)
            c = circle.circle_id.hex()
            await ash.moderation.on_member(c, EventType.PROMOTE, bees.me.hex())
            for member, runtime in ((bee, bees), (cee, cees)):
                learn_of(ash, member, runtime, bees.me)
            assert bees.state.is_facilitator(bees.me) and cees.state.is_facilitator(bees.me)
            async with trio.open_nursery() as network:
                open_hosts(network, ash, bee, cee)
                for sender in (ash, bee, cee):
                    assert sender.host is not None
                    sender.host.reachable.update({ash.peer: ash, bee.peer: bee, cee.peer: cee})
                # Cee asks for support: both facilitators get the flag
                flag = await cee.parts.mailbox.care_flag(c, cees.me.hex(), None, "")
                await wait_all_tasks_blocked()
                assert [f.id for f in bee.parts.mailbox.flags(c)] == [flag]
                ash.parts.mailbox.resolve_flag(c, flag, "  I called Cee; she is safe.  ")
                await wait_all_tasks_blocked()
                # a plain member cannot forge one
                forged = seal_note(
                    circle=circle.circle_id,
                    note_id=bytes(16),
                    recipient=bees.me,
                    recipient_exchange=circle.state.members[bees.me].exchange,
                    body=NoteBody(NoteKind.FLAG_NOTE, "all fine", 1, flag=bytes.fromhex(flag)),
                    sender_seed=cees.membership.signing_seed,
                )
                refused = await answer(network, bee, cee.peer, encode_note_frame(forged))
                assert refused == Refused(Refusal.UNKNOWN_SENDER)
                network.cancel_scope.cancel()
            (seen_by_bee,) = bee.parts.mailbox.flags(c)
            assert not seen_by_bee.resolved  # each facilitator resolves for itself
            (note,) = seen_by_bee.notes
            assert (note.sender, note.sender_name, note.note) == (
                circle.me.hex(),
                "Ash",
                "I called Cee; she is safe.",
            )
            (seen_by_ash,) = ash.parts.mailbox.flags(c)
            assert seen_by_ash.resolved and [n.note for n in seen_by_ash.notes] == [note.note]
            # Bee's open list learns of it (issue 14): ids only; Cee never hears of it
            assert bee.record.events(ResolutionNoteReceived) == [ResolutionNoteReceived(c, flag)]
            assert cee.record.events(ResolutionNoteReceived) == []
            assert cee.parts.mailbox.counts.get("refused_not_for_me", 0) == 0  # never sent her
            assert MailboxStore(ash.database).undelivered() == []

    run(body)


def test_resolving_a_report_with_a_note_tells_the_other_facilitator(tmp_path: Path) -> None:
    """Issue 14: a report's resolution may say what was done, as a care flag's does; the
    other facilitator's app hears of it (`resolution_note`) and `reports` shows it."""

    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee", "Cee") as (ash, bee, cee):
            circle = ash.found()
            bees = await admit(ash, circle, bee)
            c = circle.circle_id.hex()
            await ash.moderation.on_member(c, EventType.PROMOTE, bees.me.hex())
            said = await admitted_and_said(ash, circle, cee, "something unkind")
            learn_of(ash, bee, bees, said.runtime.me)
            async with trio.open_nursery() as network:
                open_hosts(network, ash, bee)
                for sender in (ash, bee):
                    assert sender.host is not None
                    sender.host.reachable.update({ash.peer: ash, bee.peer: bee})
                report = await ash.parts.mailbox.report(c, said.view.id, "Unkind to Bee")
                await wait_all_tasks_blocked()
                assert [r.id for r in bee.parts.mailbox.reports(c)] == [report]
                # an open report waits on the circle's row (to_review) until resolved
                assert bee.parts.mailbox.open_report_count(bees) == 1
                bee.parts.mailbox.resolve(c, report, "  Talked with Cee, all calm.  ")
                assert bee.parts.mailbox.open_report_count(bees) == 0
                await wait_all_tasks_blocked()
                network.cancel_scope.cancel()
            (seen_by_bee,) = bee.parts.mailbox.reports(c)
            assert seen_by_bee.resolved and [n.note for n in seen_by_bee.notes] == [
                "Talked with Cee, all calm."
            ]
            (seen_by_ash,) = ash.parts.mailbox.reports(c)
            assert not seen_by_ash.resolved  # each facilitator resolves for itself
            (note,) = seen_by_ash.notes
            assert (note.sender, note.sender_name) == (bees.me.hex(), "Bee")
            assert ash.record.events(ResolutionNoteReceived) == [ResolutionNoteReceived(c, report)]
            assert cee.record.events(ResolutionNoteReceived) == []

    run(body)


def test_a_flood_past_the_daily_limit_is_busy_and_nothing_valid_is_lost(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            limit = policy.MAX_PER_SENDER_PER_DAY
            for number in range(limit + 1):  # no host: they wait in Ash's outbox
                await ash.parts.private.send(circle.circle_id.hex(), mine.me.hex(), f"#{number}")
            frames = [note.frame for note in MailboxStore(ash.database).undelivered()]
            assert len(frames) == limit + 1
            async with trio.open_nursery() as network:
                answers = [await answer(network, bee, ash.peer, frame) for frame in frames]
                assert all(isinstance(a, Ack) for a in answers[:limit])
                assert answers[-1] == Refused(Refusal.BUSY)
                bee.clock.advance(DAY_MS / 1000 + 0.001)  # a day later it is taken
                assert isinstance(await answer(network, bee, ash.peer, frames[-1]), Ack)
                network.cancel_scope.cancel()
            shown = bee.parts.private.messages(mine.circle_id.hex(), circle.me.hex(), None, 500)
            assert [view.text for view in shown] == [f"#{n}" for n in range(limit + 1)]
            assert bee.parts.mailbox.counts["private_refused_busy"] == 1

    run(body)
