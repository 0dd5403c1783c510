"""Care flags ("I'm worried about someone", asking for support) and the facilitators'
list of care flags and messages hidden pending review.
"""

from __future__ import annotations

from peerapp.ui.text.common import ago
from peerapp.ui.text.conversation import member_count
from peerapp.ui.text.translation import tr, trn


def care_flag_title() -> str:
    return tr("care", "I'm worried about someone")


def support_title() -> str:
    return tr("care", "Ask a facilitator for support")


def worried_action() -> str:  # a member's menu, for another member
    return tr("care", "I'm worried about them…")


def ask_support_action() -> str:
    return tr("care", "I'd like support…")


def worried_about_author() -> str:
    return tr("care", "I'm worried about this person…")


def care_flag_heading(name: str) -> str:
    return tr("care", "I'm worried about {name}").format(name=name)


def care_flag_text(name: str) -> str:
    return tr(
        "care",
        (
            "Only this circle's facilitators will see this, so they can check in "
            "with {name}. {name} is not told, and never learns who sent it."
        ),
    ).format(name=name)


def support_text() -> str:
    return tr(
        "care",
        (
            "Only this circle's facilitators will see this. They can reach out to "
            "you gently. Nobody else is told."
        ),
    )


def care_flag_with_message() -> str:
    return tr("care", ("The message you chose goes with it, so they can see what worried you."))


def care_note_label() -> str:
    return tr("care", "Anything they should know? (optional)")


def care_note_placeholder() -> str:
    return tr("care", "A few words can help, but you can leave this empty.")


def support_note_label() -> str:
    return tr("care", "Anything you'd like them to know? (optional)")


def care_flag_send() -> str:
    return tr("care", "Tell the facilitators")


def support_send() -> str:
    return tr("care", "Ask for support")


def care_flag_sending() -> str:
    return tr("care", "Sending…")


def to_care_flag() -> str:
    return tr("care", "tell the facilitators")


def care_flag_sent() -> str:
    return tr("care", ("Thank you for looking out for them. The facilitators will see it."))


def support_sent() -> str:
    return tr("care", "Thank you for reaching out. The facilitators will see it.")


# what a facilitator sees
def care_flags_title() -> str:
    return tr("care", "Care flags")


def care_flags_empty() -> str:
    return tr("care", "No open care flags right now.")


def care_flags_loading() -> str:
    return tr("care", "Reading care flags…")


def to_read_care_flags() -> str:
    return tr("care", "read the care flags")


def to_resolve_care_flag() -> str:
    return tr("care", "mark the care flag resolved")


def mark_resolved() -> str:
    return tr("care", "Mark resolved")


def care_flag_no_note() -> str:
    return tr("care", "No note.")


def care_flag_message_heading() -> str:
    return tr("care", "Their message:")


def care_flags_close() -> str:
    return tr("care", "Close")


def care_flags_button(count: int) -> str:
    """The header's badge of open care flags (facilitators only)."""
    return trn("care", "{n} care flag", "{n} care flags", count).format(n=count)


def care_flag_summary(member_name: str, from_name: str, about_themselves: bool) -> str:
    if about_themselves:
        return tr("care", "{member_name} asked for support").format(member_name=member_name)
    return tr("care", "{from_name} is worried about {member_name}").format(
        from_name=from_name, member_name=member_name
    )


def care_flag_notification(circle_name: str) -> str:
    """A system notification: gentle, and never the note or any name."""
    return tr("care", "Someone in {circle_name} could use a facilitator's care.").format(
        circle_name=circle_name
    )


def care_flag_notification_title() -> str:
    return tr("care", "A care flag")


def care_and_review_action() -> str:
    return tr("care", "Care and review…")


def care_and_review_title() -> str:
    return tr("care", "Care and review")


def care_and_review_text() -> str:
    # true to what the list shows (issue 14): a care flag names who raised it, so the
    # facilitator can follow up with them; a harm flag never names who flagged
    return tr(
        "care",
        (
            "What is waiting for a facilitator here. Only facilitators see this list, "
            "and the person a care flag is about never does. Each care flag shows who "
            "raised it, so you can follow up with them; a hidden message never shows "
            "who flagged it."
        ),
    )


