"""The choices fronts offer lie within the bounds the engine enforces, and the defaults
are among them (core/invite_policy.py, moderation_policy.py, history_policy.py)."""

from __future__ import annotations

from peerapp.core import history_policy, invite_policy, moderation_policy
from peerapp.core.circle_events import MAX_SLOW_MODE_SECONDS


def test_invite_choices_are_within_the_bounds() -> None:
    assert all(
        invite_policy.MIN_SECONDS <= s <= invite_policy.MAX_SECONDS
        for s in invite_policy.EXPIRY_CHOICES
    )
    assert all(
        invite_policy.MIN_USES <= n <= invite_policy.MAX_USES for n in invite_policy.USES_CHOICES
    )
    assert invite_policy.DEFAULT_SECONDS in invite_policy.EXPIRY_CHOICES
    assert invite_policy.default_uses(join_approval=False) == 1
    # with join approval each use is reviewed, so one code may serve a group
    assert invite_policy.default_uses(join_approval=True) == 20
    assert {invite_policy.default_uses(a) for a in (False, True)} <= set(invite_policy.USES_CHOICES)


def test_moderation_choices_are_within_the_bounds() -> None:
    assert moderation_policy.MAX_MUTE_SECONDS == 30 * 24 * 3600
    assert all(0 < s <= moderation_policy.MAX_MUTE_SECONDS for s in moderation_policy.MUTE_CHOICES)
    assert all(0 < s <= moderation_policy.MAX_MUTE_SECONDS for s in moderation_policy.MUTE_UNITS)
    assert moderation_policy.SLOW_MODE_CHOICES[0] == 0  # "Off" comes first
    assert all(0 <= s <= MAX_SLOW_MODE_SECONDS for s in moderation_policy.SLOW_MODE_CHOICES)


def test_the_history_page_is_within_the_maximum() -> None:
    assert 1 <= history_policy.DEFAULT_PAGE <= history_policy.MAX_PAGE
