"""Late events without sockets: an event that sorts before what a member already applied
is deferred by the write path (refused until judged) and judged by the background
resolver (engine/late_events.py) in a worker thread, through the same hooks the circle
service gives them (tests/engine/circle_parts.py)."""

from __future__ import annotations

from pathlib import Path

import trio

from peerapp.core.circle_events import EventType
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.late_events import LateEvents
from peerapp.storage.circle_store import StoredEvent
from tests.engine.circle_parts import Member, admit, circle_of, deliver, signed_in

BOUND_SECONDS = 30


async def a_break_ash_has_not_seen(ash: Member, bee: Member) -> tuple[CircleRuntime, CircleRuntime]:
    """Ash's circle and Bee's copy of it, after Bee announced a break that Ash, not having
    seen it, wrote past (two SETTINGS): Bee's STATUS sorts before Ash's last SETTINGS."""
    circle = ash.found()
    mine = await admit(ash, circle, bee)
    await deliver(ash, bee, mine)
    await bee.safety.announce_break(mine.circle_id.hex(), True)
    for hours in (1, 2):
        await ash.moderation.set_settings(
            circle.circle_id.hex(),
            slow_mode_seconds=None,
            join_approval=None,
            guidelines=None,
            flag_after_hours=hours,
        )
    return circle, mine


def test_a_late_control_event_is_deferred_then_judged_in_the_background(
    tmp_path: Path,
) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle, mine = await a_break_ash_has_not_seen(ash, bee)
            # what the resolver finds accepted reaches the log's hooks, as for any batch
            decided: list[StoredEvent] = []
            announced = trio.Event()

            async def hook(runtime: CircleRuntime, accepted: list[StoredEvent]) -> None:
                decided.extend(accepted)
                announced.set()

            ash.log.on_accepted(hook)
            async with trio.open_nursery() as resolver:
                ash.late.attach()
                resolver.start_soon(ash.late.run)
                with trio.fail_after(BOUND_SECONDS):
                    await trio.testing.wait_all_tasks_blocked()
                    accepted = ash.receive(circle, signed_in(bee.record.published))
                    # it sorts before Ash's last SETTINGS: refused until the whole log
                    # judged it, in the background
                    assert [s.type for s in accepted] == []
                    assert circle.pending and mine.me not in circle.state.on_break
                    await announced.wait()
                resolver.cancel_scope.cancel()
            assert [stored.type for stored in decided] == [EventType.STATUS]
            assert mine.me in circle.state.on_break
            assert not circle.pending and not ash.store.unresolved(circle.circle_id)
            print(f"resolutions: {ash.late.resolutions}")
            assert sum(ash.late.resolutions.values()) >= 1

    trio.run(body)


def test_without_the_resolver_a_late_event_is_judged_at_once(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle, mine = await a_break_ash_has_not_seen(ash, bee)
            await deliver(bee, ash, circle)
            assert mine.me in circle.state.on_break and not circle.pending
            assert isinstance(ash.late, LateEvents) and ash.late.resolutions == {}

    trio.run(body)
