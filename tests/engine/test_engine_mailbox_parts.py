"""The mailbox's timing without sockets: the circle parts as the service wires them
(tests/engine/circle_parts.py), the mailbox's clock a FakeClock, its streams in memory.

A note no facilitator could take waits out its back-off (RETRY_BASE_MS, doubling) by the
engine's clock, not by a timer: the periodic round leaves it until the clock passes its
retry time, then delivers it. A sender over the daily note limit is BUSY until a day
has passed on the facilitator's clock."""

from __future__ import annotations

from pathlib import Path

import trio
from trio.testing import wait_all_tasks_blocked

from peerapp.core.events import CareFlagReceived
from peerapp.core.mailbox_messages import (
    MAX_ANSWER_BYTES,
    PROTOCOL,
    Ack,
    Answer,
    NoteKind,
    Refusal,
    Refused,
    decode_answer,
)
from peerapp.engine.mailbox import DAY_MS, MAX_NOTES_PER_SENDER_PER_DAY, RETRY_BASE_MS
from peerapp.storage.mailbox_store import MailboxStore
from tests.engine.circle_parts import MemoryHost, admit, circle_of, in_reach, open_hosts, run


def test_an_undelivered_note_waits_out_its_back_off_by_the_clock(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            outbox = MailboxStore(bee.database)
            async with trio.open_nursery() as network:
                open_hosts(network, bee)
                # Bee asks for support: a care flag about herself, for Ash (offline)
                await bee.parts.mailbox.care_flag(mine.circle_id.hex(), mine.me.hex(), None, "")
                await wait_all_tasks_blocked()
                (note,) = outbox.undelivered()
                assert note.attempts == 1
                assert note.next_attempt_at == bee.clock.now_ms() + RETRY_BASE_MS
                bee.online_peers.add(ash.peer)  # connected, still not taking notes
                assert bee.parts.mailbox.deliver_due() == []  # its back-off has not passed
                bee.clock.advance(RETRY_BASE_MS / 1000)
                assert bee.parts.mailbox.deliver_due() == [ash.peer]
                await wait_all_tasks_blocked()
                (note,) = outbox.undelivered()
                assert note.attempts == 2  # failed again: twice the wait now
                bee.clock.advance(RETRY_BASE_MS / 1000)
                assert bee.parts.mailbox.deliver_due() == []
                in_reach(bee, ash)
                bee.clock.advance(RETRY_BASE_MS / 1000)
                assert bee.parts.mailbox.deliver_due() == [ash.peer]
                await wait_all_tasks_blocked()
                network.cancel_scope.cancel()
            assert outbox.undelivered() == []
            (flag,) = ash.record.events(CareFlagReceived)
            assert isinstance(flag, CareFlagReceived) and flag.member == mine.me.hex()
            inbox = MailboxStore(ash.database).inbox(circle.circle_id, NoteKind.CARE.value)
            assert [incoming.received_at for incoming in inbox] == [ash.clock.now_ms()]

    run(body)


def test_a_sender_over_the_daily_limit_is_busy_until_a_day_has_passed(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine = await admit(ash, circle, bee)
            outbox = MailboxStore(bee.database)
            answers: list[Answer] = []
            async with trio.open_nursery() as network:
                host = MemoryHost(bee, network)
                host.reachable[ash.peer] = ash

                async def send_all() -> None:
                    """Bee's undelivered notes, one stream, as the delivery loop sends them."""
                    stream = await host.open_stream(ash.peer, PROTOCOL)
                    for note in outbox.undelivered():
                        await stream.send(note.frame)
                        answers.append(decode_answer(await stream.receive(MAX_ANSWER_BYTES)))
                    await stream.close()

                for _ in range(MAX_NOTES_PER_SENDER_PER_DAY + 1):
                    await bee.parts.mailbox.care_flag(mine.circle_id.hex(), mine.me.hex(), None, "")
                await send_all()
                assert answers[-1] == Refused(Refusal.BUSY)
                assert all(isinstance(answer, Ack) for answer in answers[:-1])
                ash.clock.advance(DAY_MS / 1000)  # a day to the millisecond: still counted
                answers.clear()
                await send_all()
                assert answers[-1] == Refused(Refusal.BUSY)
                ash.clock.advance(1)  # the first 50 are more than a day old now
                answers.clear()
                await send_all()
                assert isinstance(answers[-1], Ack)
                network.cancel_scope.cancel()
            received = MailboxStore(ash.database).inbox(circle.circle_id, NoteKind.CARE.value)
            assert len(received) == MAX_NOTES_PER_SENDER_PER_DAY + 1

    run(body)