# the care badge on a circle in the list, and the main window's way to the list
def list_badge(count: int) -> str:
    """The circle list's care badge: a heart and how much waits (never who or what)."""
    shown = tr("care", "99+") if count > 99 else str(count)
    return tr("care", "♥ {count}").format(count=shown)


def list_badge_description(care_flags: int, to_review: int) -> str:
    """The care badge's tooltip and accessible description, in plain words."""
    return tr("care", "Waiting for your care as a facilitator: {what}").format(
        what=care_badge(care_flags, to_review)
    )


def care_menu_action() -> str:  # the Circles menu and the toolbar
    return tr("care", "Care and review…")


def care_toolbar_action(count: int) -> str:
    if count == 0:
        return tr("care", "Care")
    return tr("care", "Care ({count})").format(count=count)


def care_toolbar_hint() -> str:
    return tr(
        "care",
        "Open care flags and messages waiting for review, in the circles you facilitate",
    )


def care_chooser_title() -> str:
    return tr("care", "Care and review: choose a circle")


def care_chooser_entry(circle_name: str, care_flags: int, to_review: int) -> str:
    return tr("care", "{circle_name} · {waiting}").format(
        circle_name=circle_name, waiting=care_badge(care_flags, to_review)
    )


def nothing_waiting_for_care() -> str:
    return tr(
        "care",
        "Nothing is waiting for a facilitator's care right now, in the circles you facilitate.",
    )


def care_badge_tooltip() -> str:
    return tr("care", ("Care flags and messages waiting for review (only facilitators see this)"))


def review_heading() -> str:
    return tr("care", "Hidden pending review")


def review_explanation() -> str:
    return tr(
        "care",
        (
            "Members flagged these messages, so they are hidden for everyone. Open "
            "one in the conversation and choose “Show anyway” to read it, then "
            "restore it or delete it."
        ),
    )


def review_empty() -> str:
    return tr("care", "No messages are waiting for review.")


def show_in_conversation() -> str:
    return tr("care", "Show in conversation")


def review_own_message() -> str:
    return tr("care", "This is your own message, so another facilitator reviews it.")


def message_deleted_for_everyone() -> str:
    return tr("care", "The message was deleted for everyone.")


def review_not_in_conversation() -> str:
    return tr(
        "care",
        (
            "That message can't be shown here. It may be from someone you blocked, "
            "or of a topic your content filters hide."
        ),
    )


def review_summary(author_name: str) -> str:
    return tr("care", "A message from {author_name}").format(author_name=author_name)


def review_sent(seconds: float) -> str:
    """When a message waiting for review was written ("Sent 5 min ago")."""
    return tr("care", "Sent {ago}").format(ago=ago(seconds))


def review_flags(count: int) -> str:
    """How many members flagged a message (never who)."""
    return tr("care", "Flagged by {members}").format(members=member_count(count))


def care_badge(care_flags: int, to_review: int) -> str:
    """The header's badge for facilitators: open care flags and messages to review."""
    if to_review == 0:
        return care_flags_button(care_flags)
    review = tr("care", "{n} to review").format(n=to_review)
    if care_flags == 0:
        return review
    return tr("care", "{care_flags} · {review}").format(
        care_flags=care_flags_button(care_flags), review=review
    )


# reports (issue 14): a member's report of a message, sent privately to the facilitators
def reports_heading() -> str:
    return tr("care", "Reports")


def reports_explanation() -> str:
    return tr(
        "care",
        (
            "Members sent these reports to the facilitators privately. The person who "
            "wrote the message is never told. Read it in the conversation, reach out, "
            "then resolve the report."
        ),
    )


def reports_empty() -> str:
    return tr("care", "No reports are waiting.")


def report_summary(reporter_name: str, author_name: str) -> str:
    return tr("care", "{reporter_name} reported a message from {author_name}").format(
        reporter_name=reporter_name, author_name=author_name
    )


def report_reason(reason: str) -> str:
    return tr("care", "Why: {reason}").format(reason=reason)


def reach_out_to_reporter(name: str) -> str:
    return tr("care", "Reach out to {name}").format(name=name)


def resolve_report() -> str:
    return tr("care", "Resolve")


def to_resolve_report() -> str:
    return tr("care", "resolve the report")


def report_arrived(circle_name: str) -> str:
    """The status bar, for a facilitator: never who reported or what."""
    return tr("care", "A member sent a report in {circle_name}. Open Care and review.").format(
        circle_name=circle_name
    )
