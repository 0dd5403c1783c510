"""Who brought whom into a circle, from the `members` rows' `invited_by` (pure, no Qt).

Facilitators see it (the member list's tooltip, peerapp.ui.pane_moderation), and a ban
offers to remove, in the same action, everyone the banned member brought in: the current
members it admitted, those they admitted, and so on (the core's `brought_in_by`, read
from what the engine lists; a chain through someone no longer a member stops there, as
it does in the engine). Members are never shown it.
"""

from __future__ import annotations

from collections.abc import Sequence

from peerapp.ui import messages
from peerapp.ui.widgets.member_list import Member


def brought_in_by(members: Sequence[Member], member_id: str) -> list[Member]:
    """The current members `member_id` brought in, and they brought in, nearest first
    (bounded: each member is taken at most once, so a cycle in hostile data ends)."""
    found: list[Member] = []
    seen = {member_id}
    frontier = {member_id}
    while frontier:
        admitted = [m for m in members if m.invited_by in frontier and m.id not in seen]
        found += admitted
        seen.update(m.id for m in admitted)
        frontier = {m.id for m in admitted}
    return found


def inviter_notes(members: Sequence[Member]) -> dict[str, str]:
    """member id -> "Invited by …" for every member someone admitted (not the founder)."""
    names = {m.id: m.name or messages.UNNAMED_MEMBER for m in members}
    notes = {}
    for member in members:
        if not member.invited_by:
            continue
        name = names.get(member.invited_by)
        notes[member.id] = (
            messages.INVITED_BY_FORMER_MEMBER if name is None else messages.invited_by(name)
        )
    return notes
