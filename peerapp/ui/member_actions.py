"""Which moderation actions the viewer may take, so menus offer only those (pure, no Qt).

The same rule as the core (peerapp/core/circle_state.py), read from what the engine tells
the GUI (roles and ranks from `members`, the viewer's own from `circle_info`):
- Facilitators are ranked: 0 is the founder, then each facilitator in promotion order;
  plain members rank below every facilitator. "A outranks B" means A is a facilitator
  ranked above B. A facilitator acts only on members it outranks, never on an equal or
  a senior, and nobody acts on themselves through these menus.
- Promote: a facilitator, on a plain member.
- Demote: a facilitator, on a facilitator it outranks.
- Make founder: only the founder, to another facilitator.
- Mute (or unmute, while muted), remove, ban: a facilitator, on a member it outranks.
- Delete a message for everyone: its author, or a facilitator outranking the author (a
  former member ranks as a plain member).
- Report: others' messages still showing, when some facilitator other than oneself and
  the author is there to receive the report.
The engine checks everything again; this only keeps impossible choices out of sight.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

FOUNDER = "founder"
FACILITATOR = "facilitator"
MEMBER = "member"
LEADING_ROLES = (FOUNDER, FACILITATOR)


class MemberAction(Enum):
    PROMOTE = "promote"
    DEMOTE = "demote"
    MAKE_FOUNDER = "transfer_founder"
    MUTE = "mute"
    UNMUTE = "unmute"
    REMOVE = "remove_member"
    BAN = "ban"


# the order a menu lists them in: gentle first, the most serious last
MENU_ORDER = (
    MemberAction.PROMOTE,
    MemberAction.DEMOTE,
    MemberAction.MAKE_FOUNDER,
    MemberAction.MUTE,
    MemberAction.UNMUTE,
    MemberAction.REMOVE,
    MemberAction.BAN,
)


@dataclass(frozen=True)
class Standing:
    """Where someone stands in a circle: a role and, for facilitators, a rank."""

    role: str
    rank: int | None = None

    @property
    def leads(self) -> bool:
        return self.role in LEADING_ROLES

    def order(self) -> float:
        """The rank as a number to compare: the founder 0, plain members below everyone."""
        if self.role == FOUNDER:
            return 0
        if self.role == FACILITATOR:
            # a facilitator without a rank given still ranks above every plain member
            return self.rank if self.rank is not None else float(2**31)
        return float("inf")

    def outranks(self, other: Standing) -> bool:
        return self.leads and self.order() < other.order()


PLAIN_MEMBER = Standing(MEMBER)


def member_actions(
    viewer: Standing, target: Standing, *, myself: bool, muted: bool
) -> list[MemberAction]:
    """The actions `viewer` may take on `target`, in menu order."""
    if myself or not viewer.leads:
        return []
    allowed: set[MemberAction] = set()
    if target.role == MEMBER:
        allowed.add(MemberAction.PROMOTE)
    if viewer.role == FOUNDER and target.role == FACILITATOR:
        allowed.add(MemberAction.MAKE_FOUNDER)
    if viewer.outranks(target):
        if target.role == FACILITATOR:
            allowed.add(MemberAction.DEMOTE)
        allowed.add(MemberAction.UNMUTE if muted else MemberAction.MUTE)
        allowed.update((MemberAction.REMOVE, MemberAction.BAN))
    return [action for action in MENU_ORDER if action in allowed]


def may_delete(viewer: Standing, author: Standing, *, mine: bool) -> bool:
    """Whether the viewer may delete a message for everyone."""
    return mine or viewer.outranks(author)


def may_report(*, mine: bool, deleted: bool, someone_to_tell: bool) -> bool:
    """Others' messages can be reported to the facilitators, while they still show and
    one of them (neither oneself nor the author) can receive it."""
    return not mine and not deleted and someone_to_tell
