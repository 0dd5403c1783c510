"""Who brought whom into a circle, from the `members` rows' `invited_by` (pure, no Qt).

Facilitators see it (the member list's tooltip, peerapp.ui.pane_moderation, with any
reports that keys a member sent could not be opened), and a ban
offers to remove, in the same action, everyone the banned member brought in: the current
members it admitted, those they admitted, and so on (the core's `brought_in_by`, read
from what the engine lists; a chain through someone no longer a member stops there, as
it does in the engine). Members are never shown it.
"""

from __future__ import annotations

from collections.abc import Sequence

from peerapp.core.events import MemberView
from peerapp.ui.text import conversation, moderation


def brought_in_by(members: Sequence[MemberView], member_id: str) -> list[MemberView]:
    """The current members `member_id` brought in, and they brought in, nearest first
    (bounded: each member is taken at most once, so a cycle in hostile data ends)."""
    found: list[MemberView] = []
    seen = {member_id}
    frontier = {member_id}
    while frontier:
        admitted = [m for m in members if m.invited_by in frontier and m.id not in seen]
        found += admitted
        seen.update(m.id for m in admitted)
        frontier = {m.id for m in admitted}
    return found


def facilitator_notes(members: Sequence[MemberView]) -> dict[str, str]:
    """member id -> what facilitators see in its tooltip: "Invited by …" for every member
    someone admitted (not the founder), and how often members reported that keys it sent
    could not be opened (a report, not a proof)."""
    names = {m.id: m.name or conversation.unnamed_member() for m in members}
    notes = {}
    for member in members:
        lines = []
        if member.invited_by:
            name = names.get(member.invited_by)
            lines.append(
                moderation.invited_by_former_member()
                if name is None
                else moderation.invited_by(name)
            )
        if member.unreadable_reports > 0:  # a count; hostile data could make it negative
            lines.append(moderation.unreadable_keys_reported(member.unreadable_reports))
        if lines:
            notes[member.id] = "\n".join(lines)
    return notes
