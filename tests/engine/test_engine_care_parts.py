"""Who asked for support recently, as a facilitator's engine knows it (engine/care.py,
filling MemberView.asked_for_support_at), socket-free on the circle parts: a low check-in
in the circle and a care flag about the member that reached our mailbox count, for a day
(core/care_policy.py), and only a facilitator is told: its `members_changed` carries the
members' views with the asking in them, so its front asks nothing."""

from __future__ import annotations

from pathlib import Path

import trio
from trio.testing import wait_all_tasks_blocked

from peerapp.core.care_policy import SUPPORT_RECENT_SECONDS
from peerapp.core.events import MembersChanged
from peerapp.engine.care import asked_for_support
from peerapp.engine.outbox import COALESCE_SECONDS
from tests.engine.circle_parts import (
    admit,
    circle_of,
    deliver_and_announce,
    in_reach,
    open_hosts,
    run,
)


def test_a_low_check_in_and_a_care_flag_count_as_asking_for_a_day(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee", "Cy") as (ash, bee, cy):
            circle = ash.found()
            hex_id = circle.circle_id.hex()
            mine = await admit(ash, circle, bee)
            cys = await admit(ash, circle, cy)
            await deliver_and_announce(ash, bee, mine)
            now = ash.clock.now_ms
            assert asked_for_support(ash.store, ash.parts.mailbox, circle, now()) == {}

            # Bee checks in "Having a hard time"; a "Doing okay" is no asking
            told_bee = bee.record.events(MembersChanged)
            view = await bee.safety.checkin(hex_id, 2, "rough week")
            await trio.sleep(COALESCE_SECONDS)  # the outbox's pause (virtual time)
            await bee.safety.checkin(hex_id, 4, "")
            await trio.sleep(COALESCE_SECONDS)
            await deliver_and_announce(bee, ash, circle)
            asked = asked_for_support(ash.store, ash.parts.mailbox, circle, now())
            assert asked == {mine.me: view.ts}
            # the facilitator's front is told, with the views as they are now; the member's not
            assert _asked_in(ash.record.events(MembersChanged)[-1]) == {mine.me: view.ts}
            assert _asked_in(MembersChanged(hex_id, tuple(ash.parts.members_of(circle)))) == {
                mine.me: view.ts
            }
            assert bee.record.events(MembersChanged) == told_bee
            assert _asked_in(MembersChanged(hex_id, tuple(bee.parts.members_of(mine)))) == {}
            # a member is not told who asked (care flags reach facilitators only)
            assert asked_for_support(bee.store, bee.parts.mailbox, mine, now()) == {}

            # an hour later Cy is worried about... Cy: a care flag about herself
            ash.clock.advance(3600)
            async with trio.open_nursery() as network:
                open_hosts(network, cy)
                in_reach(cy, ash)
                cy.online_peers.add(ash.peer)
                await cy.parts.mailbox.care_flag(hex_id, cys.me.hex(), None, "")
                await wait_all_tasks_blocked()
                network.cancel_scope.cancel()
            asked = asked_for_support(ash.store, ash.parts.mailbox, circle, now())
            assert asked == {mine.me: view.ts, cys.me: now()}
            told = ash.record.emitted[-1]  # after the care flag, the members as they are now
            assert isinstance(told, MembersChanged)
            assert _asked_in(told) == {mine.me: view.ts, cys.me: now()}

            # a day after Bee's check-in it is no longer news; Cy's flag still is
            ash.clock.advance(SUPPORT_RECENT_SECONDS - 3600 + 1)
            asked = asked_for_support(ash.store, ash.parts.mailbox, circle, now())
            assert asked == {cys.me: now() - (SUPPORT_RECENT_SECONDS - 3600 + 1) * 1000}

    run(body)


def _asked_in(event: object) -> dict[bytes, int]:
    """Whom a members_changed's views say asked for support, and when."""
    assert isinstance(event, MembersChanged)
    return {
        bytes.fromhex(member.id): member.asked_for_support_at
        for member in event.members
        if member.asked_for_support_at
    }
