"""Which actions the viewer may take, so menus offer only those (pure, no Qt).

The moderation actions on a member (promote, demote, make founder, mute or unmute,
remove, ban) are the core's rule, peerapp/core/permissions.py: the engine sends them with
each member and this module only orders them for a menu (in_menu_order). What is still
read here, from what the engine tells the GUI (roles and ranks from `members`, the
viewer's own from `circle_info`):
- Facilitators are ranked: 0 is the founder, then each facilitator in promotion order;
  plain members rank below every facilitator. "A outranks B" means A is a facilitator
  ranked above B.
- Delete a message for everyone: its author, or a facilitator outranking the author (a
  former member ranks as a plain member).
- Report: others' messages still showing, when some facilitator other than oneself and
  the author is there to receive the report.
- Block (Unblock, while blocked): anyone, on every other member whatever their role;
  it only hides their messages for oneself, so no rank is needed (boundary_actions).
- "I'm worried about them" (a care flag): anyone, on every other member, when some
  facilitator other than oneself and that member is there to receive it; "I'd like
  support" on oneself, when some facilitator other than oneself is (care_actions).
The engine checks everything again; this only keeps impossible choices out of sight.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from peerapp.core.permissions import MemberAction

FOUNDER = "founder"
FACILITATOR = "facilitator"
MEMBER = "member"
LEADING_ROLES = (FOUNDER, FACILITATOR)


# the order a menu lists them in: gentle first, the most serious last
MENU_ORDER = (
    MemberAction.ASK_SUPPORT,
    MemberAction.CARE_FLAG,
    MemberAction.PROMOTE,
    MemberAction.DEMOTE,
    MemberAction.MAKE_FOUNDER,
    MemberAction.MUTE,
    MemberAction.UNMUTE,
    MemberAction.REMOVE,
    MemberAction.BAN,
    MemberAction.BLOCK,
    MemberAction.UNBLOCK,
)
# one's own boundaries, not moderation: offered to everyone (see boundary_actions)
BOUNDARY_ACTIONS = frozenset({MemberAction.BLOCK, MemberAction.UNBLOCK})


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


def in_menu_order(actions: Iterable[MemberAction]) -> list[MemberAction]:
    """The actions the engine allows (core/permissions.py), as a menu lists them."""
    chosen = set(actions)
    return [action for action in MENU_ORDER if action in chosen]


def boundary_actions(*, myself: bool, blocked: bool) -> list[MemberAction]:
    """Block or unblock: on every other member, for every viewer."""
    if myself:
        return []
    return [MemberAction.UNBLOCK if blocked else MemberAction.BLOCK]


# "I'm worried about them" and "I'd like support": peerapp.ui.pane_care acts on them
CARE_ACTIONS = frozenset({MemberAction.CARE_FLAG, MemberAction.ASK_SUPPORT})


def care_actions(*, myself: bool, someone_to_tell: bool) -> list[MemberAction]:
    """A care flag about another member, or asking for support for oneself, when some
    facilitator (neither oneself nor the member) can receive it."""
    if not someone_to_tell:
        return []
    return [MemberAction.ASK_SUPPORT if myself else MemberAction.CARE_FLAG]


def may_delete(viewer: Standing, author: Standing, *, mine: bool) -> bool:
    """Whether the viewer may delete a message for everyone."""
    return mine or viewer.outranks(author)


def may_report(*, mine: bool, deleted: bool, someone_to_tell: bool) -> bool:
    """Others' messages can be reported to the facilitators, while they still show and
    one of them (neither oneself nor the author) can receive it."""
    return not mine and not deleted and someone_to_tell
