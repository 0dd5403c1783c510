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

The fronts do not hold a CircleState: they know roles and ranks as `members` and
`circle_info` tell them (a `Standing`), and ask the message rules below with those facts:
- may_delete_message: the delete rule above, over standings.
- may_report: others' messages still showing, when a facilitator other than oneself and
  the author can receive the report (the mailbox refuses otherwise).
- may_flag (as harmful): others' messages not deleted and not already reviewed.
- may_restore (a message hidden pending review): a facilitator, on others' messages.
- may_care ("I'm worried about this person"): others' messages still showing whose author
  is a member, when a facilitator other than oneself and the author can receive it.
Nobody removed from the circle may do any of them. The engine checks everything again
(tests/core/test_core_permissions_facts.py holds these to it).
- may_talk_privately ("Talk privately"): core/private_talk.py's rules over standings: a
  facilitator with any other member; a plain member only with a facilitator who wrote
  to it privately; nobody with a member they blocked, nobody once removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from peerapp.core.circle_state import CircleState
from peerapp.core.content_policy import EDIT_WINDOW_MS
from peerapp.core.private_talk import Talk, may_write


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
    TALK_PRIVATELY = "private_send"  # a private conversation (core/private_talk.py)


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


# -- the same rules over what the fronts know (roles and ranks, not a CircleState) -------

FOUNDER = "founder"
FACILITATOR = "facilitator"
MEMBER = "member"
LEADING_ROLES = frozenset({FOUNDER, FACILITATOR})


@dataclass(frozen=True)
class Standing:
    """Where someone stands in a circle, as `members` and `circle_info` say: a role and,
    for facilitators, a rank (0 the founder, then in promotion order)."""

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
        """circle_state.outranks over standings: a facilitator ranked above `other`."""
        return self.leads and self.order() < other.order()


PLAIN_MEMBER = Standing(MEMBER)  # also a former member, or one not listed


def someone_to_tell(leaders: Iterable[str], me: str, about: str) -> bool:
    """Whether a facilitator (among `leaders`, the ids of those who lead) other than
    oneself and `about` could receive a report or a care flag about `about`."""
    return any(leader not in (me, about) for leader in leaders)


def signed_by_me(*, mine: bool, earlier_membership: bool) -> bool:
    """Whether one's own message is one's own to act on as its author (delete, edit).
    A message written under an earlier member key of ours (we were removed and came back
    with a new key) stays ours to see, but the rules know an author by its key: an
    author's DELETE must be signed by the key that wrote the message, and that key left
    the circle with the removal (its signing seed replaced, its events refused from
    then on). Only outranking its author, as any facilitator may, deletes it now."""
    return mine and not earlier_membership


def may_delete_message(
    viewer: Standing,
    author: Standing,
    *,
    mine: bool,
    deleted: bool,
    removed: bool,
    earlier_membership: bool = False,
) -> bool:
    """Whether the viewer may delete a message for everyone (`may_delete`, over standings).
    `earlier_membership`: ours, written under an earlier key (signed_by_me)."""
    own = signed_by_me(mine=mine, earlier_membership=earlier_membership)
    return not (deleted or removed) and (own or viewer.outranks(author))


def may_report(*, mine: bool, deleted: bool, removed: bool, someone_to_tell: bool) -> bool:
    """Whether the viewer may report a message to the facilitators."""
    return not (mine or deleted or removed) and someone_to_tell


def may_flag(*, mine: bool, deleted: bool, restored: bool, removed: bool) -> bool:
    """Whether the viewer may flag a message as harmful (not one a facilitator restored)."""
    return not (mine or deleted or restored or removed)


def may_restore(*, facilitating: bool, hidden: bool, deleted: bool, mine: bool) -> bool:
    """Whether the viewer may restore a message hidden pending review (another
    facilitator reviews one's own)."""
    return facilitating and hidden and not deleted and not mine


def may_care(
    *, mine: bool, deleted: bool, removed: bool, author_here: bool, someone_to_tell: bool
) -> bool:
    """Whether the viewer may send a care flag about a message's author."""
    return not (mine or deleted or removed) and author_here and someone_to_tell


def may_reply(*, deleted: bool, removed: bool) -> bool:
    """Whether the viewer may answer a message (a reply quotes it)."""
    return not (deleted or removed)


def may_react(*, deleted: bool, removed: bool, hidden: bool) -> bool:
    """Whether the viewer may react to a message (not one hidden pending review)."""
    return not (deleted or removed or hidden)


def may_edit(
    *, mine: bool, deleted: bool, removed: bool, check_in: bool, sent_at: int, now: int
) -> bool:
    """Whether the viewer may edit a message: its own, no check-in, within the edit
    window (core/content_rules.py judges the signed edit the same way)."""
    fresh = now - sent_at <= EDIT_WINDOW_MS
    return mine and fresh and not (deleted or removed or check_in)


def may_talk_privately(
    viewer: Standing,
    other: Standing,
    *,
    myself: bool,
    removed: bool,
    other_here: bool,
    they_wrote: bool,
    blocked: bool,
) -> bool:
    """Whether the viewer may write privately to `other` (core/private_talk.py's rules):
    `other_here` that they are a current member, `they_wrote` that they wrote to the
    viewer privately, `blocked` that the viewer blocked them."""
    return may_write(
        Talk(
            writer_member=not removed,
            writer_leads=viewer.leads,
            reader_member=other_here,
            reader_leads=other.leads,
            oneself=myself,
            opened_by_reader=they_wrote,
            writer_blocked_reader=blocked,
        )
    )
