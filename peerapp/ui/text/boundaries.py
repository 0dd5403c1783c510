"""A member's own boundaries: blocking someone, taking a break, quiet hours."""

from __future__ import annotations

from peerapp.ui.text.translation import tr


def block_action() -> str:
    return tr("boundaries", "Block…")


def unblock_action() -> str:
    return tr("boundaries", "Unblock")


def block_confirm() -> str:
    return tr("boundaries", "Block")


def blocked_badge() -> str:
    return tr("boundaries", "blocked")


def blocked_tooltip() -> str:
    return tr(
        "boundaries", ("You blocked them: their messages are hidden for you. They aren't told.")
    )


def equivocated_badge() -> str:  # small, like the break's moon; its tooltip says what it means
    return tr("boundaries", "⇄")


def equivocated_tooltip() -> str:
    return tr(
        "boundaries",
        (
            "Their app signed two different versions of something they sent. Both "
            "are kept and shown, marked; facilitators can compare them."
        ),
    )


def equivocated_spoken() -> str:
    return tr("boundaries", "signed two versions of something they sent")


def to_block() -> str:
    return tr("boundaries", "change who you block")


def break_moon() -> str:
    return tr("boundaries", "☾")


def on_break_tooltip() -> str:
    return tr("boundaries", "Taking a break")


def on_break_spoken() -> str:
    return tr("boundaries", "taking a break")


def block_title(name: str) -> str:
    return tr("boundaries", "Block {name}?").format(name=name)


def block_text(_name: str) -> str:
    return tr("boundaries", ("You won't see their messages in this circle. They won't be told."))


def blocked_status(name: str) -> str:
    return tr(
        "boundaries", ("You blocked {name}. You can unblock them from the members list.")
    ).format(name=name)


def unblocked_status(name: str) -> str:
    return tr("boundaries", "You unblocked {name}.").format(name=name)


def take_a_break_action() -> str:
    return tr("boundaries", "Take a break…")


def take_a_break_from_circle_action() -> str:
    return tr("boundaries", "Take a break from this circle…")


def take_a_break_title() -> str:
    return tr("boundaries", "Take a break")


def take_a_break_text() -> str:
    return tr(
        "boundaries",
        (
            "Stepping back is okay. While you're on a break, Hearth won't notify you "
            "or show unread counts. Your circles are still here when you come back."
        ),
    )


def take_a_break_from_text(circle_name: str) -> str:
    return tr(
        "boundaries",
        (
            "Stepping back from {circle_name} is okay. While you're on a break, "
            "Hearth won't notify you about it or show its unread count. It's still "
            "here when you come back."
        ),
    ).format(circle_name=circle_name)


def break_on_label() -> str:
    return tr("boundaries", "I'm taking a break now")


def quiet_hours_label() -> str:
    return tr("boundaries", "Quiet hours every day")


def quiet_hours_from() -> str:
    return tr("boundaries", "From")


def quiet_hours_to() -> str:
    return tr("boundaries", "to")


def quiet_hours_note() -> str:
    return tr("boundaries", ("No notifications or unread counts during these hours, every day."))


def break_status_label() -> str:
    return tr("boundaries", "Let members see I'm taking a break")


def break_status_note() -> str:
    return tr("boundaries", ("They see a small moon next to your name. Nothing else is shared."))


def save_break() -> str:
    return tr("boundaries", "Save")


def to_save_break() -> str:
    return tr("boundaries", "save your break")


def on_a_break() -> str:
    return tr("boundaries", "You're on a break")


def on_a_break_here() -> str:
    return tr("boundaries", "You're taking a break from this circle")


def quiet_hours_now() -> str:
    return tr("boundaries", "Quiet hours")


def end_break() -> str:
    return tr("boundaries", "End break")


def end_break_tooltip() -> str:
    return tr("boundaries", "Turn notifications and unread counts back on")


def break_ended() -> str:
    return tr("boundaries", "Welcome back. Your break has ended.")


def break_saved() -> str:
    return tr("boundaries", "Your break settings are saved.")


def to_end_break() -> str:
    return tr("boundaries", "end your break")
