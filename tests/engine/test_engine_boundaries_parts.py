"""A reader's boundaries, receiving keys and the write path itself as parts on their
own: real database, FakeClock, publish and the fronts' events recorded; no socket
(tests/engine/circle_parts.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from trio.testing import wait_all_tasks_blocked

from peerapp.core.api.boundaries import QuietHoursView
from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import EventType
from peerapp.core.errors import CommandError
from peerapp.core.events import CirclesChanged, HistoryChanged, MembersChanged
from peerapp.engine.boundaries import Boundaries
from peerapp.engine.receiving_keys import KEY_LIFETIME_SECONDS
from peerapp.storage.boundaries_store import BoundariesStore
from tests.engine.circle_parts import (
    admit,
    admitted_and_said,
    circle_of,
    epoch_of,
    run,
    types_in,
)


def _clock_text(minutes: int) -> str:
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def test_a_blocked_member_is_left_out_and_the_block_is_kept(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            mine, view, (message,) = await admitted_and_said(ash, circle, bee, "hi")
            assert message.id.hex() == view.id and ash.boundaries.reader_sees(circle, message)
            ash.boundaries.block(circle.circle_id.hex(), mine.me.hex())
            assert not ash.boundaries.reader_sees(circle, message)
            assert ash.record.emitted[-2:] == [
                HistoryChanged(circle.circle_id.hex()),
                MembersChanged(circle.circle_id.hex()),
            ]
            assert types_in(ash.record.published)[-1] is not EventType.MESSAGE  # no one told
            with pytest.raises(CommandError, match="cannot block yourself"):
                ash.boundaries.block(circle.circle_id.hex(), circle.me.hex())
            # stored: the same database read afresh still blocks Bee
            again = Boundaries(
                BoundariesStore(ash.database),
                runtimes=ash.runtimes,
                context=ash.context,
                announce_break=ash.safety.announce_break,
            )
            assert again.is_blocked(circle.circle_id, mine.me)

    run(body)


def test_a_break_with_its_status_is_announced_in_the_circle(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash") as (ash,):
            circle = ash.found()
            await ash.boundaries.set_break(None, True, status=True)
            assert ash.boundaries.is_silenced(circle.circle_id)
            assert circle.me in circle.state.on_break
            assert CirclesChanged() in ash.record.emitted
            await ash.boundaries.set_break(None, False)
            assert circle.me not in circle.state.on_break
            await wait_all_tasks_blocked()
            assert types_in(ash.record.published) == [EventType.STATUS, EventType.STATUS]

    run(body)


def test_quiet_hours_end_when_the_clock_passes_them(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash") as (ash,):
            circle = ash.found()
            now = ash.clock.local_minutes()
            window = QuietHoursView(_clock_text(now - 1), _clock_text(now + 30))
            await ash.boundaries.set_break(circle.circle_id.hex(), False, quiet_hours=window)
            assert ash.boundaries.is_silenced(circle.circle_id)
            assert not ash.boundaries.on_break(circle.circle_id)  # quiet, not on a break
            ash.clock.advance(31 * 60)
            assert not ash.boundaries.is_silenced(circle.circle_id)
            await wait_all_tasks_blocked()
            assert ash.record.published == []  # quiet hours are local: nothing published

    run(body)


def test_a_receiving_key_past_its_lifetime_is_replaced(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            await admit(ash, circle, bee)  # Ash's admission rotated: a key with an age
            await wait_all_tasks_blocked()
            published = len(ash.record.published)
            await ash.keys.check(circle)
            assert len(ash.record.published) == published  # young enough: nothing
            held = epoch_of(circle)
            ash.clock.advance(KEY_LIFETIME_SECONDS)
            await ash.keys.check(circle)
            last = ash.record.published[-1]
            assert types_in([last]) == [EventType.EXCHANGE_KEY, EventType.KEY_ROTATE]
            assert last.topic == held.topic  # under the epoch the others hold
            assert epoch_of(circle).epoch_id != held.epoch_id
            assert ash.record.retired_later[-1] == circle.circle_id

    run(body)


def test_the_write_path_stores_resolves_and_queues_without_waiting(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash") as (ash,):
            circle = ash.found()
            emitted = len(ash.record.emitted)
            message = ash.log.author(circle, EventType.MESSAGE, {"text": "hello"})
            (stored,), sent = ash.log.append(circle, [message])
            assert ash.store.event(circle.circle_id, stored.id) is not None  # stored first
            assert circle.state.last_seq[circle.me] == message.event.seq  # resolved
            assert not sent.is_set() and ash.record.published == []  # queued, not waited
            await sent.wait()
            assert types_in(ash.record.published) == [EventType.MESSAGE]
            assert ash.record.published[0].topic == epoch_of(circle).topic
            assert len(ash.record.emitted) == emitted  # our own message: no event

    run(body)


def test_the_write_path_refuses_what_the_rules_refuse(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash") as (ash,):
            circle = ash.found()
            promote = ash.log.author(circle, EventType.PROMOTE, {"member": circle.me})
            with pytest.raises(CommandError) as refused:
                ash.log.append(circle, [promote])
            assert refused.value.refusal is Refusal.REFUSED_BY_RULES
            assert str(refused.value) == "The circle's rules do not allow that right now."
            await wait_all_tasks_blocked()
            assert ash.record.published == []

    run(body)
