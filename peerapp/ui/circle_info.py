"""What the engine's circle_info says about one circle, as the GUI uses it.

The pane asks for it when it opens and when circles change, takes it from the engine's
circle_settings_changed event when the settings or our standing change, and hands it to
whatever shows the guidelines, the join requests and the invite defaults (and whether we
may invite at all: `may_invite` is the engine's reason why not, the GUI never decides it).
"""

from __future__ import annotations

from dataclasses import dataclass

from peerapp.core.circle_state import DEFAULT_FLAG_AFTER_HOURS, DEFAULT_HARM_FLAGS_TO_HIDE
from peerapp.core.events import CircleInfoView

FACILITATING_ROLES = frozenset({"founder", "facilitator"})


@dataclass(frozen=True)
class CircleInfo:
    id: str
    name: str
    guidelines: str
    join_approval: bool
    my_role: str
    slow_mode_seconds: int = 0
    # for moderation (peerapp.ui.pane_moderation): who we are and what holds us back
    my_id: str = ""
    my_rank: int | None = None
    muted_until: int = 0  # ms since the epoch; 0 when not muted
    next_send_at: int = 0  # ms since the epoch; 0 when a message may go now
    removed: bool = False  # we were removed (or banned) from the circle
    banned: bool = False
    # how many members' harm flags hide a message pending review
    harm_flags_to_hide: int = DEFAULT_HARM_FLAGS_TO_HIDE
    members_invite: bool = False  # plain members may invite (off: only facilitators)
    # how long a plain member is in the circle before its harm flags are accepted
    flag_after_hours: int = DEFAULT_FLAG_AFTER_HOURS
    # "" when we may make invites here, else the engine's words for why not
    may_invite: str = ""

    @property
    def facilitating(self) -> bool:
        """Whether this profile is a facilitator (the founder is one too) of the circle."""
        return self.my_role in FACILITATING_ROLES


def circle_info_from(result: CircleInfoView) -> CircleInfo:
    """The engine's circle_info answer as the GUI keeps it (a removed member has no role:
    it reads as a plain member's)."""
    return CircleInfo(
        id=result.circle,
        name=result.name,
        guidelines=result.guidelines,
        join_approval=result.join_approval,
        my_role=result.my_role or "member",
        slow_mode_seconds=result.slow_mode_seconds,
        my_id=result.my_id,
        my_rank=result.my_rank,
        muted_until=result.muted_until,
        next_send_at=result.next_send_at,
        removed=result.removed,
        banned=result.banned,
        harm_flags_to_hide=result.harm_flags_to_hide,
        members_invite=result.members_invite,
        flag_after_hours=result.flag_after_hours,
        may_invite=result.may_invite,
    )
