"""Which actions a member may take on another member or on a message, stated once (sans-IO).

The engine asks this for each member it shows, so the fronts offer only what the log would
accept instead of re-deriving the rank rules (issue 13). The rules are circle_state's
(module docstring there), read here as "may" rather than "was it accepted":
- Nobody acts on themselves through these actions; only facilitators moderate.
- PROMOTE: a facilitator, on a plain member.
- DEMOTE: a facilitator, on a facilitator it outranks.
- MAKE_FOUNDER: only the founder, to another facilitator.
- MUTE (UNMUTE while muted), REMOVE, BAN: a facilitator, on a member it outranks.
- Delete a message for everyone: its author, or a facilitator outranking the author (a
  former member ranks as a plain member).
tests/core/test_core_permissions.py holds this table to circle_state.apply for every pair
of roles and ranks, so the two cannot drift apart.
"""

from __future__ import annotations

from enum import Enum

from peerapp.core.circle_state import CircleState


class MemberAction(Enum):
    """What someone can do to a member. Values are the engine command names they lead to."""

    PROMOTE = "promote"
    DEMOTE = "demote"
    MAKE_FOUNDER = "transfer_founder"
    MUTE = "mute"
    UNMUTE = "unmute"
    REMOVE = "remove_member"
    BAN = "ban"
    CARE_FLAG = "care_flag"  # "I'm worried about them": to the facilitators, privately
    ASK_SUPPORT = "ask_support"  # the same about oneself: "I'd like support"
    BLOCK = "block"
    UNBLOCK = "unblock"


# the actions written to the circle's log, which circle_state.apply judges
MODERATION_ACTIONS = frozenset(
    {
        MemberAction.PROMOTE,
        MemberAction.DEMOTE,
        MemberAction.MAKE_FOUNDER,
        MemberAction.MUTE,
        MemberAction.UNMUTE,
        MemberAction.REMOVE,
        MemberAction.BAN,
    }
)


def actions_on(
    state: CircleState, actor: bytes, target: bytes, at_ms: int
) -> frozenset[MemberAction]:
    """The moderation actions `actor` may take on the member `target` at `at_ms`."""
    if actor == target or target not in state.members or not state.is_facilitator(actor):
        return frozenset()
    allowed: set[MemberAction] = set()
    if not state.is_facilitator(target):
        allowed.add(MemberAction.PROMOTE)
    if actor == state.founder and state.is_facilitator(target):
        allowed.add(MemberAction.MAKE_FOUNDER)
    if state.outranks(actor, target):
        if state.is_facilitator(target):
            allowed.add(MemberAction.DEMOTE)
        allowed.add(MemberAction.UNMUTE if state.is_muted(target, at_ms) else MemberAction.MUTE)
        allowed.update((MemberAction.REMOVE, MemberAction.BAN))
    return frozenset(allowed)


def may_delete(state: CircleState, actor: bytes, author: bytes) -> bool:
    """Whether `actor` may delete `author`'s message for everyone."""
    return actor == author or state.outranks(actor, author)
