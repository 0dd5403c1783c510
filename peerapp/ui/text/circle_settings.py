"""The circle settings dialog (slow mode, join approval, who may invite, guidelines).

The slow mode lengths offered are rules: peerapp.core.moderation_policy.
"""

from __future__ import annotations

from peerapp.ui.text.common import duration
from peerapp.ui.text.translation import tr


# the circle's settings
def circle_settings_action() -> str:
    return tr("circle_settings", "Circle settings…")


def circle_settings_button() -> str:
    return tr("circle_settings", "Settings")


def circle_settings_title() -> str:
    return tr("circle_settings", "Circle settings")


def slow_mode_label() -> str:
    return tr("circle_settings", "Slow mode")


def slow_mode_hint() -> str:
    return tr(
        "circle_settings",
        ("Members wait this long between messages. Facilitators are never slowed down."),
    )


def slow_mode_choice(seconds: int) -> str:
    """How a length of peerapp.core.moderation_policy.SLOW_MODE_CHOICES reads: "Off"."""
    if seconds == 0:
        return tr("circle_settings", "Off")
    return duration(seconds)


def slow_mode_custom_choice() -> str:
    return tr("circle_settings", "Custom…")


def slow_mode_custom_suffix() -> str:
    return tr("circle_settings", " seconds")


def join_approval_check() -> str:
    return tr("circle_settings", "A facilitator approves each new member")


def join_approval_hint() -> str:
    return tr(
        "circle_settings", ("Someone with an invite code waits until a facilitator lets them in.")
    )


def members_invite_check() -> str:
    return tr("circle_settings", "Members may invite people")


def members_invite_hint() -> str:
    return tr(
        "circle_settings",
        (
            "Off: only facilitators make invite codes. On: any member can too, while "
            "join approval is off. A member and everyone they bring in count as one "
            "when messages are flagged."
        ),
    )


def circle_guidelines_label() -> str:
    return tr("circle_settings", "Guidelines")


def save_settings() -> str:
    return tr("circle_settings", "Save")


def saving_settings() -> str:
    return tr("circle_settings", "Saving…")


def to_save_settings() -> str:
    return tr("circle_settings", "save the settings")


def circle_settings_text(circle_name: str) -> str:
    return tr(
        "circle_settings",
        (
            "These apply to everyone in {circle_name}. Members see a short note in "
            "the conversation when they change."
        ),
    ).format(circle_name=circle_name)
