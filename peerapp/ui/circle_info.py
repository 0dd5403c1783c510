"""What the engine's circle_info says about one circle, as the GUI uses it.

The pane asks for it when it opens, when circles change and when a facilitator changes
the circle's settings, and hands it to whatever shows the guidelines, the join requests
and the invite defaults (and whether we may invite at all: `may_invite` is the engine's
reason why not, the GUI never decides it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peerapp.core.circle_state import DEFAULT_FLAG_AFTER_HOURS, DEFAULT_HARM_FLAGS_TO_HIDE

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


def circle_info_from(result: Mapping[str, Any]) -> CircleInfo | None:
    """The engine's circle_info answer, or None when it is malformed."""
    circle, name = result.get("circle"), result.get("name")
    if not isinstance(circle, str) or not isinstance(name, str):
        return None
    guidelines = result.get("guidelines")
    role = result.get("my_role")
    slow = result.get("slow_mode_seconds")
    flag_after = _whole(result.get("flag_after_hours"))  # 0 is a choice: no `or` default
    return CircleInfo(
        id=circle,
        name=name,
        guidelines=guidelines if isinstance(guidelines, str) else "",
        join_approval=result.get("join_approval") is True,
        my_role=role if isinstance(role, str) else "member",
        slow_mode_seconds=slow if isinstance(slow, int) and not isinstance(slow, bool) else 0,
        my_id=_text(result.get("my_id")),
        my_rank=_whole(result.get("my_rank")),
        muted_until=_whole(result.get("muted_until")) or 0,
        next_send_at=_whole(result.get("next_send_at")) or 0,
        removed=result.get("removed") is True,
        banned=result.get("banned") is True,
        harm_flags_to_hide=_whole(result.get("harm_flags_to_hide")) or DEFAULT_HARM_FLAGS_TO_HIDE,
        members_invite=result.get("members_invite") is True,
        flag_after_hours=DEFAULT_FLAG_AFTER_HOURS if flag_after is None else flag_after,
        may_invite=_text(result.get("may_invite")),
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
