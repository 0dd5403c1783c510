"""What the GUI derives from the engine's circle_info answer (core/api's CircleInfoView),
as functions over the view rather than a copy of it: a field added to the view reaches
every reader without being copied through the GUI.

The answer itself is kept by the circle's controller (peerapp.ui.circle_controller): it
asks for it when a circle opens and when circles change, and takes it from the engine's
circle_settings_changed event when the settings or our standing change. Whatever shows
the guidelines, the join requests and the invite defaults reads it there (whether we may
invite at all, `may_invite`, is the engine's reason why not; the GUI never decides it).
"""

from __future__ import annotations

from peerapp.core.api.moderation import CircleInfoView
from peerapp.core.permissions import LEADING_ROLES, MEMBER, PLAIN_MEMBER, Standing


def my_role(info: CircleInfoView) -> str:
    """One's role here; a removed member has none and reads as a plain member."""
    return info.my_role or MEMBER


def facilitating(info: CircleInfoView | None) -> bool:
    """Whether circle_info names this profile a facilitator (the founder is one too)."""
    return info is not None and my_role(info) in LEADING_ROLES


def my_standing(info: CircleInfoView | None) -> Standing:
    """One's standing, as the message rules (core/permissions.py) take it."""
    if info is None or info.removed:
        return PLAIN_MEMBER
    return Standing(my_role(info), info.my_rank)
