"""Which check-ins ask for a follow-up, and how long asking for support stays recent
(core/care_policy.py)."""

from __future__ import annotations

from peerapp.core import care_policy
from peerapp.core.circle_events import MOODS


def test_the_two_lowest_moods_ask_for_a_follow_up_and_no_other() -> None:
    assert [mood for mood in MOODS if care_policy.is_low(mood)] == [1, 2]
    assert not care_policy.is_low(0)  # not a check-in


def test_asking_for_support_is_recent_for_a_day() -> None:
    now = 10 * 24 * 3600 * 1000
    day = care_policy.SUPPORT_RECENT_SECONDS * 1000
    assert care_policy.SUPPORT_RECENT_SECONDS == 24 * 3600
    assert care_policy.asked_recently(now - 60_000, now)
    assert care_policy.asked_recently(now - day, now)
    assert not care_policy.asked_recently(now - day - 1, now)
    assert not care_policy.asked_recently(0, now)  # never asked
