"""Care that follows through (issue 14): what a low check-in offers on the spot, what a
removed member is told and may do, and the reminder a facilitator sees before muting or
removing someone who asked for support."""

from __future__ import annotations

from peerapp.ui.text.translation import tr, trn


# after a low check-in (core/care_policy.py LOW_MOODS)
def low_check_in_title() -> str:
    return tr("follow_through", "Thank you for checking in")


def low_check_in_heading() -> str:
    return tr("follow_through", "Thank you for telling the circle")


def low_check_in_text() -> str:
    return tr(
        "follow_through",
        (
            "It sounds like things are hard right now. You do not have to carry it alone: "
            "help is there now, and you can let a facilitator know, privately."
        ),
    )


def get_help_now() -> str:
    return tr("follow_through", "Get help now")


def tell_a_facilitator() -> str:
    return tr("follow_through", "Tell a facilitator")


def not_now() -> str:
    return tr("follow_through", "Not now")


def tell_note_label() -> str:
    return tr("follow_through", "Anything you would like them to know? (optional)")


def tell_note_placeholder() -> str:
    return tr("follow_through", "Only the facilitators will see this")


def telling() -> str:
    return tr("follow_through", "Letting them know…")


def to_tell() -> str:
    return tr("follow_through", "tell a facilitator")


def facilitator_told() -> str:
    return tr(
        "follow_through",
        "A facilitator will see your note. Thank you for letting them know.",
    )


def no_facilitator_to_tell() -> str:
    return tr(
        "follow_through",
        (
            "There is no other facilitator in this circle to tell right now. The help "
            "above is there for you at any hour."
        ),
    )


# removed or banned from a circle
def removed_by(name: str) -> str:
    return tr("follow_through", "{name} removed you from this circle.").format(name=name)


def banned_by(name: str) -> str:
    return tr(
        "follow_through", "{name} removed you from this circle, and you cannot rejoin it."
    ).format(name=name)


def removed_explanation() -> str:
    return tr(
        "follow_through",
        (
            "This can feel hard, whatever the reason. What was shared before stays "
            "readable here, on this computer. You are no longer a member, so there is "
            "nothing to leave: you can keep it to read, or forget it."
        ),
    )


def forget_circle_button() -> str:
    return tr("follow_through", "Forget this circle…")


def forget_title(circle_name: str) -> str:
    return tr("follow_through", "Forget {circle_name}?").format(circle_name=circle_name)


def forget_text(circle_name: str) -> str:
    return tr(
        "follow_through",
        (
            "Everything of {circle_name} is erased from this computer, the history too. "
            "No one else is told."
        ),
    ).format(circle_name=circle_name)


def forget_confirm() -> str:
    return tr("follow_through", "Forget")


def forgetting() -> str:
    return tr("follow_through", "Forgetting…")


def to_forget() -> str:
    return tr("follow_through", "forget the circle")


def no_longer_member() -> str:
    return tr("follow_through", "You are no longer a member of this circle")


# before a facilitator mutes or removes someone who asked for support recently
def asked_for_support(name: str, minutes_ago: int) -> str:
    """`name` asked for support `minutes_ago` minutes ago (within a day)."""
    if minutes_ago < 1:
        return tr(
            "follow_through",
            "{name} asked for support just now. A gentle word first may help more.",
        ).format(name=name)
    if minutes_ago < 60:
        return trn(
            "follow_through",
            "{name} asked for support {n} minute ago. A gentle word first may help more.",
            "{name} asked for support {n} minutes ago. A gentle word first may help more.",
            minutes_ago,
        ).format(name=name, n=minutes_ago)
    hours = minutes_ago // 60
    return trn(
        "follow_through",
        "{name} asked for support {n} hour ago. A gentle word first may help more.",
        "{name} asked for support {n} hours ago. A gentle word first may help more.",
        hours,
    ).format(name=name, n=hours)
