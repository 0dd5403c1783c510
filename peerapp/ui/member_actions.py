"""How the member menu offers the actions the viewer may take (presentation, no Qt).

Who may do what is the core's (peerapp/core/permissions.py): the moderation actions on
a member (promote, demote, make founder, mute or unmute, remove, ban) come with each
member from the engine, and the message rules (delete, report, flag, restore, a care
flag) are asked of the core with what the circle's controller knows. This module only
orders them for a menu and adds the viewer-local choices:
- Block (Unblock, while blocked): anyone, on every other member whatever their role;
  it only hides their messages for oneself, so no rank is needed (boundary_actions).
- "I'm worried about them" (a care flag) on every other member, "I'd like support" on
  oneself, when some facilitator can receive it (care_actions; the controller says
  whether one can: core/permissions.someone_to_tell).
- "Talk privately…" where core/permissions.may_talk_privately allows it (the controller
  asks; peerapp.ui.pane_private opens the conversation).
The engine checks everything again; this only keeps impossible choices out of sight.
"""

from __future__ import annotations

from collections.abc import Iterable

from peerapp.core.permissions import MemberAction

# the order a menu lists them in: gentle first, the most serious last
MENU_ORDER = (
    MemberAction.TALK_PRIVATELY,
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


def in_menu_order(actions: Iterable[MemberAction | str]) -> list[MemberAction]:
    """The actions the engine allows (core/permissions.py; MemberView.actions carries
    their values), as a menu lists them (a value it does not know is left out)."""
    chosen = {action.value if isinstance(action, MemberAction) else action for action in actions}
    return [action for action in MENU_ORDER if action.value in chosen]


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
