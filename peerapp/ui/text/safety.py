"""Content warnings, a reader's content filters, and flagging messages as harmful (hidden
pending review).
"""

from __future__ import annotations

from peerapp.ui.text.common import hours_long
from peerapp.ui.text.translation import tr, trn


# a listed topic's name as people read it (peerapp.core.content_warnings.TOPICS)
def cw_topic_names() -> dict[str, str]:
    return {
        "self-harm": tr("safety", "Self-harm"),
        "suicide": tr("safety", "Suicide"),
        "abuse": tr("safety", "Abuse"),
        "eating": tr("safety", "Eating and food"),
        "substances": tr("safety", "Alcohol and drugs"),
        "grief": tr("safety", "Grief and loss"),
        "violence": tr("safety", "Violence"),
    }


def cw_other_filter() -> str:
    return tr("safety", "Other (custom labels)")


def cw_name(cw: str) -> str:
    """A warning as people read it: a listed topic's name, or the author's own words."""
    return cw_topic_names().get(cw, cw)


def cw_label(cw: str) -> str:
    """What a collapsed message shows, and the tag above a shown one."""
    return tr("safety", "Content warning: {cw}").format(cw=cw_name(cw))


def cw_button() -> str:
    return tr("safety", "Content warning")


def cw_button_tooltip() -> str:
    return tr(
        "safety",
        ("Add a content warning: readers then choose whether to see this message straight away."),
    )


def cw_custom_choice() -> str:
    return tr("safety", "Custom…")


def cw_custom_title() -> str:
    return tr("safety", "Your own content warning")


def cw_custom_label() -> str:
    return tr("safety", "A few words about what the message touches on")


def cw_remove() -> str:
    return tr("safety", "Remove the content warning")


def cw_show() -> str:
    return tr("safety", "Show")


def cw_hide_again() -> str:
    return tr("safety", "Hide again")


def cw_collapsed_hint() -> str:
    return tr("safety", "collapsed: press Enter to show it")


def hidden_pending_review() -> str:
    return tr("safety", "Hidden pending review")


# under a message whose author signed two versions of it (both are kept and shown)
def equivocated_note() -> str:
    return tr("safety", "Its author signed two versions of this message")


def show_anyway() -> str:
    return tr("safety", "Show anyway")


def restore_message() -> str:
    return tr("safety", "Restore")


def to_restore_message() -> str:
    return tr("safety", "restore the message")


def message_restored() -> str:
    return tr("safety", "The message is visible to everyone again.")


def hidden_for_review_notice() -> str:
    return tr("safety", "A message was hidden pending review after members flagged it")


def flag_harm_action() -> str:
    return tr("safety", "Flag as harmful…")


def flagged_action() -> str:
    return tr("safety", "Flagged")


def flag_harm_title() -> str:
    return tr("safety", "Flag this message as harmful?")


def flag_harm_confirm() -> str:
    return tr("safety", "Flag")


def flagging() -> str:
    return tr("safety", "Flagging…")


def to_flag_message() -> str:
    return tr("safety", "flag the message")


def flag_harm_thanks() -> str:
    return tr("safety", "Thank you. The message is flagged.")


def flag_harm_text(flags_to_hide: int | None) -> str:
    if flags_to_hide is None:
        return tr(
            "safety",
            "Once enough members have flagged a message, it is hidden for everyone until a "
            "facilitator reviews it. The author is not told who flagged it.",
        )
    return trn(
        "safety",
        "Once one member has flagged a message, it is hidden for everyone until a "
        "facilitator reviews it. The author is not told who flagged it.",
        "Once {n} members have flagged a message, it is hidden for everyone until a "
        "facilitator reviews it. The author is not told who flagged it.",
        flags_to_hide,
    ).format(n=flags_to_hide)


def restored_notice(actor: str) -> str:
    return tr("safety", "{actor} restored a message after review").format(actor=actor)


def log_restored() -> str:
    return tr("safety", "Restored a message after review")


def harm_flags_label() -> str:
    return tr("safety", "Hide a message for review after")


def harm_flags_suffix(count: int) -> str:
    return trn("safety", " flag", " flags", count)


def harm_flags_hint() -> str:
    return tr(
        "safety",
        (
            "When this many members flag a message as harmful, it is hidden for "
            "everyone until a facilitator restores or deletes it."
        ),
    )


def harm_flags_rule(hours: int) -> str:
    """The engine's counting rule, said where the numbers are chosen (`hours`: how long a
    member is in the circle before their flags count, the circle's flag_after_hours)."""
    if hours <= 0:
        wait = tr("safety", "Members can flag as soon as they join.")
    else:
        wait = tr(
            "safety", "Members can flag once they have been in the circle for {hours}."
        ).format(hours=hours_long(hours))
    return tr(
        "safety",
        "Flags count people: a member and anyone they invited count once. "
        "{wait} Facilitators can always flag.",
    ).format(wait=wait)


def flag_after_label() -> str:
    return tr("safety", "Members can flag after")


def flag_after_at_once() -> str:  # the spin box's 0
    return tr("safety", "at once")


def flag_after_suffix(hours: int) -> str:
    return trn("safety", " hour in the circle", " hours in the circle", hours)


def flag_after_now(hours: int) -> str:
    if hours <= 0:
        return tr("safety", "Members can now flag messages as soon as they join")
    return tr(
        "safety", "Members can now flag messages once they have been in the circle for {wait}"
    ).format(wait=hours_long(hours))


def harm_flags_now(count: int) -> str:
    return trn(
        "safety",
        "Messages are now hidden for review after {n} flag",
        "Messages are now hidden for review after {n} flags",
        count,
    ).format(n=count)


# a reader's content filters
def content_filters_action() -> str:
    return tr("safety", "Content filters…")


def content_filters_title() -> str:
    return tr("safety", "Content filters")


def content_filters_text() -> str:
    return tr(
        "safety",
        (
            "Choose how messages with a content warning appear for you. This stays "
            "on this computer: nobody is told what you choose."
        ),
    )


def filter_mode_name(mode: str) -> str:
    names = {
        "show": tr("safety", "Show"),
        "collapse": tr("safety", "Collapse"),
        "hide": tr("safety", "Hide"),
    }
    return names[mode]


def content_filters_hint() -> str:
    return tr(
        "safety",
        (
            "Show: as written, with the warning above. Collapse: only the warning, "
            "with a Show button. Hide: left out of your conversations."
        ),
    )


def save_filters() -> str:
    return tr("safety", "Save")


def saving_filters() -> str:
    return tr("safety", "Saving…")


def loading_filters() -> str:
    return tr("safety", "Reading your filters…")


def to_save_filters() -> str:
    return tr("safety", "save your filters")


def to_read_filters() -> str:
    return tr("safety", "read your filters")


def filter_topic_name(topic: str) -> str:
    return cw_other_filter() if topic == "other" else cw_name(topic)
