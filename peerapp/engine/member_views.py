"""A circle's members as this member sees them (the `members` command's answer and
`members_changed`'s views): made in one place, from the resolved state and what only
this profile knows (who is online, whom it blocked, who asked a facilitator for support
recently)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Set

from peerapp.core.events import MemberView
from peerapp.core.permissions import actions_on
from peerapp.engine.circle_runtime import CircleRuntime


def member_views(
    runtime: CircleRuntime,
    *,
    online: Set[str],
    is_blocked: Callable[[bytes, bytes], bool],
    asked_for_support: Mapping[bytes, int],
    now: int,
) -> list[MemberView]:
    """Facilitators by rank, then members by seniority; `online`: the peers connected now
    (we are always online to ourselves); `is_blocked(circle, member)`: our own blocks;
    `asked_for_support`: member key -> when it last asked for support recently
    (engine/care.py; empty for a viewer who is no facilitator)."""
    state = runtime.state
    return [
        MemberView(
            id=member.key.hex(),
            name=member.name,
            role=member.role.value,
            online=member.key == runtime.me or member.peer in online,
            rank=state.rank(member.key) if state.is_facilitator(member.key) else None,
            muted_until=until if (until := state.muted.get(member.key, 0)) > now else 0,
            on_break=member.key in state.on_break,
            blocked=is_blocked(runtime.circle_id, member.key),
            equivocated=member.key in state.equivocators,
            invited_by=member.admitted_by.hex(),
            unreadable_reports=state.unreadable_reports.get(member.key, 0),
            # what we may do to it, as the core's permissions say (the fronts offer these)
            actions=tuple(sorted(a.value for a in actions_on(state, runtime.me, member.key, now))),
            asked_for_support_at=asked_for_support.get(member.key, 0),
        )
        for member in sorted(
            state.members.values(), key=lambda m: (state.rank(m.key), m.since_lamport, m.key)
        )
    ]
